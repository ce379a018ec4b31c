package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An object that has one of a gateway's names but is not the gateway's is neither overwritten nor
 * adopted: the IpsecGlobal says whose it is (condition ObjectsOwned, Event NameConflict, once), the
 * Deployment waits while its pods would mount it, and another gateway in the namespace goes on.
 */
class NameConflictTest {

  OperatorHarness k8s;

  @BeforeEach
  void start() {
    k8s = new OperatorHarness().start();
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "name-conflict-test-psk"));
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @ParameterizedTest(name = "{0} ({1})")
  @CsvSource({"gw-strongswan, ''", "gw-swanctl, ''", "gw-swanctl, other"})
  void aRequiredConfigMapOfSomeoneElsesIsLeftAloneAndHoldsBackTheDeployment(
      String name, String otherGateway) throws InterruptedException {
    ConfigMap foreign =
        k8s.create(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(
                    otherGateway.isEmpty()
                        ? Map.of("team", "someone-else")
                        : Labels.gatewayLabels(otherGateway, "config"))
                .endMetadata()
                .withData(Map.of("note", "not the gateway's"))
                .build());
    k8s.create(TestResources.gateway("gw2"));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    String whose =
        otherGateway.isEmpty()
            ? "not labelled app.kubernetes.io/managed-by=ipsec-operator"
            : "of gateway " + otherGateway;

    eventually(
        () -> {
          Condition owned = condition(gateway("gw"), "ObjectsOwned");
          assertThat(owned.getStatus()).isEqualTo("False");
          assertThat(owned.getReason()).isEqualTo("NameConflict");
          assertThat(owned.getMessage())
              .contains("ConfigMap " + name + " (" + whose + ")")
              .contains("Deployment gw-gateway is not written");
          assertThat(condition(gateway("gw"), "Ready").getReason()).isEqualTo("NameConflict");
          assertThat(events("gw", "NameConflict"))
              .singleElement()
              .satisfies(e -> assertThat(e.getMessage()).contains("ConfigMap " + name));
        });
    // the other gateway in the namespace is not disturbed
    eventually(
        () -> {
          assertThat(get(Deployment.class, "gw2-gateway")).isNotNull();
          assertThat(condition(gateway("gw2"), "ObjectsOwned").getStatus()).isEqualTo("True");
        });
    assertThat(get(Deployment.class, "gw-gateway")).isNull();
    assertThat(get(ConfigMap.class, name).getMetadata().getResourceVersion())
        .isEqualTo(foreign.getMetadata().getResourceVersion());
    assertThat(get(ConfigMap.class, name).getData()).isEqualTo(foreign.getData());

    // another look at it (an edit of it is no event: nothing watches someone else's objects, so the
    // gateway looks again every 15 s while a conflict lasts): same conflict, no second Event
    ConfigMap touched = get(ConfigMap.class, name);
    touched.getMetadata().getLabels().put("touched", "yes");
    k8s.client.resource(touched).update();
    Thread.sleep(IpsecGlobalReconciler.CONFLICT_RECHECK.plusSeconds(2).toMillis());
    assertThat(events("gw", "NameConflict")).hasSize(1);

    // the name is free again: the gateway's own object, then its Deployment
    k8s.client.resource(get(ConfigMap.class, name)).delete();
    eventually(
        () -> {
          assertThat(get(ConfigMap.class, name).getMetadata().getLabels())
              .containsEntry(Labels.GATEWAY, "gw");
          assertThat(get(Deployment.class, "gw-gateway")).isNotNull();
          assertThat(condition(gateway("gw"), "ObjectsOwned").getStatus()).isEqualTo("True");
          assertThat(events("gw", "NameConflictResolved")).hasSize(1);
        });
  }

  @Test
  void aRootSecretOfSomeoneElsesHoldsBackTheDeployment() {
    Secret foreign =
        k8s.create(
            new SecretBuilder()
                .withNewMetadata()
                .withName("gw-swanctl")
                .endMetadata()
                .withData(Map.of("secrets-manifest.json", "e30="))
                .build());
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    eventually(
        () ->
            assertThat(condition(gateway("gw"), "ObjectsOwned").getMessage())
                .contains("Secret gw-swanctl (not labelled")
                .contains("Deployment gw-gateway is not written"));
    assertThat(get(Deployment.class, "gw-gateway")).isNull();
    assertThat(get(Secret.class, "gw-swanctl").getMetadata().getResourceVersion())
        .isEqualTo(foreign.getMetadata().getResourceVersion());
  }

  @Test
  void aForeignShardIsReportedAndLeftAloneWithoutHoldingBackThePods() {
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    eventually(() -> assertThat(get(Deployment.class, "gw-gateway")).isNotNull());

    ConfigMap config =
        k8s.create(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("gw-config-17")
                .endMetadata()
                .withData(Map.of("conf.d..evil.conf", "connections { }"))
                .build());
    Secret secrets =
        k8s.create(
            new SecretBuilder()
                .withNewMetadata()
                .withName("gw-secrets-3")
                .endMetadata()
                .withData(Map.of("secrets.d..evil.conf", "c2VjcmV0cyB7IH0="))
                .build());
    // the operator watches no one else's objects (it would have to cache every Secret of the
    // cluster): the gateway's next reconcile looks the unused shard names up, here a new peer's
    k8s.create(TestResources.pskPeer("beta", "gw", "ike", "esp", "psk", 2));
    eventually(
        () -> {
          Condition owned = condition(gateway("gw"), "ObjectsOwned");
          assertThat(owned.getStatus()).isEqualTo("False");
          assertThat(owned.getMessage())
              .contains("ConfigMap gw-config-17 (not labelled")
              .contains("Secret gw-secrets-3 (not labelled")
              .doesNotContain("Deployment gw-gateway is not written")
              .doesNotContain("connections")
              .doesNotContain("c2VjcmV0cyB7IH0=");
          assertThat(events("gw", "NameConflict")).isNotEmpty();
        });
    assertThat(condition(gateway("gw"), "Ready").getReason()).isNotEqualTo("NameConflict");
    assertThat(get(ConfigMap.class, "gw-config-17").getMetadata().getResourceVersion())
        .isEqualTo(config.getMetadata().getResourceVersion());
    assertThat(get(Secret.class, "gw-secrets-3").getMetadata().getResourceVersion())
        .isEqualTo(secrets.getMetadata().getResourceVersion());
  }

  @Test
  void aServiceAccountOfSomeoneElsesIsFoundByTheServersAnswerAndHoldsBackTheDeployment() {
    ServiceAccount foreign =
        k8s.create(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("gw-gateway")
                .endMetadata()
                .build());
    k8s.create(TestResources.gateway("gw"));
    eventually(
        () ->
            assertThat(condition(gateway("gw"), "ObjectsOwned").getMessage())
                .contains("ServiceAccount gw-gateway (not labelled")
                .contains("Deployment gw-gateway is not written"));
    assertThat(get(Deployment.class, "gw-gateway")).isNull();
    ServiceAccount after = get(ServiceAccount.class, "gw-gateway");
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(foreign.getMetadata().getResourceVersion());
    assertThat(after.getAutomountServiceAccountToken()).isNull();
  }

  IpsecGlobal gateway(String name) {
    IpsecGlobal gw =
        k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName(name).get();
    assertThat(gw.getStatus()).isNotNull();
    return gw;
  }

  static Condition condition(IpsecGlobal gw, String type) {
    Condition c = CryptoGroupReconcilerTest.condition(gw.getStatus().getConditions(), type);
    assertThat(c).as(type).isNotNull();
    return c;
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return k8s.client.resources(type).inNamespace("vpn").withName(name).get();
  }

  List<Event> events(String about, String reason) {
    return k8s.client.v1().events().inNamespace("vpn").list().getItems().stream()
        .filter(e -> about.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
