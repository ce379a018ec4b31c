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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod's charon and agent start together, and charon may answer after the agent's first probe
 * (issue 17: a new gateway's start). The agent then asks again after a short back-off, not at its
 * next periodic probe: with the probe interval at a minute here, only the back-off can reach charon
 * within the test's seconds.
 */
@RequiresCharon
class CharonAfterAgentCharonTest {

  @TempDir Path tmp;

  @Test
  void charonThatAnswersAfterTheAgentsFirstProbeIsLoadedAtOnce() throws Exception {
    try (NetnsLab lab = NetnsLab.create("ag")) {
      String ns = lab.namespace("late");
      Path conf = Files.createDirectories(tmp.resolve("conf"));
      Files.writeString(
          conf.resolve("swanctl.conf"),
          SiteToSite.swanctlConf(Side.A, "tun", "net", Map.of(), Map.of(), "pw"));
      TestManifests.write(conf, "r1");
      CharonInstance charon = CharonInstance.in(lab, ns, tmp.resolve("charon"));
      try (ViciClient agentClient = new ViciClient(charon.viciSocket());
          GatewayAgent agent =
              new GatewayAgent(
                      AgentSettings.defaults(conf).withProbeInterval(Duration.ofMinutes(1)),
                      agentClient,
                      new StateRevision(),
                      Clock.systemUTC())
                  .start()) {
        Thread.sleep(300); // the first probes find no socket
        assertThat(agent.charonStatus().reachable()).isFalse();

        charon.start(); // returns once charon answers over VICI
        long answered = System.nanoTime();

        assertThat(agent.awaitApplied(Duration.ofSeconds(15)))
            .as("charon loaded well before the next periodic probe (a minute)")
            .isTrue();
        System.out.printf(
            "charon answered -> configuration applied: %d ms%n",
            (System.nanoTime() - answered) / 1_000_000);
        try (ViciClient probe = charon.newClient()) {
          assertThat(probe.call("get-conns", ViciMessage.empty()).list("conns"))
              .containsExactly("tun");
        }
      } finally {
        charon.close();
      }
    }
  }
}
