package dev.ipsec.operator.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * The rehearsals the agent and the operator run at their start: a real handshake in memory that
 * each side's own verifier ends, because the other end presents the process's own certificate; and
 * the same engines complete with the credentials the channel really uses, so a refusal is the
 * verifier's and not the rehearsal's.
 */
class HandshakeRehearsalTest {

  private final Clock clock = Clock.systemUTC();
  private final CertificateAuthority ca = CertificateAuthority.create("test CA", clock);
  private final IssuedCertificate agent =
      ca.issue(CertificateRequest.agent("vpn", "gw", List.of()), clock);
  private final IssuedCertificate operator = ca.issue(CertificateRequest.operator(), clock);

  private SSLContext agentServer() {
    return TlsContexts.create(agent, PeerVerifier.operatorClients(ca::certificate, clock));
  }

  private SSLContext operatorClient() {
    return TlsContexts.create(operator, PeerVerifier.gatewayServers(ca::certificate, clock));
  }

  @Test
  void theOperatorAndAnAgentCompleteTheHandshake() {
    HandshakeRehearsal.Outcome outcome = HandshakeRehearsal.run(agentServer(), operatorClient());

    assertThat(outcome.refusal()).isEmpty();
    assertThat(outcome.completed()).isTrue();
  }

  @Test
  void theAgentsRehearsalWithItsOwnCertificateIsRefusedByItsVerifier() {
    SSLContext ownAsClient =
        TlsContexts.create(agent, PeerVerifier.gatewayServers(ca::certificate, clock));

    HandshakeRehearsal.Outcome outcome = HandshakeRehearsal.run(agentServer(), ownAsClient);

    assertThat(outcome.completed()).isFalse();
    assertThat(outcome.refusal()).hasValueSatisfying(r -> assertThat(r).contains("client"));
  }

  @Test
  void theOperatorsRehearsalWithItsOwnCertificateIsRefusedByItsVerifier() {
    SSLContext ownAsServer =
        TlsContexts.create(operator, PeerVerifier.operatorClients(ca::certificate, clock));

    HandshakeRehearsal.Outcome outcome = HandshakeRehearsal.run(ownAsServer, operatorClient());

    assertThat(outcome.completed()).isFalse();
    assertThat(outcome.refusal()).hasValueSatisfying(r -> assertThat(r).contains("server"));
  }

  @Test
  void aClientWithoutCertificateIsRefusedAsTheStateApiRefusesIt() throws Exception {
    SSLContext anonymous = SSLContext.getInstance(TlsContexts.PROTOCOL);
    anonymous.init(
        null,
        new javax.net.ssl.TrustManager[] {
          new PeerTrustManager(PeerVerifier.gatewayServers(ca::certificate, clock))
        },
        null);

    assertThat(HandshakeRehearsal.run(agentServer(), anonymous).completed()).isFalse();
  }
}
