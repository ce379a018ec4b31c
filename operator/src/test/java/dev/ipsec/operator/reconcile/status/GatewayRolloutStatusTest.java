package dev.ipsec.operator.reconcile.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import dev.ipsec.operator.reconcile.ownership.NameConflict;
import dev.ipsec.operator.reconcile.ownership.NameConflicts;
import dev.ipsec.operator.render.FieldError;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the gateway's Ready says when something stands between its spec and running pods, in which
 * order, and which Events the transitions deserve.
 */
class GatewayRolloutStatusTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);
  static final FieldError DENIED =
      new FieldError("spec.gateway.hostNetwork", "the host network is not allowed", "PolicyDenied");
  static final PodFailures.Failure FORBIDDEN =
      new PodFailures.Failure(
          PodFailures.REPLICA_FAILURE, "Deployment: ReplicaFailure (FailedCreate): forbidden");

  @Test
  void aPolicyDenialComesBeforeNameConflictsAndPodFailures() {
    NameConflicts conflicts = new NameConflicts();
    conflicts.add(new NameConflict("ConfigMap", "gw-strongswan", "not labelled"));
    conflicts.holdBack(
        "Deployment gw-gateway",
        Set.of(new NameConflicts.ObjectName("ConfigMap", "gw-strongswan")));
    IpsecGlobalStatus s =
        status(null, List.of(), conflicts, List.of(DENIED), Optional.of(FORBIDDEN));
    Condition ready = ready(s);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("PolicyDenied");
    assertThat(ready.getMessage())
        .isEqualTo(
            "spec.gateway.hostNetwork: the host network is not allowed; Deployment gw-gateway is"
                + " not created or updated (pods that run keep the last allowed spec)");
    // the valid spec is not invalid: the platform refuses it
    assertThat(ByType.condition(s, "Valid").getStatus()).isEqualTo("True");
  }

  @Test
  void aPodFailureExplainsMissingPodsOnly() {
    assertThat(
            ready(status(null, List.of(), new NameConflicts(), List.of(), Optional.of(FORBIDDEN))))
        .satisfies(
            r -> {
              assertThat(r.getReason()).isEqualTo("ReplicaFailure");
              assertThat(r.getMessage())
                  .isEqualTo(
                      "0 of 1 gateway pods ready: Deployment: ReplicaFailure (FailedCreate):"
                          + " forbidden");
            });
    // all pods ready (a failing surge pod of a rollout, say): Ready stays True
    assertThat(
            ready(
                status(
                    null,
                    List.of(readyPod()),
                    new NameConflicts(),
                    List.of(),
                    Optional.of(FORBIDDEN))))
        .satisfies(r -> assertThat(r.getReason()).isEqualTo("PodsReady"));
  }

  @Test
  void podsThatStartAreUnknownNotFalse() {
    Condition none =
        ready(status(null, List.of(), new NameConflicts(), List.of(), Optional.empty()));
    assertThat(none)
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly(
            "Unknown",
            "PodsStarting",
            "0 of 1 gateway pods ready; waiting for the pods to be created");
    Condition starting =
        ready(
            status(
                null,
                List.of(pod("gw-gateway-a-1", "a", false)),
                new NameConflicts(),
                List.of(),
                Optional.empty()));
    assertThat(starting)
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("Unknown", "PodsStarting", "0 of 1 gateway pods ready; pods starting");
  }

  @Test
  void podsOfTwoTemplatesAreARollingUpdate() {
    IpsecGlobalStatus s =
        GatewayStatusBuilder.build(
            null,
            1L,
            List.of(),
            0,
            2,
            List.of(
                pod("gw-gateway-a-1", "a", true),
                pod("gw-gateway-a-2", "a", true),
                pod("gw-gateway-b-1", "b", false)),
            List.of(),
            0,
            0,
            "r1",
            new NameConflicts(),
            GatewayStatusBuilder.Rollout.unhindered("gw-gateway"),
            CLOCK);
    // two old pods ready cover the two replicas: Ready is True while the surge pod starts
    assertThat(ready(s).getStatus()).isEqualTo("True");

    IpsecGlobalStatus rolling =
        status(
            null,
            List.of(pod("gw-gateway-a-1", "a", false), pod("gw-gateway-b-1", "b", false)),
            new NameConflicts(),
            List.of(),
            Optional.empty());
    assertThat(ready(rolling))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly(
            "Unknown",
            "RollingUpdate",
            "0 of 1 gateway pods ready; rolling update: pods of 2 templates run side by side");
  }

  @Test
  void aPodFailureStillMakesReadyFalse() {
    Condition failing =
        ready(
            status(
                null,
                List.of(pod("gw-gateway-a-1", "a", false), pod("gw-gateway-b-1", "b", false)),
                new NameConflicts(),
                List.of(),
                Optional.of(FORBIDDEN)));
    assertThat(failing.getStatus()).isEqualTo("False");
    assertThat(failing.getReason()).isEqualTo("ReplicaFailure");
  }

  @Test
  void scaledToZeroIsFalseOnPurpose() {
    IpsecGlobalStatus s =
        GatewayStatusBuilder.build(
            null,
            1L,
            List.of(),
            0,
            0,
            List.of(),
            List.of(),
            0,
            0,
            "r1",
            new NameConflicts(),
            GatewayStatusBuilder.Rollout.unhindered("gw-gateway"),
            CLOCK);
    assertThat(ready(s))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly(
            "False",
            "ScaledToZero",
            "the gateway is scaled to zero (spec.gateway.replicas: 0): no pod runs its tunnels");
    assertThat(s.getReadyPods()).isEqualTo("0/0");
  }

  @Test
  void startingAndRollingRecordNoEvent() {
    IpsecGlobalStatus starting =
        status(null, List.of(), new NameConflicts(), List.of(), Optional.empty());
    IpsecGlobalStatus rolling =
        status(
            starting,
            List.of(pod("gw-gateway-a-1", "a", false), pod("gw-gateway-b-1", "b", false)),
            new NameConflicts(),
            List.of(),
            Optional.empty());
    assertThat(GatewayEvents.between(null, starting)).isEmpty();
    assertThat(GatewayEvents.between(starting, rolling)).isEmpty();
  }

  @Test
  void eventsOncePerTransition() {
    IpsecGlobalStatus denied =
        status(null, List.of(), new NameConflicts(), List.of(DENIED), Optional.empty());
    assertThat(GatewayEvents.between(null, denied))
        .extracting(GatewayEvents.GatewayEvent::reason)
        .containsExactly("PolicyDenied");
    assertThat(GatewayEvents.between(denied, denied)).isEmpty();
    IpsecGlobalStatus deniedMore =
        status(
            denied,
            List.of(),
            new NameConflicts(),
            List.of(DENIED, new FieldError("spec.gateway.image", "\"x\" is not", "PolicyDenied")),
            Optional.empty());
    assertThat(GatewayEvents.between(denied, deniedMore))
        .extracting(GatewayEvents.GatewayEvent::reason)
        .containsExactly("PolicyDenied");

    IpsecGlobalStatus failing =
        status(deniedMore, List.of(), new NameConflicts(), List.of(), Optional.of(FORBIDDEN));
    assertThat(GatewayEvents.between(deniedMore, failing))
        .extracting(GatewayEvents.GatewayEvent::type, GatewayEvents.GatewayEvent::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Normal", "PolicyAllowed"),
            org.assertj.core.groups.Tuple.tuple("Warning", "ReplicaFailure"));
    // the kubelet's back-off message changes, the reason does not: no second Event
    IpsecGlobalStatus stillFailing =
        status(
            failing,
            List.of(),
            new NameConflicts(),
            List.of(),
            Optional.of(new PodFailures.Failure(PodFailures.REPLICA_FAILURE, "other words")));
    assertThat(GatewayEvents.between(failing, stillFailing)).isEmpty();
  }

  static IpsecGlobalStatus status(
      IpsecGlobalStatus previous,
      List<Pod> pods,
      NameConflicts conflicts,
      List<FieldError> denied,
      Optional<PodFailures.Failure> failure) {
    return GatewayStatusBuilder.build(
        previous,
        1L,
        List.of(),
        0,
        1,
        pods,
        List.of(),
        0,
        0,
        "r1",
        conflicts,
        new GatewayStatusBuilder.Rollout("gw-gateway", denied, failure),
        CLOCK);
  }

  static Condition ready(IpsecGlobalStatus s) {
    return ByType.condition(s, "Ready");
  }

  static Pod readyPod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("gw-gateway-1")
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  static Pod pod(String name, String templateHash, boolean ready) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("pod-template-hash", templateHash)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  /** Conditions by type. */
  static final class ByType {
    static Condition condition(IpsecGlobalStatus s, String type) {
      return s.getConditions().stream()
          .filter(c -> c.getType().equals(type))
          .findFirst()
          .orElseThrow();
    }
  }
}
