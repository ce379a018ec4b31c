package dev.ipsec.operator.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM in and out: certificates, and private keys as PKCS#8 ({@code PRIVATE KEY}, what cert-manager
 * and kubectl write into {@code tls.key}); SEC1 {@code EC PRIVATE KEY} is read too. Errors never
 * quote the input, which may be a key.
 */
public final class Pem {

  private Pem() {}

  public static String certificate(X509Certificate certificate) {
    return write(certificate);
  }

  public static String privateKey(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null).generate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first certificate of a PEM text. */
  public static X509Certificate readCertificate(String pem) {
    List<X509Certificate> all = readCertificates(pem);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no PEM certificate found");
    }
    return all.get(0);
  }

  /** Every certificate of a PEM text, in order. */
  public static List<X509Certificate> readCertificates(String pem) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate c :
          factory.generateCertificates(
              new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        certificates.add((X509Certificate) c);
      }
      return certificates;
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a PEM certificate: " + e.getClass().getSimpleName());
    }
  }

  /** The private key of a PEM text: PKCS#8 or SEC1 EC, unencrypted. */
  public static PrivateKey readPrivateKey(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (object instanceof PrivateKeyInfo info) {
        return fromPkcs8(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return fromPkcs8(pair.getPrivateKeyInfo());
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // neither the input nor the parser's message: both may hold key material
      throw new IllegalArgumentException("not a PEM private key: " + e.getClass().getSimpleName());
    }
    throw new IllegalArgumentException("not an unencrypted PEM private key");
  }

  /**
   * Through the JDK's key factory for the key's algorithm ("EC" or "RSA"): BouncyCastle's converter
   * asks for "ECDSA", which only its own provider knows, and this package does not install it.
   */
  private static PrivateKey fromPkcs8(PrivateKeyInfo info)
      throws IOException, GeneralSecurityException {
    String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
    String algorithm =
        switch (oid) {
          case "1.2.840.10045.2.1" -> "EC";
          case "1.2.840.113549.1.1.1" -> "RSA";
          default -> throw new GeneralSecurityException("unsupported key algorithm " + oid);
        };
    return KeyFactory.getInstance(algorithm)
        .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
  }

  private static String write(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
