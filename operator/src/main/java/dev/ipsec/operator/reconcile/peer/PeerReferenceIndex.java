package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which peer keys name each {@link PeerReferences#indexKeys} value, in a peer store that is read
 * while the informer writes it.
 *
 * <p>fabric8's own index moves a replaced object out of every index value and then back in, and its
 * readers take no lock: a reader between the two sees the peer missing although it names the object
 * before and after. Every new version of a peer (each status write, each watch event for a peer the
 * cache holds) is such a replacement, so a group counted one peer fewer or a gateway could render
 * without one. Here a replacement adds the key to its new values before it leaves the old ones it
 * no longer has, so a peer that keeps naming an object is never out of its value.
 */
final class PeerReferenceIndex {

  private final Map<String, Set<String>> keysByValue = new ConcurrentHashMap<>();

  /** The peer under {@code key} was {@code before} and is now {@code after} (null: none). */
  void replaced(String key, IpsecPeer before, IpsecPeer after) {
    Set<String> now = after == null ? Set.of() : new HashSet<>(PeerReferences.indexKeys(after));
    for (String value : now) {
      keysByValue.compute(
          value,
          (v, keys) -> {
            Set<String> kept = keys == null ? ConcurrentHashMap.newKeySet() : keys;
            kept.add(key);
            return kept;
          });
    }
    if (before == null) {
      return;
    }
    for (String value : PeerReferences.indexKeys(before)) {
      if (!now.contains(value)) {
        keysByValue.computeIfPresent(
            value,
            (v, keys) -> {
              keys.remove(key);
              return keys.isEmpty() ? null : keys;
            });
      }
    }
  }

  /** The keys of the peers that name {@code value}; a live view, read without a lock. */
  Set<String> keys(String value) {
    return Collections.unmodifiableSet(keysByValue.getOrDefault(value, Set.of()));
  }
}
