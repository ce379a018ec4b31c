package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the gateway's pods cannot be created or do not start, the IpsecGlobal's Ready says why in
 * the cluster's words: the Deployment's ReplicaFailure as the controller-manager writes it (Pod
 * Security admission), and a container's waiting reason as the kubelet writes it.
 */
class GatewayPodFailuresTest {

  static final String FORBIDDEN =
      "pods \"gw-gateway-7c9d-abcde\" is forbidden: violates PodSecurity \"baseline:latest\":"
          + " non-default capabilities (container \"charon\" must not include \"NET_ADMIN\","
          + " \"NET_BIND_SERVICE\" in securityContext.capabilities.add), runAsUser=0 (container"
          + " \"charon\" must not set runAsUser=0)";

  OperatorHarness k8s;

  @BeforeEach
  void start() {
    k8s = new OperatorHarness().start();
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.gateway("other"));
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void podSecurityAdmissionRefusingThePodsIsShownAsTheDeploymentsReplicaFailure() {
    eventually(() -> assertThat(deployment("gw-gateway")).isNotNull());
    // what the controller-manager writes when admission refuses the ReplicaSet's pods
    // a patch of the status subresource, as the controller-manager's: no conflict with the
    // operator's own writes
    var status =
        new DeploymentStatusBuilder()
            .withReplicas(0)
            .withUnavailableReplicas(1)
            .withConditions(
                new DeploymentConditionBuilder()
                    .withType("Available")
                    .withStatus("False")
                    .withReason("MinimumReplicasUnavailable")
                    .withMessage("Deployment does not have minimum availability.")
                    .build(),
                new DeploymentConditionBuilder()
                    .withType("ReplicaFailure")
                    .withStatus("True")
                    .withReason("FailedCreate")
                    .withMessage(FORBIDDEN)
                    .build())
            .build();
    k8s.client
        .apps()
        .deployments()
        .inNamespace("vpn")
        .withName("gw-gateway")
        .editStatus(
            d -> {
              d.setStatus(status);
              return d;
            });

    eventually(
        () -> {
          Condition ready = condition("gw", "Ready");
          assertThat(ready.getStatus()).isEqualTo("False");
          assertThat(ready.getReason()).isEqualTo("ReplicaFailure");
          assertThat(ready.getMessage())
              .isEqualTo(
                  "0 of 1 gateway pods ready: Deployment: ReplicaFailure (FailedCreate): "
                      + FORBIDDEN);
          assertThat(events("gw", "ReplicaFailure"))
              .singleElement()
              .satisfies(e -> assertThat(e.getMessage()).contains("violates PodSecurity"));
        });
    // the other gateway's pods are not failing: they are still starting (its status may be
    // written after gw's, on a loaded machine)
    eventually(
        () ->
            assertThat(condition("other", "Ready"))
                .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
                .containsExactly(
                    "Unknown",
                    "PodsStarting",
                    "0 of 1 gateway pods ready; waiting for the pods to be created"));
  }

  @Test
  void aContainerThatCannotPullItsImageIsNamedWithThePod() {
    Pod created = OwnedPods.create(k8s, "gw", "gw-gateway-1");
    // what the kubelet writes for an image it cannot pull
    var status =
        new PodStatusBuilder(created.getStatus())
            .withConditions(
                new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                    .withType("Ready")
                    .withStatus("False")
                    .build())
            .addNewContainerStatus()
            .withName("charon")
            .withReady(false)
            .withNewState()
            .withNewWaiting()
            .withReason("ImagePullBackOff")
            .withMessage(
                "Back-off pulling image \"ghcr.io/ipsec-operator/strongswan:5.9.8-5-deb12u6\"")
            .endWaiting()
            .endState()
            .endContainerStatus()
            .build();
    k8s.client
        .pods()
        .inNamespace("vpn")
        .withName("gw-gateway-1")
        .editStatus(
            p -> {
              p.setStatus(status);
              return p;
            });

    eventually(
        () -> {
          Condition ready = condition("gw", "Ready");
          assertThat(ready.getReason()).isEqualTo("ContainerWaiting");
          assertThat(ready.getMessage())
              .isEqualTo(
                  "0 of 1 gateway pods ready: pod gw-gateway-1 container charon:"
                      + " ImagePullBackOff: Back-off pulling image"
                      + " \"ghcr.io/ipsec-operator/strongswan:5.9.8-5-deb12u6\"");
          assertThat(events("gw", "ContainerWaiting")).hasSize(1);
        });
  }

  Condition condition(String gateway, String type) {
    IpsecGlobal gw =
        k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName(gateway).get();
    assertThat(gw.getStatus()).isNotNull();
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
