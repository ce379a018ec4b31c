package dev.ipsec.operator.reconcile.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import dev.ipsec.operator.reconcile.ownership.Hashing;
import dev.ipsec.operator.reconcile.ownership.NameConflicts;
import dev.ipsec.operator.reconcile.ownership.NameConflicts.ObjectName;
import dev.ipsec.operator.reconcile.ownership.WriteFailure;
import dev.ipsec.operator.reconcile.ownership.WriteFailures;
import dev.ipsec.operator.render.FieldError;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code ObjectsWritten} condition and its Events: what the API server refused, Ready False
 * while it lasts, one Warning per change of the refusals (none for a retry refused the same way),
 * one Normal once all is written, Unknown while nothing is written.
 */
class ObjectsWrittenStatusTest {

  static final WriteFailure FORBIDDEN =
      new WriteFailure(
          "ConfigMap", "gw-config-0", "create", 403, WriteFailure.FORBIDDEN, "Forbidden", "no");
  static final WriteFailure INVALID =
      new WriteFailure(
          "Deployment", "gw-gateway", "update", 422, WriteFailure.INVALID, "Invalid", "bad");

  @Test
  void aRefusalIsTheConditionAndOneEventUntilItChangesOrIsGone() {
    IpsecGlobalStatus written = status(null, new WriteFailures());
    assertThat(GatewayRolloutStatusTest.ByType.condition(written, "ObjectsWritten").getStatus())
        .isEqualTo("True");

    WriteFailures refused = new WriteFailures();
    refused.add(FORBIDDEN);
    refused.holdBack(new ObjectName("ConfigMap", "gw-swanctl"));
    IpsecGlobalStatus failing = status(written, refused);
    Condition c = GatewayRolloutStatusTest.ByType.condition(failing, "ObjectsWritten");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("Forbidden");
    assertThat(c.getMessage())
        .isEqualTo(
            "ConfigMap gw-config-0: create refused with 403 Forbidden: no. Not written until"
                + " then: ConfigMap gw-swanctl. Retried with back-off.");
    assertThat(GatewayRolloutStatusTest.ByType.condition(failing, "Ready").getReason())
        .isEqualTo("ObjectsNotWritten");
    assertThat(GatewayEvents.between(written, failing))
        .extracting(GatewayEvents.GatewayEvent::type, GatewayEvents.GatewayEvent::reason)
        .containsExactly(tuple("Warning", "Forbidden"));

    // a retry refused the same way: the same status (no write), no Event
    WriteFailures again = new WriteFailures();
    again.add(FORBIDDEN);
    again.holdBack(new ObjectName("ConfigMap", "gw-swanctl"));
    IpsecGlobalStatus stillFailing = status(failing, again);
    assertThat(Hashing.sameJson(stillFailing, failing)).isTrue();
    assertThat(GatewayEvents.between(failing, stillFailing)).isEmpty();

    // another refusal too: told again; the reason is the first one's by kind and name
    WriteFailures more = new WriteFailures();
    more.add(INVALID);
    more.add(FORBIDDEN);
    IpsecGlobalStatus worse = status(stillFailing, more);
    assertThat(GatewayRolloutStatusTest.ByType.condition(worse, "ObjectsWritten").getReason())
        .isEqualTo("Forbidden");
    assertThat(GatewayRolloutStatusTest.ByType.condition(worse, "ObjectsWritten").getMessage())
        .startsWith("ConfigMap gw-config-0: create refused")
        .contains("; Deployment gw-gateway: update refused with 422 Invalid: bad");
    assertThat(GatewayEvents.between(stillFailing, worse))
        .extracting(GatewayEvents.GatewayEvent::reason)
        .containsExactly("Forbidden");

    IpsecGlobalStatus healed = status(worse, new WriteFailures());
    assertThat(GatewayRolloutStatusTest.ByType.condition(healed, "ObjectsWritten").getStatus())
        .isEqualTo("True");
    assertThat(GatewayRolloutStatusTest.ByType.condition(healed, "Ready").getReason())
        .isEqualTo("PodsReady");
    assertThat(GatewayEvents.between(worse, healed))
        .extracting(GatewayEvents.GatewayEvent::type, GatewayEvents.GatewayEvent::reason)
        .containsExactly(tuple("Normal", "ObjectsWritten"));
  }

  @Test
  void nothingIsWrittenWhileTheGatewayIsInvalid() {
    IpsecGlobalStatus invalid =
        GatewayStatusBuilder.build(
            null,
            1L,
            List.of(new FieldError("spec.gateway.replicas", "must be 0 or 1, not 2")),
            0,
            1,
            List.of(),
            List.of(),
            0,
            0,
            null,
            null,
            GatewayStatusBuilder.Rollout.unhindered("gw-gateway"),
            GatewayRolloutStatusTest.CLOCK);
    assertThat(GatewayRolloutStatusTest.ByType.condition(invalid, "ObjectsWritten").getStatus())
        .isEqualTo("Unknown");
  }

  static IpsecGlobalStatus status(IpsecGlobalStatus previous, WriteFailures refused) {
    return GatewayStatusBuilder.build(
        previous,
        1L,
        List.of(),
        0,
        1,
        List.of(GatewayRolloutStatusTest.readyPod()),
        List.of(),
        0,
        0,
        "r1",
        new NameConflicts(),
        new GatewayStatusBuilder.Rollout("gw-gateway", List.of(), Optional.empty(), refused),
        GatewayRolloutStatusTest.CLOCK);
  }
}
