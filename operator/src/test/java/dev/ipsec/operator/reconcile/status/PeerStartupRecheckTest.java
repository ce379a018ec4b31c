package dev.ipsec.operator.reconcile.status;

import static dev.ipsec.operator.reconcile.status.KeptConfigurationStatusTest.CLOCK;
import static dev.ipsec.operator.reconcile.status.KeptConfigurationStatusTest.INVALID;
import static dev.ipsec.operator.reconcile.status.KeptConfigurationStatusTest.KEPT;
import static dev.ipsec.operator.reconcile.status.KeptConfigurationStatusTest.up;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.agentstate.PeerObservation;
import dev.ipsec.operator.render.FieldError;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A peer reconciled before its gateway's first report is reconciled again at the startup bound only
 * when its status carried over what the previous one said of the tunnels: a starting operator with
 * 10,000 new peers must not reconcile each of them once more after 30 s for nothing, and one
 * restarted over running tunnels must still take them as silent when the agents never answer.
 */
class PeerStartupRecheckTest {
  private static final Clock LATER =
      Clock.fixed(Instant.parse("2026-12-06T01:00:00Z"), ZoneOffset.UTC);
  private static final Optional<PeerObservation> NOT_YET =
      Optional.of(
          new PeerObservation(false, null, null, null, Map.of(), /* awaitingFirstReport */ true));
  private static final RunningConfig CURRENT = RunningConfig.current(KEPT, 3L);

  private static IpsecPeerStatus awaiting(IpsecPeerStatus previous, List<FieldError> errors) {
    return PeerStatusBuilder.build(
        previous, 3L, errors, false, CURRENT, NOT_YET, Optional.empty(), LATER);
  }

  private static boolean needed(IpsecPeerStatus status, List<FieldError> errors) {
    return PeerStartupRecheck.needed(status, 3L, errors, false, CURRENT, Optional.empty(), LATER);
  }

  @Test
  void aNewPeerIsNotAskedAgain() {
    IpsecPeerStatus first = awaiting(null, List.of());

    assertThat(needed(first, List.of())).isFalse();
    // nor when something else reconciles it before the bound: its status carries nothing over
    assertThat(needed(awaiting(first, List.of()), List.of())).isFalse();
  }

  @Test
  void aPeerWhoseTunnelsWereUpIsAskedAgainToBeTakenAsSilent() {
    IpsecPeerStatus wasUp =
        PeerStatusBuilder.build(
            null, 3L, List.of(), false, CURRENT, up(true), Optional.empty(), CLOCK);

    IpsecPeerStatus carried = awaiting(wasUp, List.of());

    assertThat(needed(carried, List.of())).isTrue();
  }

  @Test
  void anInvalidPeerWithoutAPreviousStatusIsNotAskedAgain() {
    IpsecPeerStatus invalid = awaiting(null, INVALID);

    assertThat(needed(invalid, INVALID)).isFalse();
  }
}
