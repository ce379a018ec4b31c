package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An operator that watches two namespaces (the chart's {@code watchNamespaces: [a, b]}) has one
 * informer per namespace for each kind, and the peer stores with their own index ({@code
 * peer.IndexedPeerStore}) are shared by the informers of one controller: every namespace's peers
 * are reconciled and counted by their groups, and a PSK Secret's removal reaches only the peers of
 * its own namespace.
 */
class TwoWatchedNamespacesTest {

  static final int PEERS = 10;
  static final List<String> NAMESPACES = List.of("vpn", "site-b");

  final OperatorHarness k8s = new OperatorHarness();

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void eachNamespacesPeersAreReconciledCountedAndFollowTheirOwnSecret() {
    for (String ns : NAMESPACES) {
      create(ns, TestResources.ikeGroup("ike", 14));
      create(ns, TestResources.espGroup("esp"));
      Secret psk = TestResources.pskSecret("psk", "two-namespaces-psk-" + ns);
      create(ns, psk);
      create(ns, TestResources.gateway("gw"));
      for (int i = 0; i < PEERS; i++) {
        create(ns, TestResources.pskPeer("p" + i, "gw", "ike", "esp", "psk", i));
      }
    }
    k8s.start(OperatorHarness.settings().withNamespaces(Set.copyOf(NAMESPACES)));
    for (String ns : NAMESPACES) {
      eventually(
          () -> {
            assertThat(peers(ns)).allMatch(p -> isTrue(p, "Valid"));
            assertThat(esp(ns).getStatus().getUsedBy()).as(ns).isEqualTo(PEERS);
          });
    }

    k8s.client.secrets().inNamespace("site-b").withName("psk").delete();
    eventually(() -> assertThat(peers("site-b")).noneMatch(p -> isTrue(p, "Valid")));
    assertThat(peers("vpn")).allMatch(p -> isTrue(p, "Valid"));
  }

  private void create(String ns, HasMetadata resource) {
    resource.getMetadata().setNamespace(ns);
    k8s.create(resource);
  }

  private List<IpsecPeer> peers(String ns) {
    List<IpsecPeer> peers = k8s.client.resources(IpsecPeer.class).inNamespace(ns).list().getItems();
    assertThat(peers).hasSize(PEERS);
    return peers;
  }

  private EspGroup esp(String ns) {
    return k8s.client.resources(EspGroup.class).inNamespace(ns).withName("esp").get();
  }

  private static boolean isTrue(IpsecPeer peer, String condition) {
    return peer.getStatus() != null
        && Conditions.isTrue(peer.getStatus().getConditions(), condition);
  }
}
