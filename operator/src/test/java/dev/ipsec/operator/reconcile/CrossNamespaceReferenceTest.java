package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.agentstate.AgentPolling;
import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer whose Secret reference names another namespace is refused with Valid False, reason
 * CrossNamespaceReference, naming the field; the gateway's other peers go on; and the operator
 * never asks the API server for the other namespace's Secret, although it exists.
 */
class CrossNamespaceReferenceTest {

  OperatorHarness k8s = new OperatorHarness();

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void aSecretOfAnotherNamespaceIsRefusedNamingTheFieldAndNeverRequested()
      throws InterruptedException {
    k8s.client
        .resource(new NamespaceBuilder().withNewMetadata().withName("other").endMetadata().build())
        .create();
    Secret theirs = TestResources.pskSecret("their-psk", "another-namespaces-key");
    theirs.getMetadata().setNamespace("other");
    k8s.client.resource(theirs).create();
    // the test's own requests so far are not the operator's
    while (k8s.server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {}
    // watching every namespace, as the chart does by default: the informers' caches hold the other
    // namespace's Secret, and still nothing asks for it or reads it (render's
    // CrossNamespaceReferencesTest records the lookups)
    k8s.start(OperatorSettings.defaults().withAgentPolling(AgentPolling.disabled()));
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "cross-namespace-test-psk"));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    IpsecPeer beta = TestResources.pskPeer("beta", "gw", "ike", "esp", "their-psk", 2);
    beta.getSpec().getAuthentication().getPreSharedSecret().getSecretRef().setNamespace("other");
    k8s.create(beta);

    eventually(
        () -> {
          Condition valid = condition("beta", "Valid");
          assertThat(valid.getStatus()).isEqualTo("False");
          assertThat(valid.getReason()).isEqualTo("CrossNamespaceReference");
          assertThat(valid.getMessage())
              .contains("spec.authentication.preSharedSecret.secretRef.namespace")
              .contains("Secret \"their-psk\" in namespace \"other\"")
              .contains("cross-namespace references are refused");
          assertThat(condition("alpha", "Valid").getStatus()).isEqualTo("True");
          // alpha's files are in the gateway's shards, beta's are not
          List<String> keys =
              k8s
                  .client
                  .configMaps()
                  .inNamespace("vpn")
                  .withLabel(Labels.GATEWAY, "gw")
                  .list()
                  .getItems()
                  .stream()
                  .flatMap(cm -> cm.getData().keySet().stream())
                  .toList();
          assertThat(keys).contains("conf.d..alpha.conf").doesNotContain("conf.d..beta.conf");
        });
    // not one request names the other namespace or its Secret
    List<String> paths = new ArrayList<>();
    RecordedRequest request;
    while ((request = k8s.server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      paths.add(request.getPath());
    }
    assertThat(paths).isNotEmpty().noneMatch(p -> p.contains("/namespaces/other"));
    assertThat(paths).noneMatch(p -> p.contains("their-psk"));
  }

  Condition condition(String peer, String type) {
    IpsecPeer p = k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName(peer).get();
    assertThat(p.getStatus()).isNotNull();
    Condition c = CryptoGroupReconcilerTest.condition(p.getStatus().getConditions(), type);
    assertThat(c).as(type).isNotNull();
    return c;
  }
}
