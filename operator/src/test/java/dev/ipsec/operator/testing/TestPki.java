package dev.ipsec.operator.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Key material made at test time with BouncyCastle and the JCA, in the PEM forms the API expects:
 * PKCS#8 private keys (what cert-manager writes into {@code tls.key}), X.509 certificates and
 * SubjectPublicKeyInfo public keys. Nothing here is written to disk or logged. Shared by the
 * renderer's tests and the end-to-end tests, where charon loads it.
 */
public final class TestPki {

  private static final Duration VALIDITY = Duration.ofDays(1);
  private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  private TestPki() {}

  /** A self-signed ECDSA P-256 CA that issues gateway certificates. */
  public static final class CertificateAuthority {
    private final KeyPair key = ecKeyPair();
    private final X500Name name;
    private final String certificatePem;

    public CertificateAuthority(String commonName) {
      this.name = new X500Name("O=ipsec-operator e2e, CN=" + commonName);
      JcaX509v3CertificateBuilder builder = builder(name, name, key);
      try {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      this.certificatePem = sign(builder, key);
    }

    public String certificatePem() {
      return certificatePem;
    }

    /**
     * An end-entity certificate for {@code dnsName}, which is both its CN and its only subject
     * alternative name: charon matches a FQDN identity against the SAN.
     */
    public IssuedCertificate issue(String dnsName) {
      KeyPair subjectKey = ecKeyPair();
      JcaX509v3CertificateBuilder builder =
          builder(name, new X500Name("O=ipsec-operator e2e, CN=" + dnsName), subjectKey);
      try {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new IssuedCertificate(sign(builder, key), pkcs8Pem(subjectKey));
    }
  }

  /** A certificate and its private key, as the two PEM entries of a kubernetes.io/tls Secret. */
  public record IssuedCertificate(String certificatePem, String privateKeyPem) {
    @Override
    public String toString() {
      return "IssuedCertificate[private key hidden]";
    }
  }

  /** An RSA key pair as rsa mode takes it: PKCS#8 private key, SubjectPublicKeyInfo public key. */
  public record RsaKey(String privateKeyPem, String publicKeyPem) {
    public static RsaKey generate() {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        return new RsaKey(pkcs8Pem(pair), pem(pair.getPublic()));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String toString() {
      return "RsaKey[private key hidden]";
    }
  }

  /**
   * The private key in PEM as PKCS#8 ("PRIVATE KEY"), the form VyOS keeps in its pki
   * (BouncyCastle's PEM writer gives RSA keys as PKCS#1 and EC keys as SEC1).
   */
  public static String pkcs8(String privateKeyPem) {
    try (org.bouncycastle.openssl.PEMParser parser =
        new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(privateKeyPem))) {
      Object read = parser.readObject();
      PrivateKeyInfo info =
          read instanceof org.bouncycastle.openssl.PEMKeyPair pair
              ? pair.getPrivateKeyInfo()
              : (PrivateKeyInfo) read;
      return "-----BEGIN PRIVATE KEY-----\n"
          + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(info.getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A PKCS#8 private key in PEM encrypted with {@code password} ("ENCRYPTED PRIVATE KEY", AES-256
   * CBC), as {@code openssl pkcs8 -topk8 -v2 aes256} writes it.
   */
  public static String encryptedPkcs8(String privateKeyPem, String password) {
    try (org.bouncycastle.openssl.PEMParser parser =
        new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(privateKeyPem))) {
      Object read = parser.readObject();
      PrivateKeyInfo info =
          read instanceof org.bouncycastle.openssl.PEMKeyPair pair
              ? pair.getPrivateKeyInfo()
              : (PrivateKeyInfo) read;
      org.bouncycastle.operator.OutputEncryptor encryptor =
          new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                  org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
              .setProvider(BOUNCY_CASTLE)
              .setPassword(password.toCharArray())
              .build();
      return pem(new org.bouncycastle.openssl.PKCS8Generator(info, encryptor).generate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JcaX509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair subjectKey) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(VALIDITY)),
        subject,
        subjectKey.getPublic());
  }

  private static String sign(JcaX509v3CertificateBuilder builder, KeyPair issuerKey) {
    try {
      X509CertificateHolder holder =
          builder.build(
              new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate()));
      return pem(holder);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A P-256 key pair from the BouncyCastle provider, whose PKCS#8 encoding carries the public key
   * inside the ECPrivateKey as OpenSSL and cert-manager write it. The JDK's SunEC leaves it out,
   * and charon 5.9.8 refuses such a key ({@code load-key}: "parsing ANY private key failed").
   */
  private static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BOUNCY_CASTLE);
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PKCS#8 "PRIVATE KEY". */
  private static String pkcs8Pem(KeyPair key) {
    return pem(PrivateKeyInfo.getInstance(key.getPrivate().getEncoded()));
  }

  private static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
