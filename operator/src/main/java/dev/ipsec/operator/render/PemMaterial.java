package dev.ipsec.operator.render;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Checks that referenced PEM material is what it claims to be, so a wrong Secret key shows up as a
 * field error instead of a credential charon silently fails to load. Never puts key material into
 * an exception or message.
 */
final class PemMaterial {

  /**
   * A PEM block's header. Every label that names a private key ends in "PRIVATE KEY" (PKCS#8,
   * "RSA", "EC", "DSA", "ENCRYPTED", "OPENSSH") or "PRIVATE KEY BLOCK" (OpenPGP).
   */
  private static final Pattern BLOCK_BEGIN = Pattern.compile("-----BEGIN ([^-\r\n]*)-----");

  private static final Pattern PRIVATE_KEY_LABEL =
      Pattern.compile(".*PRIVATE KEY( BLOCK)?", Pattern.CASE_INSENSITIVE);

  private PemMaterial() {}

  /** A private key block found in a PEM bundle: its position (1-based) and label. */
  record PrivateKeyBlock(int position, String label) {
    @Override
    public String toString() {
      return "PEM block " + position + ", \"" + label + "\"";
    }
  }

  /**
   * The first block anywhere in {@code pem} that holds a private key, whatever comes before it.
   * Material that ends up in a ConfigMap (certificates, CA bundles, public keys) is checked with
   * this, since a parser that reads only the first block would let a key further down through.
   */
  static Optional<PrivateKeyBlock> privateKeyBlock(String pem) {
    if (pem == null) {
      return Optional.empty();
    }
    Matcher m = BLOCK_BEGIN.matcher(pem);
    for (int position = 1; m.find(); position++) {
      String label = m.group(1).strip();
      if (PRIVATE_KEY_LABEL.matcher(label).matches()) {
        return Optional.of(new PrivateKeyBlock(position, label));
      }
    }
    return Optional.empty();
  }

  static boolean isCertificate(String pem) {
    return first(pem) instanceof X509CertificateHolder;
  }

  static boolean isPublicKey(String pem) {
    return first(pem) instanceof SubjectPublicKeyInfo;
  }

  static boolean isPrivateKey(byte[] pem) {
    Object o = first(new String(pem, StandardCharsets.UTF_8));
    return o instanceof PrivateKeyInfo
        || o instanceof PEMKeyPair
        || o instanceof PEMEncryptedKeyPair
        || o instanceof PKCS8EncryptedPrivateKeyInfo;
  }

  /**
   * The PEM public key of an unencrypted RSA private key (PKCS#1 or PKCS#8), which rsa mode needs
   * as {@code local.pubkeys} so that charon knows which private key is its own.
   */
  static Optional<String> publicKeyOf(byte[] privateKeyPem) {
    Object o = first(new String(privateKeyPem, StandardCharsets.UTF_8));
    try {
      PrivateKeyInfo info;
      if (o instanceof PEMKeyPair pair) {
        info = pair.getPrivateKeyInfo();
      } else if (o instanceof PrivateKeyInfo pki) {
        info = pki;
      } else {
        return Optional.empty();
      }
      if (!PKCSObjectIdentifiers.rsaEncryption.equals(
          info.getPrivateKeyAlgorithm().getAlgorithm())) {
        return Optional.empty();
      }
      RSAPrivateKey rsa = RSAPrivateKey.getInstance(info.parsePrivateKey());
      SubjectPublicKeyInfo spki =
          new SubjectPublicKeyInfo(
              new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
              new RSAPublicKey(rsa.getModulus(), rsa.getPublicExponent()));
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(spki);
      }
      return Optional.of(out.toString());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The first PEM object of {@code pem}, or null when there is none or it does not parse. */
  static Object first(String pem) {
    if (pem == null || !pem.contains("-----BEGIN ")) {
      return null;
    }
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
