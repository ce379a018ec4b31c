package dev.ipsec.operator.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The operator's CA for the operator-agent channel: an ECDSA P-256 key and a self-signed
 * certificate (basic constraints CA, no intermediate allowed), which issues the agents' server
 * certificates and the operator's client certificate. Keys come from the JDK's provider;
 * BouncyCastle only builds the certificates.
 */
public final class CertificateAuthority {

  static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /** A new CA named {@code commonName}, valid for {@link Lifetimes#CA} from now. */
  public static CertificateAuthority create(String commonName, Clock clock) {
    KeyPair key = KeyPairs.newKeyPair();
    X500Name name = new X500Name("O=ipsec-operator, CN=" + commonName);
    Instant now = clock.instant();
    try {
      X509v3CertificateBuilder builder =
          builder(name, now, now.plus(Lifetimes.CA), name, key.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              extensions.createSubjectKeyIdentifier(key.getPublic()));
      return new CertificateAuthority(sign(builder, key.getPrivate()), key.getPrivate());
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the CA certificate", e);
    }
  }

  /**
   * A CA read back from PEM (as the operator keeps it in a Secret). Refuses a certificate that is
   * no CA, or a key that is not its key.
   */
  public static CertificateAuthority fromPem(String certificatePem, String privateKeyPem) {
    X509Certificate certificate = Pem.readCertificate(certificatePem);
    PrivateKey key = Pem.readPrivateKey(privateKeyPem);
    if (certificate.getBasicConstraints() < 0) {
      throw new IllegalArgumentException("the certificate is not a CA certificate");
    }
    if (!KeyPairs.matches(key, certificate.getPublicKey())) {
      throw new IllegalArgumentException("the private key does not belong to the CA certificate");
    }
    return new CertificateAuthority(certificate, key);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  /** The CA key as PKCS#8 PEM, for the Secret that keeps it; nowhere else. */
  public String privateKeyPem() {
    return Pem.privateKey(privateKey);
  }

  /** Issues a certificate with a new key pair (the key never leaves the caller's hands). */
  public IssuedCertificate issue(CertificateRequest request, Clock clock) {
    KeyPair key = KeyPairs.newKeyPair();
    Instant now = clock.instant();
    Instant notAfter = now.plus(request.lifetime());
    if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
      notAfter = certificate.getNotAfter().toInstant(); // never outlive the CA
    }
    try {
      X509v3CertificateBuilder builder =
          builder(
              X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
              now,
              notAfter,
              new X500Name("O=ipsec-operator, CN=" + commonName(request.purpose())),
              key.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(request.purpose().keyPurpose()))
          .addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(request))
          .addExtension(
              Extension.authorityKeyIdentifier,
              false,
              extensions.createAuthorityKeyIdentifier(certificate))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              extensions.createSubjectKeyIdentifier(key.getPublic()));
      return new IssuedCertificate(sign(builder, privateKey), key.getPrivate(), certificate);
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a certificate for " + request.identity(), e);
    }
  }

  /** Whether this CA signed {@code candidate} (its signature verifies with the CA's key). */
  public boolean signed(X509Certificate candidate) {
    try {
      candidate.verify(certificate.getPublicKey());
      return candidate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static GeneralNames subjectAlternativeNames(CertificateRequest request) {
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, request.identity().uri()));
    request.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  private static String commonName(CertificatePurpose purpose) {
    return purpose == CertificatePurpose.SERVER ? "gateway agent" : "operator";
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** Random, positive and 127 bits long, as RFC 5280 asks (at most 20 octets). */
  /**
   * A certificate valid from one clock skew before {@code now}, so that a peer whose clock is a
   * little behind accepts it at once, until {@code notAfter}, with a new random serial.
   */
  private static X509v3CertificateBuilder builder(
      X500Name issuer, Instant now, Instant notAfter, X500Name subject, PublicKey key) {
    return new JcaX509v3CertificateBuilder(
        issuer,
        serial(),
        Date.from(now.minus(Lifetimes.CLOCK_SKEW)),
        Date.from(notAfter),
        subject,
        key);
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  @Override
  public String toString() {
    return "CertificateAuthority["
        + certificate.getSubjectX500Principal().getName()
        + ", until "
        + certificate.getNotAfter().toInstant()
        + "]";
  }
}
