package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a gateway's unused shard names are looked up again ({@link ForeignShards}: a GET of each,
 * about 60 for a gateway that uses one shard of each kind). No informer sees someone else's object
 * under those names, so nothing announces one; but most reconciles of a gateway are started by its
 * agents' reports (an SA that goes down, a rekey), and at a few hundred gateways those come by the
 * hundred a second: looking every time would cost the API server tens of thousands of GETs a second
 * that can only find what the last look found.
 *
 * <p>So a look that found no one else's object is remembered with what the gateway's volume was
 * made of then: the IpsecGlobal's generation and the revision of the plan, which covers its peers
 * and every Secret and ConfigMap they refer to. The names are looked up again when either changed
 * (a spec edit, a new peer, an edited Secret: the reconciles the operator's contract names), when
 * {@link #LOOK_AGAIN_AFTER} has passed, or when the gateway is a new object (another uid). A look
 * that found an object, or that the API server refused, is not remembered: while that lasts, every
 * reconcile looks again.
 */
final class ForeignShardChecks {

  /**
   * How long a look that found nothing stands: shorter than the operator's resync (10 minutes), so
   * that the resync of a gateway nothing else wakes always looks.
   */
  static final Duration LOOK_AGAIN_AFTER = Duration.ofMinutes(5);

  private record Look(String uid, long generation, String revision, Instant at) {}

  private final Map<GatewayId, Look> nothingFound = new ConcurrentHashMap<>();
  private final Clock clock;

  ForeignShardChecks(Clock clock) {
    this.clock = clock;
  }

  /** Whether the gateway's unused shard names need a look now. */
  boolean due(GatewayId gateway, String uid, long generation, String revision) {
    Look last = nothingFound.get(gateway);
    return last == null
        || !last.uid().equals(uid)
        || last.generation() != generation
        || !last.revision().equals(revision)
        || !clock.instant().isBefore(last.at().plus(LOOK_AGAIN_AFTER));
  }

  /** Records a look: remembered only when it found every unused name free. */
  void looked(GatewayId gateway, String uid, long generation, String revision, boolean allFree) {
    if (allFree && uid != null && revision != null) {
      nothingFound.put(gateway, new Look(uid, generation, revision, clock.instant()));
    } else {
      nothingFound.remove(gateway);
    }
  }

  /** The gateway was deleted. */
  void forget(GatewayId gateway) {
    nothingFound.remove(gateway);
  }
}
