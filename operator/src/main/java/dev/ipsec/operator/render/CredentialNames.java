package dev.ipsec.operator.render;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the renderer names a connection's credential files and secret sections. Everything is named
 * after the connection, so that whoever reads an error about a file or a secret id (the agent
 * reports them by those names) can tell which peer it belongs to: {@link #ownerOf}.
 */
public final class CredentialNames {

  private static final Pattern CA_SUFFIX = Pattern.compile("-ca-\\d+$");
  private static final List<String> KEY_SUFFIXES = List.of("-local", "-remote");
  private static final List<String> SECRET_PREFIXES = List.of("ike-", "private-");

  private CredentialNames() {}

  /** The local certificate, under {@code x509/}. */
  public static String certificate(String conn) {
    return conn + ".pem";
  }

  /** The local private key, under {@code private/}. */
  public static String privateKey(String conn) {
    return conn + ".pem";
  }

  /** The {@code index}-th CA certificate, under {@code x509ca/}. */
  public static String caCertificate(String conn, int index) {
    return conn + "-ca-" + index + ".pem";
  }

  /** The local raw public key (RSA authentication), under {@code pubkey/}. */
  public static String localPublicKey(String conn) {
    return conn + "-local.pem";
  }

  /** The remote raw public key (RSA authentication), under {@code pubkey/}. */
  public static String remotePublicKey(String conn) {
    return conn + "-remote.pem";
  }

  /** The {@code secrets} section of the connection's pre-shared key. */
  public static String sharedSecret(String conn) {
    return "ike-" + conn;
  }

  /** The {@code secrets} section naming the connection's private key (and its passphrase). */
  public static String privateKeySecret(String conn) {
    return "private-" + conn;
  }

  /**
   * The connection, among {@code connections}, that a credential file ({@code private/x.pem},
   * {@code x509ca/x-ca-0.pem}, ...) or secret section ({@code ike-x}) was rendered for.
   */
  public static Optional<String> ownerOf(String fileOrSecret, Collection<String> connections) {
    String name = fileOrSecret.substring(fileOrSecret.lastIndexOf('/') + 1);
    List<String> candidates = new ArrayList<>();
    if (name.endsWith(".pem")) {
      String base = name.substring(0, name.length() - ".pem".length());
      candidates.add(base);
      candidates.add(CA_SUFFIX.matcher(base).replaceFirst(""));
      KEY_SUFFIXES.stream()
          .filter(base::endsWith)
          .forEach(suffix -> candidates.add(base.substring(0, base.length() - suffix.length())));
    } else {
      SECRET_PREFIXES.stream()
          .filter(name::startsWith)
          .forEach(prefix -> candidates.add(name.substring(prefix.length())));
    }
    return candidates.stream().filter(connections::contains).findFirst();
  }
}
