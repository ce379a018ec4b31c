package dev.ipsec.operator.demo;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.IpsecOperator;
import dev.ipsec.operator.reconcile.OperatorSettings;
import dev.ipsec.operator.reconcile.TestResources;
import dev.ipsec.operator.reconcile.agentstate.AgentPolling;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On the embedded API server, as on a real one: when Pod Security admission refuses the gateway's
 * pods, the controller-manager writes ReplicaFailure into the Deployment's status subresource, and
 * the IpsecGlobal's Ready carries its reason and message instead of "0 of 1 gateway pods ready".
 * The Deployment's spec, which the operator wrote, is untouched by the status write.
 */
class ReplicaFailureStatusTest {

  static final String NS = "vpn";
  static final String FORBIDDEN =
      "pods \"gw-gateway-7c9d-abcde\" is forbidden: violates PodSecurity \"restricted:latest\":"
          + " runAsNonRoot != true (container \"charon\" must not set runAsNonRoot=false)";

  EmbeddedApiServer server;
  KubernetesClient client;
  IpsecOperator operator;

  @BeforeEach
  void start() {
    server = new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0);
    client = server.client();
    operator =
        IpsecOperator.start(
            client,
            OperatorSettings.defaults()
                .withNamespaces(Set.of(NS))
                .withAgentPolling(AgentPolling.disabled()));
  }

  @AfterEach
  void stop() {
    operator.close();
    server.close();
  }

  @Test
  void theDeploymentsReplicaFailureReachesTheGatewaysReadyCondition() {
    client.resource(TestResources.gateway("gw")).create();
    eventually(
        () ->
            assertThat(client.apps().deployments().inNamespace(NS).withName("gw-gateway").get())
                .isNotNull());
    Deployment d = client.apps().deployments().inNamespace(NS).withName("gw-gateway").get();
    String template = d.getSpec().getTemplate().toString();
    var status =
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withUnavailableReplicas(1)
            .withConditions(
                new DeploymentConditionBuilder()
                    .withType("ReplicaFailure")
                    .withStatus("True")
                    .withReason("FailedCreate")
                    .withMessage(FORBIDDEN)
                    .build())
            .build();
    // a patch of the status subresource, as the controller-manager writes it
    client
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("gw-gateway")
        .editStatus(
            live -> {
              live.setStatus(status);
              return live;
            });

    eventually(
        () -> {
          Condition ready = ready();
          assertThat(ready.getStatus()).isEqualTo("False");
          assertThat(ready.getReason()).isEqualTo("ReplicaFailure");
          assertThat(ready.getMessage())
              .isEqualTo(
                  "0 of 1 gateway pods ready: Deployment: ReplicaFailure (FailedCreate): "
                      + FORBIDDEN);
        });
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("gw-gateway")
                .get()
                .getSpec()
                .getTemplate()
                .toString())
        .isEqualTo(template);
  }

  Condition ready() {
    IpsecGlobal gw = client.resources(IpsecGlobal.class).inNamespace(NS).withName("gw").get();
    assertThat(gw.getStatus()).isNotNull();
    return gw.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .findFirst()
        .orElseThrow();
  }
}
