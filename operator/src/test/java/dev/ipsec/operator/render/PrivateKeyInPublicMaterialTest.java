package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.CaCertificateRef;
import dev.ipsec.operator.api.v1alpha1.ObjectKeyRef;
import dev.ipsec.operator.api.v1alpha1.RsaAuthentication;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import dev.ipsec.operator.api.v1alpha1.SecretNameRef;
import dev.ipsec.operator.api.v1alpha1.X509Authentication;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Certificates, CA bundles and public keys are copied into ConfigMaps, so a private key anywhere in
 * such a bundle is refused, naming the field and the object and key it came from, never the key.
 */
class PrivateKeyInPublicMaterialTest {

  private static final KeyPair EC = keyPair("EC", new ECGenParameterSpec("secp256r1"));
  private static final KeyPair RSA = keyPair("RSA", null);
  private static final char[] PASSWORD = "a passphrase".toCharArray();

  /** Every form a private key block comes in, and the label its header carries. */
  static Stream<Arguments> keys() {
    return Stream.of(
        Arguments.of("EC (SEC1)", "EC PRIVATE KEY", pem(EC.getPrivate())),
        Arguments.of("RSA (PKCS#1)", "RSA PRIVATE KEY", pem(RSA.getPrivate())),
        Arguments.of("PKCS#8", "PRIVATE KEY", pkcs8(EC, false)),
        Arguments.of("encrypted PKCS#8", "ENCRYPTED PRIVATE KEY", pkcs8(RSA, true)),
        Arguments.of("encrypted PKCS#1 (Proc-Type)", "RSA PRIVATE KEY", legacyEncrypted(RSA)),
        Arguments.of("OpenSSH", "OPENSSH PRIVATE KEY", openSsh()));
  }

  static Stream<Arguments> bundlesAndKeys() {
    String cert = Fixtures.GATEWAY_CERTIFICATE.certificatePem();
    String ca = Fixtures.CA.certificatePem();
    return keys()
        .flatMap(
            k -> {
              String key = (String) k.get()[2];
              return Stream.of(
                  Arguments.of(k.get()[0], k.get()[1], "cert+key", cert + key, 2),
                  Arguments.of(k.get()[0], k.get()[1], "cert+cert+key", cert + ca + key, 3),
                  Arguments.of(k.get()[0], k.get()[1], "key+cert", key + cert, 1));
            });
  }

