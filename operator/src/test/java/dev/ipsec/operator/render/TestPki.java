package dev.ipsec.operator.render;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test keys and certificates, generated once per JVM with BouncyCastle. */
final class TestPki {

  static final KeyPair CA_KEY = generate();
  static final KeyPair GATEWAY_KEY = generate();
  static final KeyPair PEER_KEY = generate();
  static final String CA_CERT = certificate("CN=Test CA", CA_KEY, "CN=Test CA", CA_KEY, true);
  static final String GATEWAY_CERT =
      certificate("C=CH, O=Test, CN=gw.example.org", GATEWAY_KEY, "CN=Test CA", CA_KEY, false);

  private TestPki() {}

  static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(o);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /** PKCS#8 "PRIVATE KEY", the form cert-manager writes into tls.key. */
  static String privateKeyPem(KeyPair key) {
    return pem(org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getPrivate().getEncoded()));
  }

  static String publicKeyPem(KeyPair key) {
    return pem(key.getPublic());
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, new SecureRandom());
      return generator.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String certificate(String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey, boolean ca) {
    try {
      Date now = new Date();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          new X500Name(issuer), BigInteger.valueOf(System.nanoTime()),
          new Date(now.getTime() - 3_600_000L), new Date(now.getTime() + 86_400_000L),
          new X500Name(subject), subjectKey.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      X509CertificateHolder holder = builder.build(
          new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey.getPrivate()));
      return pem(holder);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
