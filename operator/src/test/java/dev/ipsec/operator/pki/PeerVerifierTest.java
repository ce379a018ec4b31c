package dev.ipsec.operator.pki;

import static dev.ipsec.operator.pki.CertificateAuthorityTest.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each end accepts of the other: chain, validity, purpose and identity. */
class PeerVerifierTest {

  final CertificateAuthority ca = CertificateAuthority.create("test CA", CLOCK);
  final PeerVerifier agentSide = PeerVerifier.operatorClients(ca::certificate, CLOCK);
  final PeerVerifier operatorSide = PeerVerifier.gatewayServers(ca::certificate, CLOCK);

  @Test
  void theAgentAcceptsTheOperatorsClientCertificateOnly() throws Exception {
    X509Certificate operator = ca.issue(CertificateRequest.operator(), CLOCK).certificate();
    X509Certificate agent = agentCertificate(ca, CLOCK);

    assertThat(agentSide.verify(new X509Certificate[] {operator, ca.certificate()}))
        .isEqualTo(PeerIdentity.OPERATOR);
    // a gateway pod holds its agent's key: that certificate opens no other agent
    assertThatThrownBy(() -> agentSide.verify(new X509Certificate[] {agent}))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("not for client authentication");
  }

  @Test
  void theOperatorAcceptsAnAgentCertificateButNoClientCertificate() throws Exception {
    X509Certificate agent = agentCertificate(ca, CLOCK);
    X509Certificate operator = ca.issue(CertificateRequest.operator(), CLOCK).certificate();

    assertThat(operatorSide.verify(new X509Certificate[] {agent}))
        .isEqualTo(PeerIdentity.gateway("site-a", "gw"));
    assertThatThrownBy(() -> operatorSide.verify(new X509Certificate[] {operator}))
        .hasMessageContaining("not for server authentication");
  }

  @Test
  void anotherCasCertificateIsRefused() {
    CertificateAuthority other = CertificateAuthority.create("test CA", CLOCK);
    X509Certificate foreign = other.issue(CertificateRequest.operator(), CLOCK).certificate();

    assertThatThrownBy(() -> agentSide.verify(new X509Certificate[] {foreign, other.certificate()}))
        .hasMessageContaining("does not chain to the operator's CA");
  }

  @Test
  void anExpiredOrNotYetValidCertificateIsRefused() {
    X509Certificate operator = ca.issue(CertificateRequest.operator(), CLOCK).certificate();
    PeerVerifier later =
        PeerVerifier.operatorClients(ca::certificate, Clock.offset(CLOCK, Duration.ofDays(8)));
    PeerVerifier earlier =
        PeerVerifier.operatorClients(ca::certificate, Clock.offset(CLOCK, Duration.ofHours(-1)));

    assertThatThrownBy(() -> later.verify(new X509Certificate[] {operator}))
        .hasMessageContaining("does not chain")
        .hasRootCauseInstanceOf(java.security.cert.CertificateExpiredException.class);
    assertThatThrownBy(() -> earlier.verify(new X509Certificate[] {operator}))
        .hasRootCauseInstanceOf(java.security.cert.CertificateNotYetValidException.class);
  }

  @Test
  void aCertificateOfTheWrongIdentityIsRefused() throws Exception {
    PeerVerifier onlyGatewayB =
        new PeerVerifier(
            ca::certificate,
            CertificatePurpose.SERVER,
            PeerIdentity.gateway("site-a", "b")::equals,
            "gateway site-a/b",
            CLOCK);

    assertThatThrownBy(
            () -> onlyGatewayB.verify(new X509Certificate[] {agentCertificate(ca, CLOCK)}))
        .hasMessage(
            "the certificate belongs to urn:ipsec-operator:gateway:site-a:gw, expected gateway"
                + " site-a/b");
    assertThatThrownBy(() -> agentSide.verify(new X509Certificate[0]))
        .hasMessage("no certificate presented");
  }

  @Test
  void identitiesNameNamespaceAndGateway() {
    assertThat(PeerIdentity.gateway("site-a", "gw").uri())
        .isEqualTo("urn:ipsec-operator:gateway:site-a:gw");
    assertThat(PeerIdentity.gateway("site-a", "gw").isGateway()).isTrue();
    assertThat(PeerIdentity.OPERATOR.isGateway()).isFalse();
    assertThatThrownBy(() -> PeerIdentity.gateway("a:b", "gw"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static X509Certificate agentCertificate(CertificateAuthority ca, Clock clock) {
    return ca.issue(
            CertificateRequest.agent("site-a", "gw", List.of("gw-gateway.site-a.svc")), clock)
        .certificate();
  }
}
