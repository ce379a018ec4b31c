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
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * The manifests the operator writes next to a gateway's files ({@link ConfigManifest}), for tests
 * that feed the agent files of their own: the agent loads nothing that no manifest lists.
 *
 * <p>One rule, the operator's layout: the root manifests list {@code swanctl.conf} (the root
 * ConfigMap's file) and every shard's manifest ({@value ConfigManifest#PUBLIC_FILE} the config
 * shards', {@value ConfigManifest#SECRET_FILE} the secret shards'), and each shard's manifest
 * ({@code manifests/config-<i>.json}, {@code manifests/secrets-<i>.json}) lists that shard's files.
 * Secret files ({@link ConfigManifest#side}) are on the secret side, all others on the public side,
 * as the renderer splits them; every file is in shard 0 unless the test says otherwise, and a side
 * without files has no shard manifest.
 */
public final class TestManifests {

  private static final String ROOT_FILE = "swanctl.conf";

  private TestManifests() {}

  /** Whether a logical path ({@code secrets.d/peer.conf}) is one of the secret side's files. */
  public static boolean isSecret(String logicalPath) {
    return ConfigManifest.side(logicalPath) == ConfigManifest.Side.SECRET;
  }

  /** {@code files} (logical path -> text) and the manifests listing them as {@code revision}. */
  public static Map<String, String> withManifests(String revision, Map<String, String> files) {
    return withManifests(revision, files, path -> 0);
  }

  /**
   * {@code files} (logical path -> text) and the manifests listing them as {@code revision}, each
   * file in the shard {@code shardOf} names.
   */
  public static Map<String, String> withManifests(
      String revision, Map<String, String> files, ToIntFunction<String> shardOf) {
    Map<String, byte[]> bytes = new TreeMap<>();
    files.forEach((path, text) -> bytes.put(path, text.getBytes(StandardCharsets.UTF_8)));
    Map<String, String> all = new TreeMap<>(files);
    manifests(revision, bytes, shardOf).forEach(all::put);
    return all;
  }

  /** {@code files} (logical path -> content) and the manifests listing them as {@code revision}. */
  public static Map<String, byte[]> withManifestBytes(String revision, Map<String, byte[]> files) {
    Map<String, byte[]> all = new TreeMap<>(files);
    manifests(revision, files, path -> 0)
        .forEach((name, json) -> all.put(name, json.getBytes(StandardCharsets.UTF_8)));
    return all;
  }

  /**
   * Writes the manifests into {@code dir}, listing every file it holds now (nested, or flat as a
   * projected volume without items holds them) as {@code revision}: the roots at its root, the
   * shards' manifests in its folder {@value ConfigManifest#NESTED_FOLDER}, replacing any written
   * before.
   */
  public static void write(Path dir, String revision) {
    Map<String, byte[]> files = new TreeMap<>();
    try {
      collect(dir, "", files);
      deleteNestedManifests(dir);
      for (Map.Entry<String, String> manifest : manifests(revision, files, path -> 0).entrySet()) {
        Path file = dir.resolve(manifest.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, manifest.getValue());
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

  /**
   * Every path one side's manifests list, from a volume by flat name ({@code conf.d..x.conf}, as
   * the kubelet projects it): the root's entries and those of each shard manifest it lists, which
   * must be there with the listed digest. The shards' manifests are listed too, with the root's
   * revision: {@link ConfigManifest#matches} holds for every listed path of a complete volume.
   */
  public static ConfigManifest listing(Map<String, byte[]> flatVolume, ConfigManifest.Side side) {
    String rootFile =
        side == ConfigManifest.Side.PUBLIC
            ? ConfigManifest.PUBLIC_FILE
            : ConfigManifest.SECRET_FILE;
    byte[] rootJson = flatVolume.get(rootFile);
    if (rootJson == null) {
      throw new AssertionError("the volume holds no " + rootFile);
    }
    ConfigManifest root = ConfigManifestJson.read(rootJson);
    SortedMap<String, String> files = new TreeMap<>(root.files());
    for (String path : root.files().keySet()) {
      if (!ConfigManifest.isNested(path)) {
        continue;
      }
      byte[] json = flatVolume.get(path.replace("/", ConfigTree.SEPARATOR));
      if (json == null || !root.matches(path, json)) {
        throw new AssertionError(path + " is not in the volume as " + rootFile + " lists it");
      }
      ConfigManifestJson.read(json)
          .files()
          .forEach(
              (file, digest) -> {
                if (files.put(file, digest) != null) {
                  throw new AssertionError(file + " is listed twice");
                }
              });
    }
    return new ConfigManifest(ConfigManifest.SCHEMA_VERSION, root.revision(), files);
  }

  private static Map<String, String> manifests(
      String revision, Map<String, byte[]> files, ToIntFunction<String> shardOf) {
    Map<String, SortedMap<String, byte[]>> shards = new TreeMap<>();
    SortedMap<String, String> publicRoot = new TreeMap<>();
    SortedMap<String, String> secretRoot = new TreeMap<>();
    files.forEach(
        (path, content) -> {
          if (path.equals(ROOT_FILE)) {
            publicRoot.put(path, ConfigManifest.sha256(content));
          } else {
            shards
                .computeIfAbsent(
                    ConfigManifest.shardManifestPath(
                        ConfigManifest.side(path), shardOf.applyAsInt(path)),
                    p -> new TreeMap<>())
                .put(path, content);
          }
        });
    Map<String, String> manifests = new TreeMap<>();
    shards.forEach(
        (manifestPath, shardFiles) -> {
          // a shard manifest's revision names its own content, as the operator's does
          String json =
              ConfigManifestJson.write(ConfigManifest.of(contentRevision(shardFiles), shardFiles));
          manifests.put(manifestPath, json);
          String digest = ConfigManifest.sha256(json.getBytes(StandardCharsets.UTF_8));
          (ConfigManifest.nestedSide(manifestPath).orElseThrow() == ConfigManifest.Side.PUBLIC
                  ? publicRoot
                  : secretRoot)
              .put(manifestPath, digest);
        });
    manifests.put(
        ConfigManifest.PUBLIC_FILE,
        ConfigManifestJson.write(
            new ConfigManifest(ConfigManifest.SCHEMA_VERSION, revision, publicRoot)));
    manifests.put(
        ConfigManifest.SECRET_FILE,
        ConfigManifestJson.write(
            new ConfigManifest(ConfigManifest.SCHEMA_VERSION, revision, secretRoot)));
    return manifests;
  }

  private static String contentRevision(SortedMap<String, byte[]> files) {
    StringBuilder listing = new StringBuilder();
    files.forEach((path, content) -> listing.append(path).append(ConfigManifest.sha256(content)));
    return ConfigManifest.sha256(listing.toString().getBytes(StandardCharsets.UTF_8))
        .substring(0, 16);
  }

  /** Every file under {@code folder} by logical path; dot-names and manifests left out. */
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
          if (!ConfigManifest.isNested(logical)) {
            files.put(logical, Files.readAllBytes(entry));
          }
        }
      }
    }
  }

  /** The shards' manifests a previous {@link #write} left, nested or flat. */
  private static void deleteNestedManifests(Path dir) throws IOException {
    Path folder = dir.resolve(ConfigManifest.NESTED_FOLDER);
    if (Files.isDirectory(folder)) {
      try (Stream<Path> entries = Files.list(folder)) {
        for (Path entry : entries.toList()) {
          Files.delete(entry);
        }
      }
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        if (entry
            .getFileName()
            .toString()
            .startsWith(ConfigManifest.NESTED_FOLDER + ConfigTree.SEPARATOR)) {
          Files.delete(entry);
        }
      }
    }
  }
}
