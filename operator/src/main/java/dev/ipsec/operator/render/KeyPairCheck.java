package dev.ipsec.operator.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Whether a private key belongs to a certificate: a key that does not is refused like any other
 * invalid reference, so a rotation that pairs a new certificate with an old key never replaces a
 * working configuration (charon would load both and fail every authentication). Decided by signing
 * a fixed message with the key and verifying it with the certificate's public key, which works the
 * same for RSA, ECDSA and EdDSA. Nothing of the key reaches a message or exception.
 */
final class KeyPairCheck {

  private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
  private static final byte[] CHALLENGE =
      "ipsec-operator: does this key belong to this certificate?".getBytes(StandardCharsets.UTF_8);

  private KeyPairCheck() {}

  /**
   * True or false when both are readable; empty when the key is encrypted (charon checks it with
   * its passphrase) or either cannot be read (reported as not PEM elsewhere).
   */
  static Optional<Boolean> matches(byte[] privateKeyPem, String certificatePem) {
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BOUNCY_CASTLE);
      Object key = PemMaterial.first(new String(privateKeyPem, StandardCharsets.UTF_8));
      PrivateKey privateKey;
      if (key instanceof PEMKeyPair pair) {
        privateKey = converter.getKeyPair(pair).getPrivate();
      } else if (key instanceof PrivateKeyInfo info) {
        privateKey = converter.getPrivateKey(info);
      } else {
        return Optional.empty();
      }
      if (!(PemMaterial.first(certificatePem) instanceof X509CertificateHolder certificate)) {
        return Optional.empty();
      }
      PublicKey publicKey = converter.getPublicKey(certificate.getSubjectPublicKeyInfo());
      if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())
          && !(isEc(privateKey) && isEc(publicKey))) {
        return Optional.of(false);
      }
      Optional<String> algorithm = signatureAlgorithm(privateKey);
      if (algorithm.isEmpty()) {
        return Optional.empty();
      }
      Signature signer = Signature.getInstance(algorithm.get(), BOUNCY_CASTLE);
      signer.initSign(privateKey);
      signer.update(CHALLENGE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm.get(), BOUNCY_CASTLE);
      verifier.initVerify(publicKey);
      verifier.update(CHALLENGE);
      return Optional.of(verifier.verify(signature));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // a key that cannot be used with this certificate's key at all does not match it
      return Optional.of(false);
    }
  }

  private static boolean isEc(java.security.Key key) {
    return key.getAlgorithm().equals("EC") || key.getAlgorithm().equals("ECDSA");
  }

  private static Optional<String> signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "RSA" -> Optional.of("SHA256withRSA");
      case "EC", "ECDSA" -> Optional.of("SHA256withECDSA");
      case "Ed25519", "Ed448", "EdDSA" -> Optional.of(key.getAlgorithm());
      case "DSA" -> Optional.of("SHA256withDSA");
      default -> Optional.empty();
    };
  }
}
