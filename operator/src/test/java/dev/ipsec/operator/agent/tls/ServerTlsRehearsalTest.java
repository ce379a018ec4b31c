package dev.ipsec.operator.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.pki.HandshakeRehearsal;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's start rehearsal runs a handshake of the context it serves with: its own certificate
 * as the client is refused by its verifier, after the agent's certificate was checked by the client
 * (the state API's own refusals of real clients: {@code StateApiTlsTest}).
 */
class ServerTlsRehearsalTest {

  @TempDir Path dir;

  @Test
  void theAgentsOwnCertificateIsRefusedAsAClient() throws IOException {
    TlsFixture pki = new TlsFixture(dir);
    try (ReloadingServerTls tls = ReloadingServerTls.start(pki.files(), Clock.systemUTC())) {
      HandshakeRehearsal.Outcome outcome = tls.rehearse();

      assertThat(outcome.completed()).isFalse();
      assertThat(outcome.refusal())
          .hasValueSatisfying(r -> assertThat(r).contains("not for client authentication"));
    }
  }
}
