package dev.ipsec.operator.agent.swanctl;

import dev.ipsec.operator.vici.ViciMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * A certificate ({@code load-cert}) or private key ({@code load-key}) read from the credential
 * folders of the configuration directory.
 *
 * @param file path relative to the configuration directory, e.g. {@code x509ca/root.pem}
 * @param command {@code load-cert} or {@code load-key}
 */
public record CredentialSpec(String file, String command, ViciMessage request, String fingerprint) {

  /** The {@code load-cert} type of X.509 public key certificates (CA, AA, OCSP, end entity). */
  private static final String PUBLIC_KEY_CERTIFICATE = "X509";

  /**
   * When the certificate this loads expires; empty for keys, CRLs, attribute certificates and
   * content the JDK cannot parse (charon then refuses it too, and the load error says so).
   */
  public Optional<Instant> certificateNotAfter() {
    if (!command.equals("load-cert")
        || !PUBLIC_KEY_CERTIFICATE.equals(request.string("type", ""))) {
      return Optional.empty();
    }
    byte[] pem = request.string("data", "").getBytes(StandardCharsets.US_ASCII);
    try {
      X509Certificate certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(pem));
      return Optional.of(certificate.getNotAfter().toInstant());
    } catch (CertificateException | ClassCastException e) {
      return Optional.empty();
    }
  }

  /** Never prints the request: keys are secret. */
  @Override
  public String toString() {
    return "CredentialSpec{" + command + " " + file + "}";
  }
}
