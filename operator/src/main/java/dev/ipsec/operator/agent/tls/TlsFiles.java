package dev.ipsec.operator.agent.tls;

import dev.ipsec.operator.pki.IssuedCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the agent's TLS material lies: its certificate, its private key and the CA certificate that
 * the operator's client certificate must chain to (PEM files, as a Secret of type kubernetes.io/tls
 * with {@code ca.crt} is mounted: {@code tls.crt}, {@code tls.key}, {@code ca.crt}).
 */
public record TlsFiles(Path certificate, Path privateKey, Path clientCa) {

  public TlsFiles {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(clientCa, "clientCa");
  }

  /** The three files of a mounted kubernetes.io/tls Secret with {@code ca.crt}. */
  public static TlsFiles inDirectory(Path dir) {
    return new TlsFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("ca.crt"));
  }

  /** Reads and checks the three files; the key must belong to the certificate. */
  IssuedCertificate read() throws IOException {
    return IssuedCertificate.fromPem(
        Files.readString(certificate, StandardCharsets.US_ASCII),
        Files.readString(privateKey, StandardCharsets.US_ASCII),
        Files.readString(clientCa, StandardCharsets.US_ASCII));
  }

  /** A digest of the three files' bytes, to tell a real change from a touch. */
  byte[] digest() throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path file : new Path[] {certificate, privateKey, clientCa}) {
        digest.update(Files.readAllBytes(file));
        digest.update((byte) 0);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The directories to watch: a mounted Secret is one, files given by hand may be several. */
  Set<Path> directories() {
    return Stream.of(certificate, privateKey, clientCa)
        .map(f -> f.toAbsolutePath().getParent())
        .collect(Collectors.toSet());
  }
}
