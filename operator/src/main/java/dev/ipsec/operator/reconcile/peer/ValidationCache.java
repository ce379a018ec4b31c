package dev.ipsec.operator.reconcile.peer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One result per peer, reused while the inputs it was computed from are the same ({@link #get}): a
 * peer reconciled again without a change of its spec or of anything it refers to (the gateway's
 * plan announcing it, a resync, its own status write) is not validated again. Peers that no longer
 * exist are dropped once the cache has doubled since the last look ({@link #prune}), so it holds
 * about one entry per live peer.
 *
 * @param <K> the inputs' fingerprint; equal fingerprints must give equal results
 * @param <V> the result
 */
final class ValidationCache<K, V> {

  /** Below this many entries nothing is pruned: a handful of stale entries cost nothing. */
  static final int PRUNE_FLOOR = 1024;

  private record Entry<K, V>(K inputs, V result) {}

  private final Map<String, Entry<K, V>> entries = new ConcurrentHashMap<>();
  private final AtomicBoolean pruning = new AtomicBoolean();
  private volatile int pruneAt = PRUNE_FLOOR;

  /**
   * The result for {@code peer} (namespace/name) computed from {@code inputs}: the cached one when
   * it was computed from equal inputs, else {@code compute}'s, which is kept. A null {@code inputs}
   * (not every version known) is never cached.
   */
  V get(String peer, K inputs, Supplier<V> compute) {
    if (inputs == null) {
      return compute.get();
    }
    Entry<K, V> cached = entries.get(peer);
    if (cached != null && cached.inputs().equals(inputs)) {
      return cached.result();
    }
    V result = compute.get();
    entries.put(peer, new Entry<>(inputs, result));
    return result;
  }

  /**
   * Drops the entries of peers {@code exists} no longer knows, when the cache has doubled since the
   * last time: amortised, one look at each entry per doubling.
   */
  void prune(Predicate<String> exists) {
    if (entries.size() < pruneAt || !pruning.compareAndSet(false, true)) {
      return;
    }
    try {
      entries.keySet().removeIf(exists.negate());
      pruneAt = Math.max(PRUNE_FLOOR, 2 * entries.size());
    } finally {
      pruning.set(false);
    }
  }

  int size() {
    return entries.size();
  }
}
