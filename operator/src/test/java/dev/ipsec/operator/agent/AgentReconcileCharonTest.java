package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.testing.CharonInstance;
import dev.ipsec.operator.testing.NetnsLab;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.SiteToSite;
import dev.ipsec.operator.testing.SiteToSite.Side;
import dev.ipsec.operator.testing.TestManifests;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At start the agent makes charon hold exactly what the files define, whatever was loaded before.
 */
@RequiresCharon
class AgentReconcileCharonTest {

  @TempDir Path tmp;

  @Test
  void startUnloadsWhatCharonHasButTheFilesDoNotDefine() throws Exception {
    try (NetnsLab lab = NetnsLab.create("ag")) {
      String ns = lab.namespace("rc");
      try (CharonInstance charon = CharonInstance.in(lab, ns, tmp.resolve("charon")).start();
          ViciClient probe = charon.newClient();
          ViciClient agentClient = charon.newClient()) {
        // left over from an earlier agent or a manual swanctl run
        probe.call(
            "load-conn",
            ViciMessage.empty()
                .putSection("stale", SiteToSite.pskConnection(Side.A, "old", Map.of(), Map.of())));
        probe.call(
            "load-shared",
            ViciMessage.empty()
                .put("id", "ike-stale")
                .put("type", "IKE")
                .put("data", "x")
                .putList("owners", List.of("a.test")));
        assertThat(probe.call("get-conns", ViciMessage.empty()).list("conns"))
            .containsExactly("stale");

        Path conf = tmp.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(
            conf.resolve("swanctl.conf"),
            SiteToSite.swanctlConf(Side.A, "tun", "net", Map.of(), Map.of(), "pw"));
        TestManifests.write(conf, "r1");
        try (GatewayAgent agent =
            new GatewayAgent(
                    AgentSettings.defaults(conf),
                    agentClient,
                    new StateRevision(),
                    Clock.systemUTC())
                .start()) {
          assertThat(agent.awaitApplied(Duration.ofSeconds(20))).isTrue();

          assertThat(probe.call("get-conns", ViciMessage.empty()).list("conns"))
              .containsExactly("tun");
          assertThat(probe.call("get-shared", ViciMessage.empty()).list("keys"))
              .containsExactly("ike-tun");
          // the connections are streamed (list-conns); shared secrets are not read: clear-creds
          // drops ike-stale with every other one, as get-shared above shows
          assertThat(agent.loaderChannel().history())
              .containsExactly(
                  "list-conns",
                  "clear-creds",
                  "load-shared ike-tun",
                  "load-conn tun",
                  "unload-conn stale",
                  "terminate stale");
        }
      }
    }
  }
}
