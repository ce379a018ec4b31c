package dev.ipsec.operator.volume;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The name of one revision of a gateway's configuration: a digest of the public files it loads,
 * strongswan.conf, the names of its secret files and the versions of the objects those secrets come
 * from. The same inputs always give the same revision, in the operator and offline ({@code render
 * --volume-dir}), so a restart of the operator writes nothing.
 */
public final class ConfigRevision {

  /** Hex digits of a revision. */
  static final int LENGTH = 16;

  private ConfigRevision() {}

  /**
   * @param publicFiles logical path -> content of every public file, swanctl.conf included
   * @param secretPaths logical paths of the secret files
   * @param referenceVersions {@code Kind/name} -> {@code uid@resourceVersion} of every Secret and
   *     ConfigMap the gateway's peers refer to
   */
  public static String of(
      SortedMap<String, String> publicFiles,
      Optional<String> strongswanConf,
      Collection<String> secretPaths,
      SortedMap<String, String> referenceVersions) {
    MessageDigest digest = sha256();
    publicFiles.forEach(
        (path, text) -> {
          digest.update(path.getBytes(StandardCharsets.UTF_8));
          digest.update((byte) 0);
          digest.update(text.getBytes(StandardCharsets.UTF_8));
          digest.update((byte) 0);
        });
    strongswanConf.ifPresent(s -> digest.update(s.getBytes(StandardCharsets.UTF_8)));
    // secret files are represented by their names and the versions of the Secrets they come from:
    // the revision stands in the root ConfigMap, and a digest over secret values there would let
    // anyone who reads ConfigMaps test guesses of a weak pre-shared key
    new TreeSet<>(secretPaths).forEach(p -> digest.update(p.getBytes(StandardCharsets.UTF_8)));
    referenceVersions.forEach(
        (k, v) -> digest.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(digest.digest()).substring(0, LENGTH);
  }

  /**
   * The revision of a shard's manifest: a digest of its listing (each path with the digest of its
   * content), so it changes exactly when a file of the shard does, and a shard whose files stay is
   * not rewritten when another one changes. A secret shard's stands only in Secrets, as its listing
   * does.
   *
   * @param digests logical path -> SHA-256 of every file of the shard
   */
  static String ofListing(SortedMap<String, String> digests) {
    MessageDigest digest = sha256();
    digests.forEach(
        (path, sha) -> digest.update((path + "\0" + sha + "\n").getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(digest.digest()).substring(0, LENGTH);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
