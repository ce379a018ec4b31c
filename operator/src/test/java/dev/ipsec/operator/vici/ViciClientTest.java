package dev.ipsec.operator.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client behaviour that needs no charon: URIs, and failing fast when there is no socket. */
class ViciClientTest {

  @Test
  void socketPathOfUnixUris() {
    assertThat(ViciClient.socketPath("unix:///run/vici/charon.vici"))
        .isEqualTo(Path.of("/run/vici/charon.vici"));
    assertThatThrownBy(() -> ViciClient.socketPath("tcp://127.0.0.1:4502"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tcp://127.0.0.1:4502");
    assertThatThrownBy(() -> ViciClient.socketPath("unix://"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void callsWithoutCharonFailFastNamingTheSocket(@TempDir Path dir) {
    Path socket = dir.resolve("charon.vici");
    // a long timeout: failing well before it shows the client did not wait for an answer
    try (ViciClient client = new ViciClient(socket, Duration.ofSeconds(60))) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> client.call("version", ViciMessage.empty()))
          .isInstanceOf(ViciConnectionException.class)
          .hasMessageContaining(socket.toString());
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
      assertThat(client.connectionGeneration()).isZero();
      assertThat(client.isConnected()).isFalse();
    }
  }

  @Test
  void aClosedClientRefusesCalls(@TempDir Path dir) {
    ViciClient client = new ViciClient(dir.resolve("charon.vici"));
    client.close();
    assertThatThrownBy(() -> client.call("version", ViciMessage.empty()))
        .isInstanceOf(ViciConnectionException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void sharedSecretsNeverPrintTheirData() {
    ViciCommands.SharedSecret secret =
        new ViciCommands.SharedSecret("ike-1", "IKE", "s3cr3t-value", List.of("a.test"));
    assertThat(secret.toString()).contains("ike-1", "a.test").doesNotContain("s3cr3t-value");
  }
}
