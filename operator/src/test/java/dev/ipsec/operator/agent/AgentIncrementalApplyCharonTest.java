package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.SiteToSite;
import dev.ipsec.operator.testing.TestManifests;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The agent against real charon with many connections: gateway B (responder) holds {@value #PEERS}
 * connections loaded by its agent from a projected-volume directory; gateway A initiates three of
 * them. Each test changes B's directory with one {@code ..data} swap and checks exactly which VICI
 * commands the agent sent and what happened to the SAs. The tests build on each other's state (one
 * charon pair for the class keeps the suite fast), hence the order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@RequiresCharon
class AgentIncrementalApplyCharonTest {

  static final int PEERS = 200;
  static final int INITIATED = 3;

  private Path tmp;
  private SiteToSite site;
  private ProjectedVolumeDir volumeB;
  private ViciClient agentClientA;
  private ViciClient agentClientB;
  private ViciClient probeB;
  private GatewayAgent agentA;
  private GatewayAgent agentB;

  @BeforeAll
  void startGatewaysAndAgents() throws Exception {
    tmp = Files.createTempDirectory("agent-apply");
    site = SiteToSite.create("ag", tmp);
    site.a().fastRetransmit();
    site.b().fastRetransmit();
    site.start();
    for (int i = 2;
        i <= INITIATED;
        i++) { // inner addresses of the tunnels A initiates (1 is there)
      site.lab().addLoopbackAddress(site.a().namespace(), "198.51.100." + i + "/32");
      site.lab().addLoopbackAddress(site.b().namespace(), "203.0.113." + i + "/32");
    }

    volumeB =
        ProjectedVolumeDir.create(tmp.resolve("b-conf"), "r1", ManyPeers.responderFiles(PEERS));
    agentClientB = site.b().newClient();
    probeB = site.b().newClient();
    agentB =
        new GatewayAgent(
                settings(volumeB.root()), agentClientB, new StateRevision(), Clock.systemUTC())
            .start();
    awaitRevision(agentB, "r1");

    Path confA = tmp.resolve("a-conf");
    Files.createDirectories(confA.resolve("conf.d"));
    Files.writeString(confA.resolve("swanctl.conf"), ManyPeers.ENTRY);
    for (int i = 1; i <= INITIATED; i++) {
      Files.writeString(confA.resolve(ManyPeers.file(i)), ManyPeers.initiator(i));
    }
    TestManifests.write(confA, "a1");
    agentClientA = site.a().newClient();
    agentA =
        new GatewayAgent(settings(confA), agentClientA, new StateRevision(), Clock.systemUTC())
            .start();

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                ManyPeers.installed(probeB, "peer1")
                    && ManyPeers.installed(probeB, "peer2")
                    && ManyPeers.installed(probeB, "peer3"));
    assertThat(agentB.loaderStatus().connectionsLoaded()).isEqualTo(PEERS);
    assertThat(agentB.loaderChannel().count("load-conn")).isEqualTo(PEERS);
  }

  private static AgentSettings settings(Path dir) {
    return AgentSettings.defaults(dir)
        .withDebounce(Duration.ofMillis(50))
        .withProbeInterval(Duration.ofMillis(300))
        .withRescanInterval(Duration.ofSeconds(30));
  }

  @Test
  @Order(1)
  void editingOneConnectionSendsOneLoadConnAndLeavesTheOtherSasAlone() throws Exception {
    Map<String, String> before = ManyPeers.establishedIkeIds(probeB);
    int mark = agentB.loaderChannel().history().size();

    volumeB.update(
        "r2", Map.of(ManyPeers.file(2), ManyPeers.responder(2, "        rekey_time = 1234s\n")));
    awaitRevision(agentB, "r2");

    assertThat(agentB.loaderChannel().historySince(mark)).containsExactly("load-conn peer2");
    Map<String, String> after = ManyPeers.establishedIkeIds(probeB);
    assertThat(after)
        .containsEntry("peer1", before.get("peer1"))
        .containsEntry("peer3", before.get("peer3"));
    ViciMessage peer2 =
        probeB.stream("list-conns", "list-conn", ViciMessage.empty().put("ike", "peer2")).get(0);
    assertThat(
            peer2
                .section("peer2")
                .flatMap(c -> c.section("children"))
                .flatMap(c -> c.section("net"))
                .flatMap(c -> c.string("rekey_time")))
        .contains("1234");
  }

  @Test
  @Order(2)
  void aBrokenFileAndAnInvalidValueAreReportedPerConnectionAndTheOthersLoad() throws Exception {
    int mark = agentB.loaderChannel().history().size();
    Map<String, String> changes = new HashMap<>();
    changes.put(
        ManyPeers.file(10), "connections {\n  peer10 {\n    version = 2\n    oops\n  }\n}\n");
    changes.put(ManyPeers.file(11), ManyPeers.responder(11, "        rekey_time = banana\n"));
    changes.put(ManyPeers.file(PEERS + 1), ManyPeers.responder(PEERS + 1, ""));
    volumeB.update("r3", changes);
    awaitRevision(agentB, "r3");

    LoaderStatus status = agentB.loaderStatus();
    assertThat(connection(status, "peer10").error())
        .contains("peer10.conf:4")
        .contains("expected '=' or '{'");
    assertThat(connection(status, "peer11").error())
        .contains("load-conn failed")
        .contains("rekey_time");
    assertThat(connection(status, "peer201"))
        .satisfies(
            c -> {
              assertThat(c.loaded()).isTrue();
              assertThat(c.error()).isNull();
            });
    assertThat(
            status.connections().stream()
                .filter(c -> c.error() != null)
                .map(LoaderStatus.Connection::name))
        .containsExactlyInAnyOrder("peer10", "peer11");
    assertThat(agentB.loaderChannel().historySince(mark))
        .containsExactly("load-shared ike-peer201", "load-conn peer11", "load-conn peer201");
    // the last good versions of peer10 and peer11 stay loaded
    assertThat(probeB.call("get-conns", ViciMessage.empty()).list("conns"))
        .contains("peer10", "peer11", "peer201");

    // a re-read with nothing changed sends nothing, not even a retry of the refused peer11
    int mark2 = agentB.loaderChannel().history().size();
    var lastApplied = agentB.loaderStatus().lastApplied();
    agentB.requestReload();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> agentB.loaderStatus().lastApplied().isAfter(lastApplied));
    assertThat(agentB.loaderChannel().historySince(mark2)).isEmpty();
  }

  @Test
  @Order(3)
  void aRemovedConnectionIsUnloadedAndItsSasTerminated() throws Exception {
    Map<String, String> before = ManyPeers.establishedIkeIds(probeB);
    assertThat(before).containsKey("peer3");
    int mark = agentB.loaderChannel().history().size();
    Map<String, String> changes = new HashMap<>();
    changes.put(ManyPeers.file(3), null);
    volumeB.update("r4", changes);
    awaitRevision(agentB, "r4");

    assertThat(agentB.loaderChannel().historySince(mark))
        .containsExactly("unload-conn peer3", "terminate peer3", "unload-shared ike-peer3");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !ManyPeers.establishedIkeIds(probeB).containsKey("peer3"));
    assertThat(probeB.call("get-conns", ViciMessage.empty()).list("conns")).doesNotContain("peer3");
    assertThat(probeB.call("get-shared", ViciMessage.empty()).list("keys"))
        .doesNotContain("ike-peer3");
    assertThat(ManyPeers.establishedIkeIds(probeB))
        .containsEntry("peer1", before.get("peer1"))
        .containsEntry("peer2", before.get("peer2"));
  }

  @Test
  @Order(4)
  void aCharonRestartLoadsEverythingAgainAndTheTunnelsComeBack() throws Exception {
    Map<String, String> before = ManyPeers.establishedIkeSpis(probeB);
    long restarts = agentB.charonStatus().restarts();
    int mark = agentB.loaderChannel().history().size();

    site.b().kill();
    site.b().start();

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                agentB.charonStatus().restarts() > restarts
                    && agentB.charonStatus().configApplied());
    List<String> conns = probeB.call("get-conns", ViciMessage.empty()).list("conns");
    assertThat(conns)
        .hasSize(PEERS)
        .contains("peer10", "peer11", "peer201")
        .doesNotContain("peer3");
    assertThat(probeB.call("get-shared", ViciMessage.empty()).list("keys"))
        .hasSize(PEERS)
        .contains("ike-peer10");
    assertThat(agentB.loaderChannel().historySince(mark))
        .contains("list-conns", "clear-creds", "load-conn peer1", "load-conn peer201")
        .doesNotContain("get-conns", "get-shared")
        .filteredOn(c -> c.startsWith("load-conn"))
        .hasSize(PEERS + 1); // peer11 is tried, refused, then its last good version loaded

    // A notices by DPD that B lost its SAs and establishes them again
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> ManyPeers.installed(probeB, "peer1") && ManyPeers.installed(probeB, "peer2"));
    assertThat(ManyPeers.establishedIkeSpis(probeB).get("peer1"))
        .isNotEqualTo(before.get("peer1")); // a new SA
  }

  private static LoaderStatus.Connection connection(LoaderStatus status, String name) {
    return status.connections().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no status for " + name));
  }

  static void awaitRevision(GatewayAgent agent, String revision) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> revision.equals(agent.loaderStatus().configRevision()));
  }

  @AfterAll
  void stop() throws IOException {
    for (AutoCloseable c :
        new AutoCloseable[] {agentA, agentB, agentClientA, agentClientB, probeB, site}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // keep closing the rest
      }
    }
    if (tmp != null && !Boolean.getBoolean("agent.test.keep")) {
      try (Stream<Path> walk = Files.walk(tmp)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
