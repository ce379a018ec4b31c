package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.gateway.GatewayPolicy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's gateway policy, not the IpsecGlobal's author, decides what gateway pods may be: a
 * spec that asks for more is refused with Ready False, reason PolicyDenied, naming the field, one
 * Warning Event, and no Deployment written; an existing Deployment is left as it was, its peers say
 * why they are not served, and other gateways go on.
 */
class GatewayPolicyDeniedTest {

  OperatorHarness k8s;

  @AfterEach
  void stop() {
    k8s.close();
  }

  void start(GatewayPolicy policy) {
    k8s = new OperatorHarness().start(OperatorHarness.settings().withGatewayPolicy(policy));
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "gateway-policy-test-psk"));
  }

  @Test
  void aGatewayWithAnImageThePolicyDoesNotAllowGetsNoDeploymentAndSaysWhich() {
    start(GatewayPolicy.defaults());
    IpsecGlobal denied = TestResources.gateway("denied");
    denied.getSpec().getGateway().setAgentImage("evil:1");
    k8s.create(denied);
    k8s.create(TestResources.gateway("fine"));
    k8s.create(TestResources.pskPeer("alpha", "denied", "ike", "esp", "psk", 1));
    k8s.create(TestResources.pskPeer("beta", "fine", "ike", "esp", "psk", 2));

    eventually(
        () -> {
          Condition ready = condition(gateway("denied"), "Ready");
          assertThat(ready.getStatus()).isEqualTo("False");
          assertThat(ready.getReason()).isEqualTo("PolicyDenied");
          assertThat(ready.getMessage())
              .startsWith("spec.gateway.agentImage: \"evil:1\" is not an allowed agent image")
              .contains("Deployment denied-gateway is not created or updated");
          assertThat(events("denied", "PolicyDenied"))
              .singleElement()
              .satisfies(
                  e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getMessage()).contains("spec.gateway.agentImage");
                  });
          Condition established = peerCondition("alpha", "Established");
          assertThat(established.getStatus()).isEqualTo("False");
          assertThat(established.getReason()).isEqualTo("GatewayPolicyDenied");
          assertThat(established.getMessage())
              .contains("IpsecGlobal denied is refused by the operator's gateway policy")
              .contains("spec.gateway.agentImage");
          assertThat(peerCondition("alpha", "Ready").getReason()).isEqualTo("GatewayPolicyDenied");
          // the other gateway and its peer are not disturbed
          assertThat(deployment("fine-gateway")).isNotNull();
          assertThat(condition(gateway("fine"), "Ready").getReason()).isNotEqualTo("PolicyDenied");
          assertThat(peerCondition("beta", "Established").getReason())
              .isNotEqualTo("GatewayPolicyDenied");
        });
    // the configuration is still written: only the pods are the policy's business
    assertThat(k8s.client.configMaps().inNamespace("vpn").withName("denied-swanctl").get())
        .isNotNull();
    assertThat(deployment("denied-gateway")).isNull();
  }

  @Test
  void anExistingDeploymentIsLeftAsItWasUntilTheSpecIsAllowedAgain() throws InterruptedException {
    start(GatewayPolicy.defaults());
    k8s.create(TestResources.gateway("gw"));
    eventually(
        () -> {
          assertThat(deployment("gw-gateway")).isNotNull();
          // no kubelet here: the pod never starts, which is no failure
          assertThat(condition(gateway("gw"), "Ready"))
              .extracting(Condition::getStatus, Condition::getReason)
              .containsExactly("Unknown", "PodsStarting");
        });
    Deployment before = deployment("gw-gateway");

    // an edit of the spec alone (a patch: the operator writes status meanwhile)
    k8s.client
        .resources(IpsecGlobal.class)
        .inNamespace("vpn")
        .withName("gw")
        .edit(
            g -> {
              g.getSpec().getGateway().setHostNetwork(true);
              g.getSpec().getGateway().setImage("registry.example.org/strongswan:evil");
              g.getSpec().getGateway().setReplicas(0); // allowed, and held back with the rest
              return g;
            });
    eventually(
        () -> {
          Condition ready = condition(gateway("gw"), "Ready");
          assertThat(ready.getReason()).isEqualTo("PolicyDenied");
          assertThat(ready.getMessage())
              .contains(
                  "spec.gateway.image: \"registry.example.org/strongswan:evil\" is not an allowed"
                      + " gateway image")
              .contains(
                  "spec.gateway.hostNetwork: the host network is not allowed in namespace vpn");
        });
    Thread.sleep(1500);
    assertThat(deployment("gw-gateway").getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(events("gw", "PolicyDenied")).hasSize(1);

    k8s.client
        .resources(IpsecGlobal.class)
        .inNamespace("vpn")
        .withName("gw")
        .edit(
            g -> {
              g.getSpec().getGateway().setHostNetwork(null);
              g.getSpec().getGateway().setImage(null);
              return g;
            });
    eventually(
        () -> {
          assertThat(deployment("gw-gateway").getSpec().getReplicas()).isZero();
          assertThat(condition(gateway("gw"), "Ready").getReason()).isNotEqualTo("PolicyDenied");
          assertThat(events("gw", "PolicyAllowed")).hasSize(1);
        });
    assertThat(deployment("gw-gateway").getSpec().getTemplate().getSpec().getHostNetwork())
        .isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void whatThePolicyAllowsInTheNamespaceRuns() {
    start(
        new GatewayPolicy(
            Set.of(),
            Set.of(),
            Set.of("registry.example.org/network/"),
            new GatewayPolicy.Switch(true, Set.of("vpn")),
            GatewayPolicy.Switch.OFF,
            GatewayPolicy.Switch.OFF));
    IpsecGlobal gw = TestResources.gateway("gw");
    gw.getSpec().getGateway().setHostNetwork(true);
    gw.getSpec().getGateway().setImage("registry.example.org/network/strongswan:6.0.1");
    k8s.create(gw);
    eventually(
        () -> {
          Deployment d = deployment("gw-gateway");
          assertThat(d).isNotNull();
          assertThat(d.getSpec().getTemplate().getSpec().getHostNetwork()).isTrue();
          assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
              .isEqualTo("registry.example.org/network/strongswan:6.0.1");
        });
    assertThat(events("gw", "PolicyDenied")).isEmpty();
  }

  IpsecGlobal gateway(String name) {
    IpsecGlobal gw =
        k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName(name).get();
    assertThat(gw.getStatus()).isNotNull();
    return gw;
  }

  Condition peerCondition(String peer, String type) {
    IpsecPeer p = k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName(peer).get();
    assertThat(p.getStatus()).isNotNull();
    Condition c = CryptoGroupReconcilerTest.condition(p.getStatus().getConditions(), type);
    assertThat(c).as(type).isNotNull();
    return c;
  }

  static Condition condition(IpsecGlobal gw, String type) {
    Condition c = CryptoGroupReconcilerTest.condition(gw.getStatus().getConditions(), type);
    assertThat(c).as(type).isNotNull();
    return c;
  }

  Deployment deployment(String name) {
    return k8s.client.apps().deployments().inNamespace("vpn").withName(name).get();
  }

  List<Event> events(String about, String reason) {
    return k8s.client.v1().events().inNamespace("vpn").list().getItems().stream()
        .filter(e -> about.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
