package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.AgentSettings;
import dev.ipsec.operator.agent.GatewayAgent;
import dev.ipsec.operator.agent.StateRevision;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.kubelet.ProjectedVolumeWriter;
import dev.ipsec.operator.testing.CharonInstance;
import dev.ipsec.operator.testing.NetnsLab;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciMessage;
import dev.ipsec.operator.volume.PlacementErrors;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other half of {@link PeerPlacementTest}: the 99 peers the operator writes around one that
 * does not fit are not only in the objects, they load. The pod's volume, projected from what the
 * operator stored, goes to a real agent and a real charon, which end up with exactly the 99
 * connections.
 */
@RequiresCharon
class PeerPlacementCharonTest {

  @TempDir Path tmp;

  private final PeerPlacementTest placement = new PeerPlacementTest();

  @AfterEach
  void stop() {
    placement.stop();
  }

  @Test
  void theNinetyNinePeersAroundOneThatDoesNotFitAreLoadedIntoCharon() throws Exception {
    placement.start(16 * 1024);
    List<String> placed = IntStream.range(0, 99).mapToObj(i -> "peer-" + i).toList();
    for (int i = 0; i < placed.size(); i++) {
      placement.k8s.create(TestResources.pskPeer(placed.get(i), "gw", "ike", "esp", "psk", i));
    }
    IpsecPeer big = TestResources.pskPeer("big", "gw", "ike", "esp", "psk", 200);
    big.getSpec().setTunnels(PeerPlacementTest.tunnels(100));
    placement.k8s.create(big);
    placement.eventuallyPeer("big", PlacementErrors.TOO_LARGE);
    eventually(
        () ->
            assertThat(placement.publicListing().files().keySet())
                .filteredOn(p -> p.startsWith("conf.d/"))
                .hasSize(placed.size()));
    String revision = placement.publicListing().revision();
    Map<String, byte[]> volume = placement.projectedVolume();

    Path dir = tmp.resolve("volume");
    new ProjectedVolumeWriter(dir).write(volume);
    try (NetnsLab lab = NetnsLab.create("pl");
        CharonInstance charon =
            CharonInstance.in(lab, lab.namespace("gw"), tmp.resolve("charon")).start();
        ViciClient agentClient = charon.newClient();
        ViciClient probe = charon.newClient();
        GatewayAgent agent =
            new GatewayAgent(
                    AgentSettings.defaults(dir).withSettleTime(Duration.ofMillis(300)),
                    agentClient,
                    new StateRevision(),
                    Clock.systemUTC())
                .start()) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> revision.equals(agent.loaderStatus().configRevision()));

      assertThat(probe.call("get-conns", ViciMessage.empty()).list("conns"))
          .containsExactlyInAnyOrderElementsOf(placed);
      assertThat(agent.loaderStatus().connections())
          .allSatisfy(c -> assertThat(c.error()).as(c.name()).isNull());
      assertThat(agent.loaderStatus().pending()).isNull();
      assertThat(agent.loaderStatus().ignoredFiles()).isEmpty();
    }
  }
}
