package dev.ipsec.operator.vyos;

import dev.ipsec.operator.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The test configurations in VyOS command syntax ({@code src/test/resources/vyos}), complete with
 * the {@code set pki} lines their x509 and rsa peers name. Key material is made at test time with
 * BouncyCastle ({@link TestPki}) and written as VyOS keeps it: the PEM body on one line.
 */
public final class VyosTestConfigurations {

  static final Path DIR = Path.of("src/test/resources/vyos");

  private VyosTestConfigurations() {}

  /** The names of every configuration file, which the multi-peer tests must each cover. */
  public static List<String> files() {
    try (Stream<Path> list = Files.list(DIR)) {
      return list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".conf"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file's lines, plus the pki lines its peers name (fresh keys on every call). */
  public static String complete(String file) {
    String text = read(file);
    return switch (file) {
      case "x509-two-peers.conf" -> text + x509Pki();
      case "rsa-two-peers.conf" -> text + rsaPki();
      default -> text;
    };
  }

  public static String read(String file) {
    try {
      return Files.readString(DIR.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String x509Pki() {
    TestPki.CertificateAuthority ca = new TestPki.CertificateAuthority("vyos test root");
    TestPki.IssuedCertificate hq = ca.issue("hq.example.org");
    return ca("ROOT-CA", ca.certificatePem()) + certificate("HQ-CERT", hq);
  }

  private static String rsaPki() {
    TestPki.RsaKey hq = TestPki.RsaKey.generate();
    return keyPair("HQ-KEY", hq)
        + publicKey("NORTH-KEY", TestPki.RsaKey.generate().publicKeyPem())
        + publicKey("SOUTH-KEY", TestPki.RsaKey.generate().publicKeyPem());
  }

  /** {@code set pki ca NAME certificate '...'}. */
  public static String ca(String name, String certificatePem) {
    return "set pki ca " + name + " certificate '" + PkiMaterial.body(certificatePem) + "'\n";
  }

  /** {@code set pki certificate NAME certificate '...'} and its {@code private key}. */
  public static String certificate(String name, TestPki.IssuedCertificate issued) {
    return "set pki certificate "
        + name
        + " certificate '"
        + PkiMaterial.body(issued.certificatePem())
        + "'\nset pki certificate "
        + name
        + " private key '"
        + PkiMaterial.body(TestPki.pkcs8(issued.privateKeyPem()))
        + "'\n";
  }

  /** A private key as the import writes it: the PKCS#8 PEM VyOS's pki entry holds. */
  public static String imported(String privateKeyPem) {
    return TestPki.pkcs8(privateKeyPem);
  }

  /** Both halves of a key-pair, as {@code generate pki key-pair install} leaves them. */
  public static String keyPair(String name, TestPki.RsaKey key) {
    return publicKey(name, key.publicKeyPem())
        + "set pki key-pair "
        + name
        + " private key '"
        + PkiMaterial.body(TestPki.pkcs8(key.privateKeyPem()))
        + "'\n";
  }

  /** Only the public half: another site's key. */
  public static String publicKey(String name, String publicKeyPem) {
    return "set pki key-pair " + name + " public key '" + PkiMaterial.body(publicKeyPem) + "'\n";
  }
}
