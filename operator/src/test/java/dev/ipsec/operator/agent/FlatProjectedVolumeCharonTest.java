package dev.ipsec.operator.agent;

import static dev.ipsec.operator.agent.AgentIncrementalApplyCharonTest.awaitRevision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.kubelet.ProjectedVolumeWriter;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.SiteToSite;
import dev.ipsec.operator.testing.TestManifests;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciMessage;
import dev.ipsec.operator.volume.ConfigShards;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent against real charon, reading its configuration the way a gateway pod gets it: a
 * projected volume whose sources have no {@code items}, so every file sits flat at the root under
 * its ConfigMap key ({@code conf.d..peer2.conf}), next to the kubelet's {@code ..data}. Written by
 * {@link ProjectedVolumeWriter} (the kubelet stand-in's atomic writer) with the operator's own key
 * encoding ({@link ConfigShards#key}). A one-peer edit must reach charon as one {@code load-conn}
 * and leave the other peers' SAs alone.
 */
@RequiresCharon
class FlatProjectedVolumeCharonTest {

  static final int PEERS = 4;
  static final int INITIATED = 2;

  @Test
  void theAgentLoadsAFlatProjectedVolumeAndAppliesAOnePeerEditIncrementally() throws Exception {
    Path tmp = Files.createTempDirectory("agent-flat");
    try (SiteToSite site = SiteToSite.create("fk", tmp)) {
      site.a().fastRetransmit();
      site.b().fastRetransmit();
      site.start();
      site.lab().addLoopbackAddress(site.a().namespace(), "198.51.100.2/32");
      site.lab().addLoopbackAddress(site.b().namespace(), "203.0.113.2/32");

      Map<String, String> filesB = new TreeMap<>(ManyPeers.responderFiles(PEERS));
      ProjectedVolumeWriter volumeB = new ProjectedVolumeWriter(tmp.resolve("b-conf"));
      volumeB.write(flat(TestManifests.withManifests("r1", filesB)));
      assertThat(Files.exists(tmp.resolve("b-conf/conf.d"))).isFalse();
      assertThat(Files.isSymbolicLink(tmp.resolve("b-conf/conf.d..peer1.conf"))).isTrue();

      Path confA = tmp.resolve("a-conf");
      Files.createDirectories(confA.resolve("conf.d"));
      Files.writeString(confA.resolve("swanctl.conf"), ManyPeers.ENTRY);
      for (int i = 1; i <= INITIATED; i++) {
        Files.writeString(confA.resolve(ManyPeers.file(i)), ManyPeers.initiator(i));
      }
      TestManifests.write(confA, "a1");

      try (ViciClient clientB = site.b().newClient();
          ViciClient probeB = site.b().newClient();
          ViciClient clientA = site.a().newClient();
          GatewayAgent agentB =
              new GatewayAgent(
                      settings(tmp.resolve("b-conf")),
                      clientB,
                      new StateRevision(),
                      Clock.systemUTC())
                  .start();
          GatewayAgent agentA =
              new GatewayAgent(settings(confA), clientA, new StateRevision(), Clock.systemUTC())) {
        awaitRevision(agentB, "r1");
        // the initiator only once the responder holds its side: a bare GatewayAgent has no
        // InitiatorKeeper, and charon does not retry a NO_PROPOSAL_CHOSEN by itself
        agentA.start();
        assertThat(agentB.loaderStatus().connectionsLoaded()).isEqualTo(PEERS);
        assertThat(probeB.call("get-conns", ViciMessage.empty()).list("conns"))
            .containsExactlyInAnyOrder("peer1", "peer2", "peer3", "peer4");
        assertThat(probeB.call("get-shared", ViciMessage.empty()).list("keys")).hasSize(PEERS);
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> ManyPeers.installed(probeB, "peer1") && ManyPeers.installed(probeB, "peer2"));

        Map<String, String> before = ManyPeers.establishedIkeIds(probeB);
        int mark = agentB.loaderChannel().history().size();
        filesB.put(ManyPeers.file(2), ManyPeers.responder(2, "        rekey_time = 1234s\n"));
        volumeB.write(flat(TestManifests.withManifests("r2", filesB)));
        awaitRevision(agentB, "r2");

        assertThat(agentB.loaderChannel().historySince(mark)).containsExactly("load-conn peer2");
        ViciMessage peer2 =
            probeB.stream("list-conns", "list-conn", ViciMessage.empty().put("ike", "peer2"))
                .get(0);
        assertThat(
                peer2
                    .section("peer2")
                    .flatMap(c -> c.section("children"))
                    .flatMap(c -> c.section("net"))
                    .flatMap(c -> c.string("rekey_time")))
            .contains("1234");
        assertThat(ManyPeers.establishedIkeIds(probeB)).containsEntry("peer1", before.get("peer1"));
      }
    } finally {
      try (Stream<Path> walk = Files.walk(tmp)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The files under their ConfigMap keys, as the kubelet projects sources without items. */
  private static Map<String, byte[]> flat(Map<String, String> files) {
    Map<String, byte[]> payload = new TreeMap<>();
    files.forEach(
        (path, text) -> payload.put(ConfigShards.key(path), text.getBytes(StandardCharsets.UTF_8)));
    return payload;
  }

  private static AgentSettings settings(Path dir) {
    return AgentSettings.defaults(dir)
        .withDebounce(Duration.ofMillis(50))
        .withProbeInterval(Duration.ofMillis(300))
        .withRescanInterval(Duration.ofSeconds(30));
  }
}
