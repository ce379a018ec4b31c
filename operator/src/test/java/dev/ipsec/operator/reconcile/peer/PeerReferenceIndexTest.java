package dev.ipsec.operator.reconcile.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.TestResources;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer store's index by reference, read while the informer replaces its peers: the count an
 * EspGroup's status shows, and the peers a gateway renders, must never lose a peer that names the
 * object before and after (FanOutAndRestartTest saw an EspGroup's usedBy written 99 of 100 after a
 * restart, while the new informers took the watch's events for peers they had just listed).
 */
class PeerReferenceIndexTest {

  private static final String ESP = PeerReferences.espGroupKey("vpn", "esp");
  private static final int PEERS = 100;

  /** The IpsecPeer controller's own store (whole peers) and the other controllers' (pruned). */
  static Stream<IndexedPeerStore> stores() {
    return Stream.of(
        new IndexedPeerStore(), new SpecOnlyPeerStore(new SpecOnlyPeerStore.SharedVersions()));
  }

  @ParameterizedTest
  @MethodSource("stores")
  void aPeerReplacedWhileTheIndexIsReadIsNeverMissing(IndexedPeerStore store) throws Exception {
    for (int i = 0; i < PEERS; i++) {
      IpsecPeer peer = peer(i, 1, "esp");
      store.put(store.getKey(peer), peer);
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger reads = new AtomicInteger();
    List<Integer> wrongCounts = new ArrayList<>();
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              while (writing.get() || reads.get() == 0) {
                int count = store.byReference(ESP).size();
                reads.incrementAndGet();
                if (count != PEERS && wrongCounts.size() < 10) {
                  wrongCounts.add(count);
                }
              }
            });
    try {
      // every peer replaced 200 times by a new version that still names the group, as each
      // status write and each watch event for a listed peer does
      for (int version = 2; version <= 201; version++) {
        for (int i = 0; i < PEERS; i++) {
          IpsecPeer peer = peer(i, version, "esp");
          store.put(store.getKey(peer), peer);
        }
      }
    } finally {
      writing.set(false);
    }
    reader.get(1, TimeUnit.MINUTES);

    assertThat(reads.get()).isPositive();
    assertThat(wrongCounts).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void aPeerIsFoundUnderWhatItNamesNowAndNoLongerUnderWhatItNamedBefore(IndexedPeerStore store) {
    IpsecPeer first = peer(1, 1, "esp");
    store.put(store.getKey(first), first);
    IpsecPeer other = peer(2, 1, "esp");
    store.put(store.getKey(other), other);
    assertThat(names(store.byReference(ESP))).containsExactlyInAnyOrder("peer-1", "peer-2");
    assertThat(names(store.byReference(PeerReferences.ikeGroupKey("vpn", "ike"))))
        .containsExactlyInAnyOrder("peer-1", "peer-2");

    IpsecPeer moved = peer(1, 2, "esp-b");
    store.put(store.getKey(moved), moved);

    assertThat(names(store.byReference(ESP))).containsExactly("peer-2");
    assertThat(store.byReference(PeerReferences.espGroupKey("vpn", "esp-b")))
        .singleElement()
        .satisfies(p -> assertThat(p.getMetadata().getResourceVersion()).isEqualTo("2"));
    assertThat(names(store.byReference(PeerReferences.ikeGroupKey("vpn", "ike"))))
        .containsExactlyInAnyOrder("peer-1", "peer-2");

    store.remove("vpn/peer-2");
    assertThat(store.byReference(ESP)).isEmpty();
    store.remove("vpn/peer-1");
    assertThat(store.byReference(PeerReferences.espGroupKey("vpn", "esp-b"))).isEmpty();
    assertThat(store.byReference(PeerReferences.ikeGroupKey("vpn", "ike"))).isEmpty();
  }

  private static List<String> names(List<IpsecPeer> peers) {
    return peers.stream().map(p -> p.getMetadata().getName()).toList();
  }

  private static IpsecPeer peer(int n, int resourceVersion, String espGroup) {
    IpsecPeer peer = TestResources.pskPeer("peer-" + n, "gw", "ike", espGroup, "psk", n % 250 + 1);
    peer.getMetadata().setUid("uid-" + n);
    peer.getMetadata().setResourceVersion(Integer.toString(resourceVersion));
    return peer;
  }
}