  @ParameterizedTest(name = "{0} as {2} in tls.crt")
  @MethodSource("bundlesAndKeys")
  void aKeyInTheCertificateIsRefused(
      String form, String label, String layout, String bundle, int position) {
    Fixtures.Scenario s = x509(bundle, Fixtures.CA.certificatePem());
    List<FieldError> errors = errorsOf(s);
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path()).isEqualTo("spec.authentication.x509.certificate");
              assertThat(e.message())
                  .contains("Secret \"gw-tls\" key tls.crt holds a private key")
                  .contains("PEM block " + position + ", \"" + label + "\"")
                  .contains("ConfigMap");
              assertNoKeyMaterial(e, bundle);
            });
    assertThat(s.render().configFiles()).doesNotContainKey("x509/p1.pem");
  }

  @ParameterizedTest(name = "{0} as {2} in a CA ConfigMap")
  @MethodSource("bundlesAndKeys")
  void aKeyInACaConfigMapIsRefused(
      String form, String label, String layout, String bundle, int position) {
    Fixtures.Scenario s = x509(Fixtures.GATEWAY_CERTIFICATE.certificatePem(), bundle);
    assertThat(errorsOf(s))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path())
                  .isEqualTo("spec.authentication.x509.caCertificates[0].configMapRef");
              assertThat(e.message())
                  .contains("ConfigMap \"ca\" key ca.crt holds a private key")
                  .contains("PEM block " + position + ", \"" + label + "\"")
                  .contains("exposed");
              assertNoKeyMaterial(e, bundle);
            });
  }

  @ParameterizedTest(name = "{0} as {2} in a CA Secret")
  @MethodSource("bundlesAndKeys")
  void aKeyInACaSecretIsRefused(
      String form, String label, String layout, String bundle, int position) {
    Fixtures.Scenario s = x509(Fixtures.GATEWAY_CERTIFICATE.certificatePem(), null);
    s.secrets.put("ca-secret", Map.of("bundle.pem", bundle.getBytes(StandardCharsets.UTF_8)));
    CaCertificateRef ref = new CaCertificateRef();
    ref.setSecretRef(new SecretKeyRef("ca-secret", "bundle.pem"));
    s.peer().getSpec().getAuthentication().getX509().setCaCertificates(List.of(ref));
    assertThat(errorsOf(s))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path())
                  .isEqualTo("spec.authentication.x509.caCertificates[0].secretRef");
              assertThat(e.message())
                  .contains("Secret \"ca-secret\" key bundle.pem holds a private key")
                  .contains("PEM block " + position + ", \"" + label + "\"");
              assertNoKeyMaterial(e, bundle);
            });
  }

  @ParameterizedTest(name = "{0} after the remote public key")
  @MethodSource("keys")
  void aKeyInTheRemotePublicKeyIsRefused(String form, String label, String key) {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.secrets.put(
        "gw-rsa",
        Map.of(
            "key.pem", Fixtures.GATEWAY_RSA_KEY.privateKeyPem().getBytes(StandardCharsets.UTF_8)));
    RsaAuthentication r = new RsaAuthentication();
    r.setLocalKey(new SecretKeyRef("gw-rsa", "key.pem"));
    r.setRemotePublicKey(Fixtures.PEER_RSA_KEY.publicKeyPem() + key);
    s.peer().getSpec().getAuthentication().setMode(AuthenticationMode.RSA);
    s.peer().getSpec().getAuthentication().setPreSharedSecret(null);
    s.peer().getSpec().getAuthentication().setRsa(r);
    assertThat(errorsOf(s))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path()).isEqualTo("spec.authentication.rsa.remotePublicKey");
              assertThat(e.message()).contains("PEM block 2, \"" + label + "\"");
            });
  }

  @Test
  void certificateBundlesWithoutKeysStillRender() {
    String chain = Fixtures.GATEWAY_CERTIFICATE.certificatePem() + Fixtures.CA.certificatePem();
    Fixtures.Scenario s = x509(chain, Fixtures.CA.certificatePem() + Fixtures.CA.certificatePem());
    RenderedGateway rendered = s.render();
    assertThat(rendered.peerErrors()).isEmpty();
    assertThat(rendered.configFiles()).containsEntry("x509/p1.pem", chain);
    assertThat(rendered.secretFiles()).containsKey("private/p1.pem");
  }

  @Test
  void theKeysOfThisTestCarryTheLabelsTheyClaim() {
    keys()
        .forEach(
            k ->
                assertThat((String) k.get()[2])
                    .as((String) k.get()[0])
                    .startsWith("-----BEGIN " + k.get()[1] + "-----"));
    assertThat(legacyEncrypted(RSA)).contains("Proc-Type: 4,ENCRYPTED");
  }

  /** The x509 scenario with {@code certificate} as tls.crt and {@code ca} in a CA ConfigMap. */
  private static Fixtures.Scenario x509(String certificate, String ca) {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.secrets.put(
        "gw-tls",
        Map.of(
            "tls.crt", certificate.getBytes(StandardCharsets.UTF_8),
            "tls.key",
                Fixtures.GATEWAY_CERTIFICATE.privateKeyPem().getBytes(StandardCharsets.UTF_8)));
    X509Authentication x = new X509Authentication();
    x.setCertificate(new SecretNameRef("gw-tls"));
    if (ca != null) {
      s.configMaps.put("ca", Map.of("ca.crt", ca));
      CaCertificateRef ref = new CaCertificateRef();
      ref.setConfigMapRef(new ObjectKeyRef("ca", "ca.crt"));
      x.setCaCertificates(new ArrayList<>(List.of(ref)));
    }
    s.peer().getSpec().getAuthentication().setMode(AuthenticationMode.X509);
    s.peer().getSpec().getAuthentication().setPreSharedSecret(null);
    s.peer().getSpec().getAuthentication().setX509(x);
    return s;
  }

  private static List<FieldError> errorsOf(Fixtures.Scenario s) {
    return s.render().peerErrors().getOrDefault("p1", List.of());
  }

  /** No line of the key's base64 body appears in the error. */
  private static void assertNoKeyMaterial(FieldError e, String bundle) {
    bundle
        .lines()
        .filter(l -> l.length() > 20 && !l.startsWith("-----"))
        .forEach(l -> assertThat(e.toString()).doesNotContain(l));
  }

  private static KeyPair keyPair(String algorithm, ECGenParameterSpec spec) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (spec != null) {
        generator.initialize(spec);
      } else {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** BouncyCastle writes a JCA private key in its traditional form: SEC1 for EC, PKCS#1 for RSA. */
  private static String pem(Object o) {
    return write(w -> w.writeObject(o));
  }

  private static String pkcs8(KeyPair key, boolean encrypted) {
    try {
      var encryptor =
          encrypted
              ? new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                  .setProvider(new BouncyCastleProvider())
                  .setRandom(new SecureRandom())
                  .setPassword(PASSWORD)
                  .build()
              : null;
      PemObject object = new JcaPKCS8Generator(key.getPrivate(), encryptor).generate();
      return write(w -> w.writeObject(object));
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String legacyEncrypted(KeyPair key) {
    return write(
        w ->
            w.writeObject(
                key.getPrivate(),
                new JcePEMEncryptorBuilder("AES-128-CBC")
                    .setProvider(new BouncyCastleProvider())
                    .build(PASSWORD)));
  }

  private static String openSsh() {
    return write(
        w ->
            w.writeObject(
                new PemObject(
                    "OPENSSH PRIVATE KEY",
                    OpenSSHPrivateKeyUtil.encodePrivateKey(
                        new Ed25519PrivateKeyParameters(new SecureRandom())))));
  }

  private interface PemWriting {
    void accept(JcaPEMWriter writer) throws IOException;
  }

  private static String write(PemWriting writing) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writing.accept(writer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
