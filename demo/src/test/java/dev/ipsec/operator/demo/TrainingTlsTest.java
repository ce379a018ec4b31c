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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive's training agent runs with TLS as a gateway's does, and the training's
 * operator client gets its state: otherwise the run would archive no handshake, or fail.
 */
class TrainingTlsTest {

  @TempDir Path tmp;

  @Test
  void anAgentOnTheTrainingFilesAnswersTheTrainingsOperatorOverMutualTls() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("agent-tls"));
    TrainingTls tls = TrainingTls.writeTo(dir);
    assertThat(tls.agentArguments())
        .containsExactly(
            "--tls-cert",
            dir.resolve("tls.crt").toString(),
            "--tls-key",
            dir.resolve("tls.key").toString(),
            "--client-ca",
            dir.resolve("ca.crt").toString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls.key"))))
        .isEqualTo("rw-------");

    int statePort = freePort();
    try (AgentRuntime agent =
        AgentRuntime.start(
            AgentSettings.defaults(Files.createDirectories(tmp.resolve("swanctl"))),
            tmp.resolve("no-charon.vici"),
            new AgentEndpoints(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), statePort),
                Optional.of(TlsFiles.inDirectory(dir)),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                4),
            Duration.ofSeconds(5))) {
      assertThat(tls.askState(statePort)).isTrue();
    }
    // an agent of another training run's CA is not this run's
    TrainingTls other = TrainingTls.writeTo(Files.createDirectories(tmp.resolve("other")));
    try (AgentRuntime agent =
        AgentRuntime.start(
            AgentSettings.defaults(Files.createDirectories(tmp.resolve("swanctl2"))),
            tmp.resolve("no-charon.vici"),
            new AgentEndpoints(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), statePort),
                Optional.of(TlsFiles.inDirectory(tmp.resolve("other"))),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                4),
            Duration.ofSeconds(5))) {
      assertThat(tls.askState(statePort)).isFalse();
      assertThat(other.askState(statePort)).isTrue();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
