package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.render.FieldError;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Whether a peer reconciled before its gateway's agents first reported must be reconciled again
 * when the startup bound passes (the agents are then taken as silent). Only when its status carried
 * over what the previous one said of the tunnels: a status built without anything to carry over (a
 * new peer, or one whose status already says that no agent has reported) is the same either side of
 * the bound, and asking again would only add a reconcile for every such peer of a starting
 * operator, 10,000 at once for a large gateway.
 */
public final class PeerStartupRecheck {

  private PeerStartupRecheck() {}

  /**
   * @param status the status this reconcile built while awaiting the agents' first report, as the
   *     peer will have it
   * @param generation the peer's {@code metadata.generation}
   * @param errors as {@code status} was built with
   * @param disabled as {@code status} was built with
   * @param running as {@code status} was built with
   * @param gatewayRefused as {@code status} was built with
   * @return true when the status built from {@code status} with no agent's report would differ
   *     beyond its timers
   */
  public static boolean needed(
      IpsecPeerStatus status,
      Long generation,
      List<FieldError> errors,
      boolean disabled,
      RunningConfig running,
      Optional<String> gatewayRefused,
      Clock clock) {
    IpsecPeerStatus silent =
        PeerStatusBuilder.build(
            status, generation, errors, disabled, running, Optional.empty(), gatewayRefused, clock);
    return PeerStatusBuilder.differsBeyondTimers(silent, status);
  }
}
