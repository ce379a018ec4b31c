package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store of a peer informer that another controller reads (gateways, groups): each peer without
 * its status and without {@code managedFields}, which those controllers never read. A peer's status
 * (five conditions with their messages, the SAs) is most of what the API server sends of it, and
 * three such informers each held all of it for every peer: at 10,000 peers, about a fifth of the
 * operator's heap. The IpsecPeer controller's own cache keeps the whole peer.
 *
 * <p>The informer hands the whole object to its event handlers (their filters compare generations,
 * their mappers read the spec); only what stays in the cache is pruned.
 *
 * <p>It also indexes the peers by what they name ({@link #byReference}), in place of fabric8's
 * index, which loses a peer for a moment each time it replaces it (see {@link IndexedPeerStore}).
 */
final class SpecOnlyPeerStore extends IndexedPeerStore {

  /** The pruned peers of every such store of the process, each version once. */
  private static final SharedVersions SHARED = new SharedVersions();

  private final SharedVersions shared;

  SpecOnlyPeerStore() {
    this(SHARED);
  }

  SpecOnlyPeerStore(SharedVersions shared) {
    this.shared = shared;
  }

  @Override
  protected IpsecPeer kept(IpsecPeer peer) {
    return shared.acquire(peer);
  }

  @Override
  protected void dropped(IpsecPeer peer) {
    shared.release(peer);
  }

  /**
   * One pruned peer per uid and resourceVersion for all the stores that hold it, counted so that it
   * goes with the last store that lets it go.
   */
  static final class SharedVersions {

    private record Held(IpsecPeer peer, int stores) {}

    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** The pruned {@code peer}, the one another store holds when there is one. */
    IpsecPeer acquire(IpsecPeer peer) {
      String version = version(peer);
      if (version == null) {
        return specOnly(peer); // not from a server: nothing to share it by
      }
      return held.compute(
              version,
              (v, h) ->
                  h == null ? new Held(specOnly(peer), 1) : new Held(h.peer(), h.stores() + 1))
          .peer();
    }

    /** A store no longer holds {@code peer} (null: it held none). */
    void release(IpsecPeer peer) {
      String version = peer == null ? null : version(peer);
      if (version != null) {
        held.computeIfPresent(
            version, (v, h) -> h.stores() <= 1 ? null : new Held(h.peer(), h.stores() - 1));
      }
    }

    int size() {
      return held.size();
    }

    private static String version(IpsecPeer peer) {
      ObjectMeta meta = peer.getMetadata();
      return meta == null || meta.getUid() == null || meta.getResourceVersion() == null
          ? null
          : meta.getUid() + "@" + meta.getResourceVersion();
    }
  }

  /** A new peer with the same metadata (less managedFields) and spec, and no status. */
  static IpsecPeer specOnly(IpsecPeer peer) {
    IpsecPeer kept = new IpsecPeer();
    kept.setApiVersion(peer.getApiVersion());
    kept.setKind(peer.getKind());
    ObjectMeta meta = peer.getMetadata();
    if (meta != null && meta.getManagedFields() != null && !meta.getManagedFields().isEmpty()) {
      meta = new ObjectMetaBuilder(meta).withManagedFields((List<ManagedFieldsEntry>) null).build();
    }
    kept.setMetadata(meta);
    kept.setSpec(peer.getSpec());
    kept.setStatus(null);
    return kept;
  }
}
