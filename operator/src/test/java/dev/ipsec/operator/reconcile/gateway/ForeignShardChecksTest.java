package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * When a gateway's unused shard names are looked up again: after what its volume is made of
 * changed, after a while, for a new object of the same name, and always while a look found one.
 */
class ForeignShardChecksTest {

  static final GatewayId GW = new GatewayId("vpn", "gw");

  final MovingClock clock = new MovingClock();
  final ForeignShardChecks checks = new ForeignShardChecks(clock);

  @Test
  void aLookThatFoundNothingStandsWhileTheVolumeIsTheSame() {
    assertThat(checks.due(GW, "uid-1", 1, "r1")).as("never looked").isTrue();
    checks.looked(GW, "uid-1", 1, "r1", true);

    // an agent's report wakes the gateway: nothing its volume is made of changed
    assertThat(checks.due(GW, "uid-1", 1, "r1")).isFalse();
    clock.advance(ForeignShardChecks.LOOK_AGAIN_AFTER.minusSeconds(1));
    assertThat(checks.due(GW, "uid-1", 1, "r1")).isFalse();
    // another gateway has looks of its own
    assertThat(checks.due(new GatewayId("vpn", "other"), "uid-2", 1, "r1")).isTrue();
  }

  @Test
  void whatTheContractNamesLooksAgain() {
    checks.looked(GW, "uid-1", 1, "r1", true);

    assertThat(checks.due(GW, "uid-1", 2, "r1")).as("a spec edit").isTrue();
    assertThat(checks.due(GW, "uid-1", 1, "r2"))
        .as("a new peer, an edited Secret: another revision")
        .isTrue();
    assertThat(checks.due(GW, "uid-9", 1, "r1")).as("deleted and created again").isTrue();
    clock.advance(ForeignShardChecks.LOOK_AGAIN_AFTER);
    assertThat(checks.due(GW, "uid-1", 1, "r1")).as("a while has passed").isTrue();
  }

  @Test
  void aLookThatFoundAnObjectOrWasRefusedIsNotRemembered() {
    checks.looked(GW, "uid-1", 1, "r1", true);
    checks.looked(GW, "uid-1", 1, "r1", false);

    assertThat(checks.due(GW, "uid-1", 1, "r1")).isTrue();
  }

  @Test
  void aDeletedGatewayIsForgotten() {
    checks.looked(GW, "uid-1", 1, "r1", true);
    checks.forget(GW);

    assertThat(checks.due(GW, "uid-1", 1, "r1")).isTrue();
  }

  static final class MovingClock extends Clock {
    private Instant now = Instant.parse("2026-12-06T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
