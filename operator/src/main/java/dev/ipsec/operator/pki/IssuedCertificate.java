package dev.ipsec.operator.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate with its private key and the CA certificate that signed it: what one end of the
 * channel presents and trusts. Its {@code toString()} names the holder and the expiry, never the
 * key.
 */
public record IssuedCertificate(
    X509Certificate certificate, PrivateKey privateKey, X509Certificate issuer) {

  public IssuedCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(issuer, "issuer");
  }

  /**
   * Reads the PEM text of a mounted Secret or files ({@code tls.crt}, {@code tls.key}, {@code
   * ca.crt}).
   */
  public static IssuedCertificate fromPem(
      String certificatePem, String privateKeyPem, String issuerPem) {
    X509Certificate certificate = Pem.readCertificate(certificatePem);
    PrivateKey key = Pem.readPrivateKey(privateKeyPem);
    if (!KeyPairs.matches(key, certificate.getPublicKey())) {
      throw new IllegalArgumentException("the private key does not belong to the certificate");
    }
    return new IssuedCertificate(certificate, key, Pem.readCertificate(issuerPem));
  }

  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  public String privateKeyPem() {
    return Pem.privateKey(privateKey);
  }

  public String issuerPem() {
    return Pem.certificate(issuer);
  }

  @Override
  public String toString() {
    return "IssuedCertificate["
        + PeerIdentity.of(certificate).map(PeerIdentity::uri).orElse("(no identity)")
        + ", serial "
        + certificate.getSerialNumber().toString(16)
        + ", until "
        + certificate.getNotAfter().toInstant()
        + "]";
  }
}
