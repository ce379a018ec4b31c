package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.PeerIdentity;
import dev.ipsec.operator.pki.Pem;
import dev.ipsec.operator.reconcile.TestResources;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The agent's TLS Secret: issued once, kept while it fits, replaced when due or foreign. */
class AgentTlsSecretsTest {

  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final CertificateAuthority ca = CertificateAuthority.create("test CA", clock);
  final IpsecGlobal gw = withUid(TestResources.gateway("gw"));

  @Test
  void aNewGatewayGetsACertificateOfItsIdentityAndServiceNames() throws Exception {
    Secret secret = new AgentTlsSecrets(ca, clock).desired(gw, Optional.empty());

    assertThat(secret.getMetadata().getName()).isEqualTo("gw-agent-tls");
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt");
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-gw"));
    X509Certificate certificate = Pem.readCertificate(decoded(secret, "tls.crt"));
    assertThat(PeerIdentity.of(certificate)).contains(PeerIdentity.gateway("vpn", "gw"));
    assertThat(certificate.getSubjectAlternativeNames())
        .contains(List.of(2, "gw-gateway.vpn.svc"), List.of(2, "gw-gateway.vpn.svc.cluster.local"));
    assertThat(ca.signed(certificate)).isTrue();
    assertThat(decoded(secret, "ca.crt")).isEqualTo(ca.certificatePem());
    assertThat(secret.toString()).as("no key in the object's text").doesNotContain("PRIVATE");
  }

  @Test
  void aFittingSecretIsKeptAsItIsSoNothingIsWritten() {
    Secret first = new AgentTlsSecrets(ca, clock).desired(gw, Optional.empty());
    Clock tenDaysLater = Clock.offset(clock, Duration.ofDays(10));

    Secret again = new AgentTlsSecrets(ca, tenDaysLater).desired(gw, Optional.of(first));

    assertThat(again.getData()).isEqualTo(first.getData());
  }

  @Test
  void aCertificateDueForRenewalIsReplacedWhileTheOldOneIsStillValid() {
    Secret first = new AgentTlsSecrets(ca, clock).desired(gw, Optional.empty());
    Clock twentyOneDaysLater = Clock.offset(clock, Duration.ofDays(21));

    Secret renewed = new AgentTlsSecrets(ca, twentyOneDaysLater).desired(gw, Optional.of(first));

    assertThat(renewed.getData().get("tls.crt")).isNotEqualTo(first.getData().get("tls.crt"));
    assertThat(renewed.getData().get("tls.key")).isNotEqualTo(first.getData().get("tls.key"));
    X509Certificate old = Pem.readCertificate(decoded(first, "tls.crt"));
    assertThat(old.getNotAfter().toInstant()).isAfter(NOW.plus(Duration.ofDays(29)));
  }

  @Test
  void aSecretOfAnotherCaAnotherGatewayOrGarbageIsReplaced() {
    CertificateAuthority other = CertificateAuthority.create("other", clock);
    Secret foreign = new AgentTlsSecrets(other, clock).desired(gw, Optional.empty());
    Secret ofAnotherGateway =
        new AgentTlsSecrets(ca, clock)
            .desired(withUid(TestResources.gateway("other")), Optional.empty());
    Secret garbage =
        new SecretBuilder()
            .withData(Map.of("tls.crt", "bm9wZQ==", "tls.key", "bm9wZQ==", "ca.crt", "!"))
            .build();
    AgentTlsSecrets secrets = new AgentTlsSecrets(ca, clock);

    for (Secret current : List.of(foreign, ofAnotherGateway, garbage)) {
      Secret replaced = secrets.desired(gw, Optional.of(current));
      X509Certificate certificate = Pem.readCertificate(decoded(replaced, "tls.crt"));
      assertThat(ca.signed(certificate)).isTrue();
      assertThat(PeerIdentity.of(certificate)).contains(PeerIdentity.gateway("vpn", "gw"));
    }
  }

  private static IpsecGlobal withUid(IpsecGlobal gateway) {
    gateway.getMetadata().setUid("uid-" + gateway.getMetadata().getName());
    return gateway;
  }

  private static String decoded(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }
}
