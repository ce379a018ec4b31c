package dev.ipsec.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A whole configuration held in memory (the renderer's files) loaded into a {@link CharonInstance}
 * with {@code swanctl --load-all}, replacing everything loaded before. Unloading first means a
 * connection that fails to load can never be mistaken for one left over from an earlier load, so
 * one charon can serve a whole test class.
 */
public final class SwanctlLoad {

  /** The directories swanctl reads credentials from; created empty so it does not complain. */
  private static final List<String> CREDENTIAL_DIRS =
      List.of(
          "x509",
          "x509ca",
          "x509ocsp",
          "x509aa",
          "x509ac",
          "x509crl",
          "pubkey",
          "private",
          "rsa",
          "ecdsa",
          "bliss",
          "pkcs8",
          "pkcs12",
          "conf.d",
          "secrets.d");

  /**
   * What {@code swanctl --load-all} said (standard output, then standard error), and the
   * connections charon then lists, each with its children.
   */
  public record Result(int exitCode, String output, Map<String, List<String>> connections) {

    public boolean loadedCleanly() {
      return exitCode == 0 && !output.contains("failed") && !output.contains("error");
    }
  }

  private SwanctlLoad() {}

  /**
   * Unloads everything, writes the files (paths relative to the swanctl directory) into a fresh
   * directory beside the charon's and loads them.
   */
  static Result replaceAll(
      CharonInstance charon, Map<String, String> configFiles, Map<String, byte[]> secretFiles) {
    unloadAll(charon);
    Path dir = charon.dir().resolve("swanctl-load");
    try {
      deleteRecursively(dir);
      createCredentialDirs(dir);
      for (Map.Entry<String, String> file : configFiles.entrySet()) {
        write(dir, file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8));
      }
      for (Map.Entry<String, byte[]> file : secretFiles.entrySet()) {
        write(dir, file.getKey(), file.getValue());
      }
      ExecResult load = charon.swanctlLoadAll(dir.resolve("swanctl.conf"));
      return new Result(load.exitCode(), load.stdout() + load.stderr(), charon.listConnections());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteRecursively(dir);
    }
  }

  /** {@code --load-all} of an empty configuration unloads every connection and secret. */
  private static void unloadAll(CharonInstance charon) {
    Path empty = charon.dir().resolve("swanctl-empty");
    try {
      createCredentialDirs(empty);
      Files.writeString(empty.resolve("swanctl.conf"), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ExecResult unload = charon.swanctlLoadAll(empty.resolve("swanctl.conf"));
    if (!unload.ok()) {
      throw new IllegalStateException(
          "could not unload the previous configuration: " + unload.stdout() + unload.stderr());
    }
  }

  private static void createCredentialDirs(Path dir) throws IOException {
    for (String sub : CREDENTIAL_DIRS) {
      Files.createDirectories(dir.resolve(sub));
    }
  }

  private static void write(Path dir, String relative, byte[] content) throws IOException {
    Path target = dir.resolve(relative).normalize();
    if (!target.startsWith(dir)) {
      throw new IllegalArgumentException("file path escapes the directory: " + relative);
    }
    Files.createDirectories(target.getParent());
    Files.write(target, content);
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: the next load starts by deleting it again
    }
  }
}
