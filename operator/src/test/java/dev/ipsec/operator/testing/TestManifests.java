package dev.ipsec.operator.testing;

import dev.ipsec.operator.agent.volume.ManifestVerifier;
import dev.ipsec.operator.agent.volume.VerifiedView;
import dev.ipsec.operator.agent.volume.VolumeCheck;
import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.manifest.ConfigManifestJson;
import dev.ipsec.operator.settings.ConfigTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The two manifests the operator writes next to a gateway's files ({@link ConfigManifest}), for
 * tests that feed the agent files of their own: the agent loads nothing that no manifest lists.
 * Files under {@code secrets.d/} and {@code private/} go into the root Secret's manifest ({@value
 * ConfigManifest#SECRET_FILE}), all others into the root ConfigMap's ({@value
 * ConfigManifest#PUBLIC_FILE}), as the renderer splits them.
 */
public final class TestManifests {

  private static final Set<String> SECRET_FOLDERS = Set.of("secrets.d", "private");

  private TestManifests() {}

  /** Whether a logical path ({@code secrets.d/peer.conf}) is one of the root Secret's files. */
  public static boolean isSecret(String logicalPath) {
    int slash = logicalPath.indexOf('/');
    return slash > 0 && SECRET_FOLDERS.contains(logicalPath.substring(0, slash));
  }

  /** {@code files} (logical path -> text) and both manifests listing them as {@code revision}. */
  public static Map<String, String> withManifests(String revision, Map<String, String> files) {
    Map<String, byte[]> bytes = new TreeMap<>();
    files.forEach((path, text) -> bytes.put(path, text.getBytes(StandardCharsets.UTF_8)));
    Map<String, String> all = new TreeMap<>(files);
    manifests(revision, bytes).forEach(all::put);
    return all;
  }

  /**
   * {@code files} (logical path -> content) and both manifests listing them as {@code revision}.
   */
  public static Map<String, byte[]> withManifestBytes(String revision, Map<String, byte[]> files) {
    Map<String, byte[]> all = new TreeMap<>(files);
    manifests(revision, files)
        .forEach((name, json) -> all.put(name, json.getBytes(StandardCharsets.UTF_8)));
    return all;
  }

  /**
   * Writes both manifests into {@code dir}, listing every file it holds now (nested, or flat as a
   * projected volume without items holds them) as {@code revision}.
   */
  public static void write(Path dir, String revision) {
    Map<String, byte[]> files = new TreeMap<>();
    try {
      collect(dir, "", files);
      for (Map.Entry<String, String> manifest : manifests(revision, files).entrySet()) {
        Files.writeString(dir.resolve(manifest.getKey()), manifest.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The complete revision the agent reads from {@code dir}; fails when it holds none. */
  public static VerifiedView verifiedView(Path dir) {
    try {
      VolumeCheck check = new ManifestVerifier(dir).check();
      if (!check.complete()) {
        throw new AssertionError(dir + " holds no complete revision: " + check.problem());
      }
      return check.view();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> manifests(String revision, Map<String, byte[]> files) {
    Map<String, byte[]> publicFiles = new TreeMap<>();
    Map<String, byte[]> secretFiles = new TreeMap<>();
    files.forEach(
        (path, content) -> (isSecret(path) ? secretFiles : publicFiles).put(path, content));
    return Map.of(
        ConfigManifest.PUBLIC_FILE,
        ConfigManifestJson.write(ConfigManifest.of(revision, publicFiles)),
        ConfigManifest.SECRET_FILE,
        ConfigManifestJson.write(ConfigManifest.of(revision, secretFiles)));
  }

  /** Every file under {@code folder} by logical path; dot-names and the manifests left out. */
  private static void collect(Path folder, String prefix, Map<String, byte[]> files)
      throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".")
            || prefix.isEmpty()
                && (name.equals(ConfigManifest.PUBLIC_FILE)
                    || name.equals(ConfigManifest.SECRET_FILE))) {
          continue;
        }
        if (Files.isDirectory(entry)) {
          collect(entry, prefix + name + "/", files);
        } else {
          String logical = prefix.isEmpty() ? ConfigTree.decode(name).orElse(name) : prefix + name;
          files.put(logical, Files.readAllBytes(entry));
        }
      }
    }
  }
}
