package dev.ipsec.operator.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.reconcile.TestResources;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.render.RenderedGateway;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * The gateway of the performance issue, 10,000 PSK peers, fits: the planner alone decides it from
 * the rendering, with the operator's limit, so no API server is needed. Before the manifests were a
 * tree, the one root manifest stopped such a gateway at about 6,700 peers.
 */
class ManyPeersPlacementTest {

  static final int PEERS = 10_000;

  @Test
  void thePeersAreScaleBenchmarksPeers() {
    KubernetesSerialization json = new KubernetesSerialization();
    for (int n : new int[] {0, 1, 249, 250, 9999}) {
      assertThat(json.asJson(ManyPeerGateways.pskPeer(n)))
          .isEqualTo(json.asJson(TestResources.pskPeer("peer-" + n, "gw", "ike", "esp", "psk", n)));
    }
  }

  @Test
  void tenThousandPskPeersFitOnOneGateway() {
    long start = System.nanoTime();
    RenderedGateway rendered = ManyPeerGateways.psk(PEERS);
    long renderedAt = System.nanoTime();
    assertThat(rendered.peerErrors()).isEmpty();
    int limit = GatewayDefaults.DEFAULT_MAX_SHARD_BYTES;

    ConfigVolumePlan plan =
        new ConfigVolumePlanner(limit).plan(rendered, ManyPeerGateways.VERSIONS, 0, 0);
    long plannedAt = System.nanoTime();

    assertThat(plan.leftOut()).isEmpty();
    assertThat(plan.placedConnections()).hasSize(PEERS);
    assertThat(plan.listedFiles(ConfigManifest.Side.PUBLIC)).hasSize(PEERS + 1);
    assertThat(plan.listedFiles(ConfigManifest.Side.SECRET)).hasSize(PEERS);
    ConfigVolumePlannerTest.assertFits(plan, limit);
    // the roots list shards, not the 20,000 files: a few KiB whatever the peers
    assertThat(plan.publicManifest().files()).hasSize(plan.configShards().size() + 1);
    assertThat(plan.secretManifest().files()).hasSameSizeAs(plan.secretShards());
    assertThat(plan.rootConfigMap().get(ConfigManifest.PUBLIC_FILE)).hasSizeLessThan(4096);
    System.out.printf(
        "%d PSK peers: %d config shards, %d secret shards; built and rendered in %d ms, planned"
            + " in %d ms (cold)%n",
        PEERS,
        plan.configShards().size(),
        plan.secretShards().size(),
        (renderedAt - start) / 1_000_000,
        (plannedAt - renderedAt) / 1_000_000);
  }
}
