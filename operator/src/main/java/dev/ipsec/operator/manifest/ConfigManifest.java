package dev.ipsec.operator.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One revision's list of files, each with the SHA-256 of its content, by logical path ({@code
 * conf.d/site-b.conf}; a projected volume holds it flat as {@code conf.d..site-b.conf}).
 *
 * <p>A gateway's files come in two manifests of the same revision, because a digest of a secret
 * file may not stand in a ConfigMap: anyone who can read ConfigMaps could test guesses of a weak
 * pre-shared key against it. {@link #PUBLIC_FILE} lives in the root ConfigMap and lists the public
 * files; {@link #SECRET_FILE} lives in the root Secret and lists the secret files. Both are
 * required sources of the pod's volume, and only the operator writes them.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}; a reader refuses any other
 * @param revision the configuration revision these files make up
 * @param files logical path -> lowercase hex SHA-256 of the content
 */
public record ConfigManifest(int schemaVersion, String revision, SortedMap<String, String> files) {

  public static final int SCHEMA_VERSION = 1;

  /** The key of the manifest of public files in the root ConfigMap (and its file name). */
  public static final String PUBLIC_FILE = "manifest.json";

  /** The key of the manifest of secret files in the root Secret (and its file name). */
  public static final String SECRET_FILE = "secrets-manifest.json";

  /**
   * What a listed path may look like: relative, components of letters, digits, {@code . _ -}, none
   * of them starting with a dot (the kubelet's own names start with {@code ..}, and {@code ..} in a
   * name stands for {@code /} in a flat volume).
   */
  private static final Pattern PATH =
      Pattern.compile(
          "[A-Za-z0-9_-][A-Za-z0-9._-]{0,252}(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,252}){0,3}");

  private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9:._-]{1,128}");
  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

  @JsonCreator
  public ConfigManifest(
      @JsonProperty(value = "schemaVersion", required = true) int schemaVersion,
      @JsonProperty(value = "revision", required = true) String revision,
      @JsonProperty(value = "files", required = true) SortedMap<String, String> files) {
    if (schemaVersion != SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          "manifest schema " + schemaVersion + ", this program understands " + SCHEMA_VERSION);
    }
    if (revision == null || !REVISION.matcher(revision).matches()) {
      throw new IllegalArgumentException("manifest revision is not a revision: " + revision);
    }
    Objects.requireNonNull(files, "files");
    for (Map.Entry<String, String> file : files.entrySet()) {
      checkPath(file.getKey());
      if (file.getValue() == null || !DIGEST.matcher(file.getValue()).matches()) {
        throw new IllegalArgumentException(
            "manifest digest of " + file.getKey() + " is not a lowercase hex SHA-256");
      }
    }
    this.schemaVersion = schemaVersion;
    this.revision = revision;
    this.files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }

  /** The manifest of {@code files} (logical path -> content) for {@code revision}. */
  public static ConfigManifest of(String revision, Map<String, byte[]> files) {
    SortedMap<String, String> digests = new TreeMap<>();
    files.forEach((path, content) -> digests.put(path, sha256(content)));
    return new ConfigManifest(SCHEMA_VERSION, revision, digests);
  }

  /** The same for text files, as UTF-8 (how ConfigMap data is projected). */
  public static ConfigManifest ofText(String revision, Map<String, String> files) {
    SortedMap<String, String> digests = new TreeMap<>();
    files.forEach(
        (path, content) -> digests.put(path, sha256(content.getBytes(StandardCharsets.UTF_8))));
    return new ConfigManifest(SCHEMA_VERSION, revision, digests);
  }

  /** True if {@code content} is what this manifest lists for {@code path}. */
  public boolean matches(String path, byte[] content) {
    String expected = files.get(path);
    return expected != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            sha256(content).getBytes(StandardCharsets.US_ASCII));
  }

  /** Refuses a path that could name something outside the volume or collide with a flat name. */
  public static void checkPath(String path) {
    if (path == null || !PATH.matcher(path).matches() || path.contains("..")) {
      throw new IllegalArgumentException("manifest lists a path that is not a file name: " + path);
    }
  }

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
