package dev.ipsec.operator.reconcile.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The controller-manager's and the kubelet's reasons why a gateway's pods do not come up. */
class PodFailuresTest {

  static final String FORBIDDEN =
      "pods \"gw-gateway-5d8f-x\" is forbidden: violates PodSecurity \"baseline:latest\":"
          + " non-default capabilities (container \"charon\" must not include \"NET_ADMIN\" in"
          + " securityContext.capabilities.add), hostPath volumes (volume \"tun\")";

  @Test
  void aReplicaFailureOfTheDeploymentIsShownWithTheControllersReasonAndMessage() {
    var failure =
        PodFailures.of(
                Optional.of(deployment("ReplicaFailure", "True", "FailedCreate", FORBIDDEN)),
                List.of())
            .orElseThrow();
    assertThat(failure.reason()).isEqualTo(PodFailures.REPLICA_FAILURE);
    assertThat(failure.message())
        .isEqualTo("Deployment: ReplicaFailure (FailedCreate): " + FORBIDDEN);
  }

  @Test
  void aPassedProgressDeadlineIsAReplicaFailureToo() {
    assertThat(
            PodFailures.of(
                Optional.of(
                    deployment(
                        "Progressing",
                        "False",
                        "ProgressDeadlineExceeded",
                        "ReplicaSet \"gw-gateway-5d8f\" has timed out progressing.")),
                List.of()))
        .hasValueSatisfying(
            f -> assertThat(f.message()).contains("ProgressDeadlineExceeded: ReplicaSet"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ImagePullBackOff",
        "ErrImagePull",
        "CrashLoopBackOff",
        "CreateContainerConfigError",
        "InvalidImageName"
      })
  void aContainerStuckWaitingIsNamedWithItsPod(String reason) {
    var failure =
        PodFailures.of(Optional.empty(), List.of(waiting("gw-gateway-1", "charon", reason, "why")))
            .orElseThrow();
    assertThat(failure.reason()).isEqualTo(PodFailures.CONTAINER_WAITING);
    assertThat(failure.message())
        .isEqualTo("pod gw-gateway-1 container charon: " + reason + ": why");
  }

  @Test
  void waitingThatClearsByItselfAndHealthyObjectsAreNoFailure() {
    assertThat(
            PodFailures.of(
                Optional.of(deployment("Available", "True", "MinimumReplicasAvailable", "ok")),
                List.of(waiting("gw-gateway-1", "charon", "ContainerCreating", null))))
        .isEmpty();
    assertThat(
            PodFailures.of(
                Optional.of(deployment("ReplicaFailure", "False", "FailedCreate", "old")),
                List.of()))
        .isEmpty();
    assertThat(PodFailures.of(Optional.empty(), List.of())).isEmpty();
  }

  @Test
  void anUnschedulablePodIsNamed() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("gw-gateway-1")
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/3 nodes are available: 3 node(s) had untolerated taint.")
            .endCondition()
            .endStatus()
            .build();
    assertThat(PodFailures.of(Optional.empty(), List.of(pod)))
        .hasValueSatisfying(
            f ->
                assertThat(f.message())
                    .isEqualTo(
                        "pod gw-gateway-1: Unschedulable: 0/3 nodes are available: 3 node(s) had"
                            + " untolerated taint."));
  }

  @Test
  void theDeploymentComesFirstAndALongListIsCutShort() {
    var failure =
        PodFailures.of(
                Optional.of(
                    deployment("ReplicaFailure", "True", "FailedCreate", "quota\nexceeded")),
                List.of(
                    waiting("p-3", "agent", "CrashLoopBackOff", "x".repeat(1000)),
                    waiting("p-1", "charon", "ErrImagePull", "a"),
                    waiting("p-2", "charon", "ErrImagePull", "b")))
            .orElseThrow();
    assertThat(failure.reason()).isEqualTo(PodFailures.REPLICA_FAILURE);
    assertThat(failure.message())
        .startsWith("Deployment: ReplicaFailure (FailedCreate): quota exceeded; pod p-1")
        .contains("pod p-2 container charon: ErrImagePull: b")
        .endsWith("; and 1 more")
        .doesNotContain("p-3")
        .doesNotContain("\n");
    assertThat(
            PodFailures.of(
                    Optional.empty(),
                    List.of(waiting("p", "agent", "CrashLoopBackOff", "x".repeat(1000))))
                .orElseThrow()
                .message())
        .hasSizeLessThan(400)
        .endsWith("...");
  }

  static Deployment deployment(String type, String status, String reason, String message) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("gw-gateway")
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .endCondition()
        .endStatus()
        .build();
  }

  static Pod waiting(String pod, String container, String reason, String message) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(pod)
        .endMetadata()
        .withNewStatus()
        .addNewContainerStatus()
        .withName(container)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }
}
