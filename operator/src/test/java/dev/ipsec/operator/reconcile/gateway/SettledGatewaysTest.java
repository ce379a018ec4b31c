package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.reconcile.TestResources;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import dev.ipsec.operator.reconcile.gateway.ForeignShardChecksTest.MovingClock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A settled outcome stands for the same fingerprint and at most {@link
 * SettledGateways#FULL_AT_LEAST_EVERY}; a reconcile that did not settle, or the gateway's deletion,
 * ends it.
 */
class SettledGatewaysTest {

  static final GatewayId GW = new GatewayId("vpn", "gw");

  final MovingClock clock = new MovingClock();
  final SettledGateways<String> settled = new SettledGateways<>(clock);
  final GatewayFingerprint inputs = fingerprint("1");

  @Test
  void theSameInputsReuseTheOutcomeForAWhile() {
    assertThat(settled.unchanged(GW, inputs)).as("never reconciled").isEmpty();
    settled.settled(GW, inputs, "outcome");

    assertThat(settled.unchanged(GW, fingerprint("1"))).contains("outcome");
    assertThat(settled.unchanged(GW, fingerprint("2"))).as("another input").isEmpty();
    assertThat(settled.unchanged(new GatewayId("vpn", "other"), inputs)).isEmpty();
    clock.advance(SettledGateways.FULL_AT_LEAST_EVERY.minusSeconds(1));
    assertThat(settled.unchanged(GW, inputs)).contains("outcome");
    clock.advance(java.time.Duration.ofSeconds(1));
    assertThat(settled.unchanged(GW, inputs))
        .as("what nothing announces: a full reconcile at least this often")
        .isEmpty();
  }

  @Test
  void aReconcileThatDidNotSettleIsNeverReused() {
    settled.settled(GW, inputs, "outcome");
    settled.unsettled(GW); // a refused write, a conflict, a kept peer

    assertThat(settled.unchanged(GW, inputs)).isEmpty();
  }

  @Test
  void aDeletedGatewayIsForgotten() {
    settled.settled(GW, inputs, "outcome");
    settled.forget(GW);

    assertThat(settled.unchanged(GW, inputs)).isEqualTo(Optional.empty());
  }

  private static GatewayFingerprint fingerprint(String resourceVersion) {
    var gateway = TestResources.gateway("gw");
    gateway.getMetadata().setUid("gw-uid");
    gateway.getMetadata().setGeneration(1L);
    var pod =
        new io.fabric8.kubernetes.api.model.PodBuilder()
            .withNewMetadata()
            .withName("gw-gateway-0")
            .withUid("pod-uid")
            .withResourceVersion(resourceVersion)
            .endMetadata()
            .build();
    return GatewayFingerprint.of(
        gateway,
        List.of(),
        new GatewayFingerprint.Lookups(
            n -> Optional.empty(),
            n -> Optional.empty(),
            n -> Optional.empty(),
            n -> Optional.empty()),
        List.of(pod),
        GatewayDefaults.defaults(),
        GatewayPolicy.defaults());
  }
}
