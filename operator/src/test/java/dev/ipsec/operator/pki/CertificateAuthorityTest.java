package dev.ipsec.operator.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;

/** The CA: what it is, what it issues, and its PEM form. */
class CertificateAuthorityTest {

  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  final CertificateAuthority ca = CertificateAuthority.create("test CA", CLOCK);

  @Test
  void theCaIsASelfSignedP256CaForTenYearsThatIssuesNoIntermediates() throws Exception {
    X509Certificate certificate = ca.certificate();

    assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(
            ((ECPublicKey) certificate.getPublicKey())
                .getParams()
                .getCurve()
                .getField()
                .getFieldSize())
        .isEqualTo(256);
    assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(certificate.getBasicConstraints()).as("CA, path length 0").isZero();
    assertThat(certificate.getKeyUsage()[5]).as("keyCertSign").isTrue();
    certificate.verify(certificate.getPublicKey());
    assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=test CA");
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.plus(Lifetimes.CA));
    assertThat(certificate.getNotBefore().toInstant()).isEqualTo(NOW.minus(Lifetimes.CLOCK_SKEW));
  }

  @Test
  void anAgentCertificateNamesItsGatewayAndServiceAndServesOnly() throws Exception {
    IssuedCertificate issued =
        ca.issue(
            CertificateRequest.agent(
                "site-a",
                "gw",
                List.of("gw-gateway.site-a.svc", "gw-gateway.site-a.svc.cluster.local")),
            CLOCK);
    X509Certificate certificate = issued.certificate();

    certificate.verify(ca.certificate().getPublicKey());
    assertThat(ca.signed(certificate)).isTrue();
    assertThat(certificate.getBasicConstraints()).as("no CA").isEqualTo(-1);
    assertThat(certificate.getSubjectAlternativeNames())
        .containsExactly(
            List.of(6, "urn:ipsec-operator:gateway:site-a:gw"),
            List.of(2, "gw-gateway.site-a.svc"),
            List.of(2, "gw-gateway.site-a.svc.cluster.local"));
    assertThat(PeerIdentity.of(certificate)).contains(PeerIdentity.gateway("site-a", "gw"));
    assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(certificate.getNotBefore().toInstant()).isEqualTo(NOW.minus(Lifetimes.CLOCK_SKEW));
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
    assertThat(issued.issuer()).isEqualTo(ca.certificate());
  }

  @Test
  void theOperatorCertificateIsAClientCertificateOfTheOperatorIdentity() throws Exception {
    X509Certificate certificate = ca.issue(CertificateRequest.operator(), CLOCK).certificate();

    assertThat(PeerIdentity.of(certificate)).contains(PeerIdentity.OPERATOR);
    assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
  }

  @Test
  void eachIssueHasItsOwnKeyAndSerial() {
    IssuedCertificate first = ca.issue(CertificateRequest.operator(), CLOCK);
    IssuedCertificate second = ca.issue(CertificateRequest.operator(), CLOCK);

    assertThat(first.certificate().getSerialNumber())
        .isNotEqualTo(second.certificate().getSerialNumber());
    assertThat(first.privateKey()).isNotEqualTo(second.privateKey());
  }

  @Test
  void noCertificateOutlivesTheCa() {
    Clock late = Clock.offset(CLOCK, Lifetimes.CA.minusDays(2));
    X509Certificate certificate =
        ca.issue(CertificateRequest.agent("ns", "gw", List.of()), late).certificate();

    assertThat(certificate.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
  }

  @Test
  void theCaAndItsCertificatesSurviveAPemRoundTrip() {
    CertificateAuthority read =
        CertificateAuthority.fromPem(ca.certificatePem(), ca.privateKeyPem());
    assertThat(read.certificate()).isEqualTo(ca.certificate());
    assertThat(ca.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    // the CA read back issues what the original trusts
    assertThat(ca.signed(read.issue(CertificateRequest.operator(), CLOCK).certificate())).isTrue();

    IssuedCertificate issued = ca.issue(CertificateRequest.agent("ns", "gw", List.of()), CLOCK);
    IssuedCertificate back =
        IssuedCertificate.fromPem(
            issued.certificatePem(), issued.privateKeyPem(), issued.issuerPem());
    assertThat(back.certificate()).isEqualTo(issued.certificate());
    assertThat(back.privateKey()).isEqualTo(issued.privateKey());
    assertThat(back.issuer()).isEqualTo(ca.certificate());
  }

  @Test
  void aKeyThatIsNotTheCertificatesOrACertificateThatIsNoCaIsRefused() {
    IssuedCertificate issued = ca.issue(CertificateRequest.operator(), CLOCK);
    CertificateAuthority other = CertificateAuthority.create("other", CLOCK);

    assertThatThrownBy(
            () -> CertificateAuthority.fromPem(ca.certificatePem(), other.privateKeyPem()))
        .hasMessageContaining("does not belong");
    assertThatThrownBy(
            () -> CertificateAuthority.fromPem(issued.certificatePem(), issued.privateKeyPem()))
        .hasMessageContaining("not a CA");
    assertThatThrownBy(
            () ->
                IssuedCertificate.fromPem(
                    issued.certificatePem(), other.privateKeyPem(), ca.certificatePem()))
        .hasMessageContaining("does not belong");
  }

  @Test
  void noKeyMaterialInMessagesOrToString() {
    IssuedCertificate issued = ca.issue(CertificateRequest.operator(), CLOCK);
    String key = issued.privateKeyPem();
    String body = key.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();

    assertThat(issued.toString()).doesNotContain(body).contains("urn:ipsec-operator:operator");
    assertThat(ca.toString()).doesNotContain(body);
    assertThatThrownBy(() -> Pem.readPrivateKey(key.replace(body, body.substring(0, 20) + "!!")))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body.substring(0, 20)));
    assertThatThrownBy(() -> Pem.readCertificate(key))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body.substring(0, 20)));
  }

  @Test
  void aSec1EcKeyIsReadToo() throws Exception {
    IssuedCertificate issued = ca.issue(CertificateRequest.operator(), CLOCK);
    // what openssl ec and cert-manager (encoding PKCS1) write: the curve inside the key
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(issued.privateKey().getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    ECPrivateKey sec1 =
        new ECPrivateKey(
            256,
            inner.getKey(),
            inner.getPublicKey(),
            info.getPrivateKeyAlgorithm().getParameters());
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    assertThat(
            KeyPairs.matches(
                Pem.readPrivateKey(out.toString()), issued.certificate().getPublicKey()))
        .isTrue();
  }
}
