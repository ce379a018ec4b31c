package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateways whose last full reconcile settled everything it wrote, with the fingerprint of what
 * it read ({@link GatewayFingerprint}) and what its status was made of ({@code T}). A reconcile
 * whose fingerprint is the same needs no render, plan or write: only its agents' reports can have
 * changed, so only the status is built again, from the remembered outcome and the reports. At 500
 * gateways whose agents report 200 changes a second, that is the difference between a whole
 * reconcile (every peer rendered, every owned object compared) per report and a status write.
 *
 * <p>Only a reconcile that settled is remembered ({@link #settled}): one whose writes the API
 * server refused, that met someone else's object, kept a peer's last valid files or found a
 * reference missing is not, and the next reconcile is a full one again ({@link #unsettled}). What
 * nothing announces (an agent certificate due for renewal, someone else's object taking an unused
 * shard name) is caught because a remembered outcome stands only {@link #FULL_AT_LEAST_EVERY}.
 */
public final class SettledGateways<T> {

  /**
   * How long a settled outcome stands: a gateway that its agents wake all the time still gets a
   * full reconcile this often, as often as {@link ForeignShardChecks} looks at unused shard names
   * and well inside an agent certificate's renewal window.
   */
  public static final Duration FULL_AT_LEAST_EVERY = ForeignShardChecks.LOOK_AGAIN_AFTER;

  private record Settled<T>(GatewayFingerprint fingerprint, Instant at, T outcome) {}

  private final Map<GatewayId, Settled<T>> settled = new ConcurrentHashMap<>();
  private final Clock clock;

  public SettledGateways(Clock clock) {
    this.clock = clock;
  }

  /**
   * The outcome of the last full reconcile, when it settled, its inputs are {@code now}'s and it is
   * recent enough: the status alone may then be built from it.
   */
  public Optional<T> unchanged(GatewayId gateway, GatewayFingerprint now) {
    Settled<T> last = settled.get(gateway);
    if (last == null
        || !last.fingerprint().equals(now)
        || !clock.instant().isBefore(last.at().plus(FULL_AT_LEAST_EVERY))) {
      return Optional.empty();
    }
    return Optional.of(last.outcome());
  }

  /** A full reconcile with these inputs wrote everything and left nothing to look at again. */
  public void settled(GatewayId gateway, GatewayFingerprint fingerprint, T outcome) {
    settled.put(gateway, new Settled<>(fingerprint, clock.instant(), outcome));
  }

  /** A full reconcile did not settle: the next one is full too. */
  public void unsettled(GatewayId gateway) {
    settled.remove(gateway);
  }

  /** The gateway was deleted. */
  public void forget(GatewayId gateway) {
    settled.remove(gateway);
  }
}
