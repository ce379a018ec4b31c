package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.AgentEndpoints;
import dev.ipsec.operator.agent.AgentRuntime;
import dev.ipsec.operator.agent.AgentSettings;
import dev.ipsec.operator.agent.tls.TlsFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive's training reaches the agent's first load: an agent on the training volume
 * takes charon's stand-in for charon, loads every connection and secret of the rendered gateway
 * through it, and reports them loaded in the state document the training's operator asks for.
 */
class TrainingCharonTest {

  @TempDir Path tmp;

  @Test
  void anAgentLoadsTheTrainingVolumeIntoCharonsStandInAndReportsItOverMutualTls() throws Exception {
    Path config = tmp.resolve("config");
    TrainingVolume.writeTo(tmp, config);
    assertThat(config.resolve("..data")).isSymbolicLink();
    assertThat(tmp.resolve("training-gateway.yaml"))
        .as("the key's only copy is rendered")
        .doesNotExist();
    TrainingTls tls = TrainingTls.writeTo(Files.createDirectories(tmp.resolve("agent-tls")));
    int statePort = freePort();
    try (TrainingCharon charon = TrainingCharon.listen(tmp.resolve("charon.vici"));
        AgentRuntime agent =
            AgentRuntime.start(
                AgentSettings.defaults(config),
                tmp.resolve("charon.vici"),
                new AgentEndpoints(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), statePort),
                    Optional.of(TlsFiles.inDirectory(tmp.resolve("agent-tls"))),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    4),
                Duration.ofSeconds(5))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (charon.count("load-conn") < TrainingVolume.CONNECTIONS
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(charon.count("load-conn")).isEqualTo(TrainingVolume.CONNECTIONS);
      assertThat(charon.count("load-shared")).isGreaterThanOrEqualTo(1);
      assertThat(charon.count("stats")).isGreaterThanOrEqualTo(1);
      String state = "";
      while (System.nanoTime() < deadline && !state.contains("\"connectionsLoaded\" : 2")) {
        state = tls.state(statePort).orElse("");
        Thread.sleep(50);
      }
      assertThat(state)
          .contains("\"connectionsLoaded\" : 2")
          .contains("\"name\" : \"initiating\"")
          .contains("\"name\" : \"responding\"")
          .contains("\"secretsLoaded\" : [ \"ike-initiating\", \"ike-responding\" ]");
    }
    assertThat(tmp.resolve("charon.vici")).doesNotExist();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
