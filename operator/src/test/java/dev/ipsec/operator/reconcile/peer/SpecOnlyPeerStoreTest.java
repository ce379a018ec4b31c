package dev.ipsec.operator.reconcile.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.TestResources;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The other controllers' peer caches keep spec and metadata, never the status. */
class SpecOnlyPeerStoreTest {

  @Test
  void storesThePeerWithoutStatusAndManagedFieldsAndLeavesTheInformersObjectAlone() {
    IpsecPeer peer = TestResources.pskPeer("peer-1", "gw", "ike", "esp", "psk", 1);
    peer.getMetadata().setGeneration(3L);
    peer.getMetadata()
        .setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl").build()));
    IpsecPeerStatus status = new IpsecPeerStatus();
    Condition valid = new Condition();
    valid.setType("Valid");
    status.setConditions(List.of(valid));
    peer.setStatus(status);
    SpecOnlyPeerStore store = new SpecOnlyPeerStore();

    store.put(store.getKey(peer), peer);

    IpsecPeer kept = store.get("vpn/peer-1");
    assertThat(kept.getStatus()).isNull();
    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(kept.getMetadata().getName()).isEqualTo("peer-1");
    assertThat(kept.getMetadata().getGeneration()).isEqualTo(3L);
    assertThat(kept.getSpec()).isSameAs(peer.getSpec());
    assertThat(kept.getKind()).isEqualTo("IpsecPeer");
    // the object handed to the event handlers is not changed
    assertThat(peer.getStatus()).isSameAs(status);
    assertThat(peer.getMetadata().getManagedFields()).hasSize(1);

    IpsecPeer next = TestResources.pskPeer("peer-1", "gw", "ike", "esp", "psk", 2);
    assertThat(store.put(store.getKey(next), next)).isSameAs(kept);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.remove("vpn/peer-1").getSpec()).isSameAs(next.getSpec());
    assertThat(store.values()).isEmpty();
  }

  @Test
  void storesShareOnePrunedPeerPerVersionUntilTheLastLetsItGo() {
    SpecOnlyPeerStore.SharedVersions shared = new SpecOnlyPeerStore.SharedVersions();
    SpecOnlyPeerStore gateways = new SpecOnlyPeerStore(shared);
    SpecOnlyPeerStore groups = new SpecOnlyPeerStore(shared);
    IpsecPeer v1 = versioned("1");

    gateways.put("vpn/peer-1", v1);
    groups.put("vpn/peer-1", versioned("1")); // its own copy from its own watch

    assertThat(groups.get("vpn/peer-1")).isSameAs(gateways.get("vpn/peer-1"));
    assertThat(shared.size()).isEqualTo(1);

    gateways.put("vpn/peer-1", versioned("2"));
    assertThat(gateways.get("vpn/peer-1")).isNotSameAs(groups.get("vpn/peer-1"));
    assertThat(gateways.get("vpn/peer-1").getMetadata().getResourceVersion()).isEqualTo("2");
    assertThat(shared.size()).isEqualTo(2);

    groups.put("vpn/peer-1", versioned("2"));
    assertThat(groups.get("vpn/peer-1")).isSameAs(gateways.get("vpn/peer-1"));
    assertThat(shared.size()).isEqualTo(1);

    gateways.remove("vpn/peer-1");
    assertThat(groups.get("vpn/peer-1")).isNotNull();
    groups.remove("vpn/peer-1");
    assertThat(shared.size()).isZero();
  }

  private static IpsecPeer versioned(String resourceVersion) {
    IpsecPeer peer = TestResources.pskPeer("peer-1", "gw", "ike", "esp", "psk", 1);
    peer.getMetadata().setUid("uid-1");
    peer.getMetadata().setResourceVersion(resourceVersion);
    return peer;
  }
}
