package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A store of peers indexed by what they name through a {@link PeerReferenceIndex} instead of
 * fabric8's index, which leaves a peer out of its values for a moment each time it replaces it. The
 * IpsecPeer controller's own cache is one (whole peers): every status write of a peer replaces it
 * there, and a Secret, ConfigMap, group or gateway event mapped to its peers at that moment would
 * miss that peer, e.g. a PSK rotation not reaching its status until the peer's next event. The
 * other controllers' peer informers keep less of each peer ({@link SpecOnlyPeerStore}).
 */
public class IndexedPeerStore implements ItemStore<IpsecPeer> {

  private final BasicItemStore<IpsecPeer> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final PeerReferenceIndex index = new PeerReferenceIndex();

  @Override
  public String getKey(IpsecPeer peer) {
    return store.getKey(peer);
  }

  @Override
  public IpsecPeer put(String key, IpsecPeer peer) {
    IpsecPeer previous = store.put(key, kept(peer));
    index.replaced(key, previous, peer);
    dropped(previous);
    return previous;
  }

  @Override
  public IpsecPeer remove(String key) {
    IpsecPeer previous = store.remove(key);
    index.replaced(key, previous, null);
    dropped(previous);
    return previous;
  }

  /** What is stored of {@code peer} (it is indexed as it came): the whole peer here. */
  protected IpsecPeer kept(IpsecPeer peer) {
    return peer;
  }

  /** The store no longer holds {@code peer} (null: it held none under that key). */
  protected void dropped(IpsecPeer peer) {}

  @Override
  public Stream<String> keySet() {
    return store.keySet();
  }

  @Override
  public Stream<IpsecPeer> values() {
    return store.values();
  }

  @Override
  public int size() {
    return store.size();
  }

  @Override
  public IpsecPeer get(String key) {
    return store.get(key);
  }

  /**
   * The peers that name {@code value} (a {@link PeerReferences#indexKeys} value): never missing a
   * peer that names it before and after a change.
   */
  public List<IpsecPeer> byReference(String value) {
    List<IpsecPeer> peers = new ArrayList<>();
    for (String key : index.keys(value)) {
      IpsecPeer peer = store.get(key);
      if (peer != null) {
        peers.add(peer);
      }
    }
    return peers;
  }
}
