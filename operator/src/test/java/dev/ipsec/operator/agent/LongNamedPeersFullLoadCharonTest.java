package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.testing.CharonInstance;
import dev.ipsec.operator.testing.NetnsLab;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.SiteToSite;
import dev.ipsec.operator.testing.SiteToSite.Side;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciCommands;
import dev.ipsec.operator.vici.ViciMessage;
import dev.ipsec.operator.vici.ViciTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway whose peers' names are 100 characters long still gets a full load and a state read once
 * charon cannot answer {@code get-conns} or {@code get-shared} any more (issue 17).
 *
 * <p>Those two answer in one message of 3 bytes plus the name per item, and charon discards a
 * message above 512 KiB unsent. {@value #PEERS} peers named like {@link ManyPeers#longName} make
 * {@code get-conns} about 618,000 bytes and {@code get-shared} about 642,000: past the limit by a
 * sixth, where {@code get-conns} alone breaks from about 5,100 peers and {@code get-shared} from
 * about 4,900. More peers would only make the test slower (each full load takes about 1 ms a peer
 * on 2 cores); the benchmark {@code ViciAnswerSizeBenchmark} times 10,000.
 *
 * <p>The full load that matters is the second one: a new agent (after an agent restart, or a charon
 * that came back with what it had) finds everything loaded and must read what charon holds to
 * unload what the files no longer define. Before the reads were streamed it waited forever for the
 * discarded answer.
 */
@RequiresCharon
class LongNamedPeersFullLoadCharonTest {

  static final int PEERS = 6000;

  /** As the operator spreads them: one manifest of 6,000 long names would pass 1 MiB. */
  static final int SHARDS = 4;

  @TempDir Path tmp;

  @Test
  void aNewAgentLoadsSixThousandLongNamedPeersAndUnloadsWhatTheFilesDoNotDefine() throws Exception {
    try (NetnsLab lab = NetnsLab.create("ln")) {
      String ns = lab.namespace("gw");
      try (CharonInstance charon = CharonInstance.in(lab, ns, tmp.resolve("charon")).start();
          ViciClient probe = charon.newClient();
          ViciClient firstClient = charon.newClient();
          ViciClient secondClient = charon.newClient()) {
        ProjectedVolumeDir volume =
            ProjectedVolumeDir.create(
                tmp.resolve("conf"),
                "r1",
                ManyPeers.responderFiles(PEERS, ManyPeers::longName),
                path -> Math.floorMod(path.hashCode(), SHARDS));

        try (GatewayAgent first = agent(volume, firstClient).start()) {
          boolean applied = first.awaitApplied(Duration.ofSeconds(90));
          assertThat(applied).as("first full load: %s", first.loaderStatus().pending()).isTrue();
        }
        // the premise: charon holds more than one VICI message can name
        assertThatThrownBy(
                () -> probe.call("get-conns", ViciMessage.empty(), Duration.ofSeconds(3)))
            .isInstanceOf(ViciTimeoutException.class);
        assertThat(Files.readString(charon.logFile()))
            .contains("exceeds maximum size of 524288, discarded");

        // left behind by someone else: a full load must find and unload it among the others
        String stale = "stale-" + ManyPeers.longName(1).substring(6);
        probe.call(
            "load-conn",
            ViciMessage.empty()
                .putSection(stale, SiteToSite.pskConnection(Side.A, "old", Map.of(), Map.of())));

        try (GatewayAgent second = agent(volume, secondClient).start()) {
          assertThat(second.awaitApplied(Duration.ofSeconds(90)))
              .as("a new agent's full load of a charon holding %d long-named peers", PEERS)
              .isTrue();
          // the status is published just after configApplied turns true
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> second.loaderStatus().connectionsLoaded() == PEERS);
          assertThat(second.loaderStatus().secretsLoaded()).hasSize(PEERS);
          assertThat(second.loaderChannel().history()).contains("unload-conn " + stale);
          assertThat(second.loaderChannel().counts())
              .containsEntry("list-conns", 1L)
              .doesNotContainKeys("get-conns", "get-shared");
        }

        // the state read the agent's SA monitor makes (ViciCommands, as SaStateMonitor calls it)
        ViciCommands commands = new ViciCommands(probe);
        Set<String> listed = new TreeSet<>();
        commands.listConns(Optional.empty()).forEach(e -> listed.addAll(e.sections().keySet()));
        assertThat(listed)
            .hasSize(PEERS)
            .contains(ManyPeers.longName(1), ManyPeers.longName(PEERS))
            .doesNotContain(stale);
        assertThat(commands.listSas(true, Optional.empty())).isEmpty(); // responders, no SA yet
      }
    }
  }

  private static GatewayAgent agent(ProjectedVolumeDir volume, ViciClient client) {
    return new GatewayAgent(
        AgentSettings.defaults(volume.root()), client, new StateRevision(), Clock.systemUTC());
  }
}
