package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A private key that does not belong to its certificate is an error of the spec, named after the
 * field and the Secret's keys, never their content; a matching one renders.
 */
class KeyPairCheckTest {

  static final TestPki.IssuedCertificate OTHER = Fixtures.CA.issue("other.example.org");

  @Test
  void aKeyMatchesItsOwnCertificateOnly() {
    byte[] key = bytes(Fixtures.GATEWAY_CERTIFICATE.privateKeyPem());
    assertThat(KeyPairCheck.matches(key, Fixtures.GATEWAY_CERTIFICATE.certificatePem()))
        .contains(true);
    assertThat(KeyPairCheck.matches(key, OTHER.certificatePem())).contains(false);
    // an RSA key for an ECDSA certificate
    assertThat(
            KeyPairCheck.matches(
                bytes(Fixtures.GATEWAY_RSA_KEY.privateKeyPem()),
                Fixtures.GATEWAY_CERTIFICATE.certificatePem()))
        .contains(false);
    // not readable: left to the PEM checks
    assertThat(KeyPairCheck.matches(bytes("no key"), Fixtures.GATEWAY_CERTIFICATE.certificatePem()))
        .isEmpty();
  }

  @Test
  void aTlsSecretWhoseKeyIsAnotherCertificatesIsRefusedNamingTheFieldAndTheKeys() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    VyosOptionsTableTest.x509(s);
    assertThat(s.render().peerErrors()).isEmpty();

    s.secrets.put(
        "gw-tls",
        Map.of(
            "tls.crt", bytes(Fixtures.GATEWAY_CERTIFICATE.certificatePem()),
            "tls.key", bytes(OTHER.privateKeyPem())));
    RenderedGateway rendered = s.render();

    assertThat(rendered.connections()).isEmpty();
    assertThat(rendered.peerErrors().get("p1"))
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.authentication.x509.certificate: the private key in Secret \"gw-tls\" key"
                + " tls.key does not belong to the certificate in Secret \"gw-tls\" key tls.crt");
    assertThat(rendered.peerErrors().toString()).doesNotContain("PRIVATE KEY");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
