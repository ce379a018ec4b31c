package dev.ipsec.operator.vyos;

import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the pre-shared keys go back to VyOS: as VyOS 1.4 and later keep them, one global {@code
 * authentication psk NAME} entry per Secret key the peers use, with the ids of those peers (the
 * local id or address, the remote id or addresses, as the renderer owns a peer's PSK). charon, and
 * the import, pick an entry by those ids ({@link PskMatch}); a peer whose entry that would not pick
 * alone (another entry holds its ids, or it has none) keeps the older per-peer {@code
 * authentication pre-shared-secret} form, which the import and VyOS's migration still read, and is
 * named in a warning.
 */
final class PskExport {

  /** One global entry: its VyOS name, the Secret key its value comes from, its ids. */
  record Entry(String name, SecretKeyRef secret, List<String> ids) {}

  private final List<Entry> entries;
  private final Set<String> perPeer;

  private PskExport(List<Entry> entries, Set<String> perPeer) {
    this.entries = entries;
    this.perPeer = perPeer;
  }

  /** The global entries for the PSK peers among {@code peers}. */
  static PskExport of(List<IpsecPeer> peers) {
    List<IpsecPeer> candidates = new ArrayList<>();
    for (IpsecPeer peer : peers) {
      if (secretOf(peer.getSpec()) != null) {
        candidates.add(peer);
      }
    }
    Set<String> perPeer = new HashSet<>();
    // each round drops the peers their entry does not match alone; their ids leave the entries,
    // which can only make the others' matches clearer, so this ends
    while (true) {
      List<Entry> entries = entries(candidates);
      List<IpsecPeer> unmatched = new ArrayList<>();
      for (IpsecPeer peer : candidates) {
        if (!matchesOnlyItsOwn(peer, entries)) {
          unmatched.add(peer);
        }
      }
      if (unmatched.isEmpty()) {
        return new PskExport(entries, perPeer);
      }
      unmatched.forEach(p -> perPeer.add(p.getMetadata().getName()));
      candidates.removeAll(unmatched);
    }
  }

  List<Entry> entries() {
    return entries;
  }

  /** Whether the peer's key goes into the older per-peer form. */
  boolean perPeer(String peerName) {
    return perPeer.contains(peerName);
  }

  static SecretKeyRef secretOf(IpsecPeerSpec spec) {
    PeerAuthentication auth = spec.getAuthentication();
    if (auth == null
        || auth.getMode() != AuthenticationMode.PRE_SHARED_SECRET
        || auth.getPreSharedSecret() == null
        || auth.getPreSharedSecret().getSecretRef() == null) {
      return null;
    }
    return auth.getPreSharedSecret().getSecretRef();
  }

  private static List<Entry> entries(List<IpsecPeer> peers) {
    Map<String, SecretKeyRef> refs = new LinkedHashMap<>();
    Map<String, Set<String>> ids = new LinkedHashMap<>();
    for (IpsecPeer peer : peers) {
      SecretKeyRef ref = secretOf(peer.getSpec());
      String id = ref.getName() + "\u0000" + ref.getKey();
      refs.putIfAbsent(id, ref);
      Set<String> entryIds = ids.computeIfAbsent(id, k -> new LinkedHashSet<>());
      entryIds.addAll(localIdentities(peer));
      entryIds.addAll(remoteIdentities(peer));
    }
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    refs.forEach(
        (id, ref) -> {
          String name = unique(entryName(ref), names);
          entries.add(new Entry(name, ref, List.copyOf(ids.get(id))));
        });
    return entries;
  }

  /**
   * The entry's name from its Secret: the import names the Secret of entry {@code E} {@code psk-E}
   * with key {@code psk}, so {@code psk-E}/{@code psk} gives {@code E} back, and export, import,
   * export is the identity.
   */
  private static String entryName(SecretKeyRef ref) {
    String name = ref.getName().startsWith("psk-") ? ref.getName().substring(4) : ref.getName();
    String withKey = PeerAssembly.PSK_KEY.equals(ref.getKey()) ? name : name + "-" + ref.getKey();
    String objectName = VyosNames.objectName(withKey);
    return objectName.isEmpty() ? "psk" : objectName;
  }

  private static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int i = 2; !taken.add(candidate); i++) {
      candidate = name + "-" + i;
    }
    return candidate;
  }

  private static boolean matchesOnlyItsOwn(IpsecPeer peer, List<Entry> entries) {
    List<PskEntry> candidates = new ArrayList<>();
    PskEntry own = null;
    for (Entry entry : entries) {
      PskEntry e = new PskEntry(entry.name(), 0);
      e.ids.addAll(entry.ids());
      candidates.add(e);
      SecretKeyRef ref = secretOf(peer.getSpec());
      if (entry.secret().getName().equals(ref.getName())
          && entry.secret().getKey().equals(ref.getKey())) {
        own = e;
      }
    }
    PeerAuthentication auth = peer.getSpec().getAuthentication();
    List<PskEntry> best =
        PskMatch.best(
            candidates,
            PskMatch.identities(auth.getLocalId(), listOf(peer.getSpec().getLocalAddress())),
            PskMatch.identities(auth.getRemoteId(), peer.getSpec().getRemoteAddresses()));
    return best.size() == 1 && best.get(0) == own;
  }

  /** The renderer's owners of a peer's PSK: the local id, else the local address. */
  private static List<String> localIdentities(IpsecPeer peer) {
    String id = peer.getSpec().getAuthentication().getLocalId();
    String address = peer.getSpec().getLocalAddress();
    return PskMatch.identities(id != null ? id : address, List.of());
  }

  /** The remote id, else the remote addresses. */
  private static List<String> remoteIdentities(IpsecPeer peer) {
    String id = peer.getSpec().getAuthentication().getRemoteId();
    return id != null
        ? PskMatch.identities(id, List.of())
        : PskMatch.identities(null, peer.getSpec().getRemoteAddresses());
  }

  private static List<String> listOf(String value) {
    return value == null ? List.of() : List.of(value);
  }
}
