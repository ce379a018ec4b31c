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
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One revision's list of files, each with the SHA-256 of its content, by logical path ({@code
 * conf.d/site-b.conf}; a projected volume holds it flat as {@code conf.d..site-b.conf}).
 *
 * <p>A gateway's files come in two roots of the same revision, because a digest of a secret file
 * may not stand in a ConfigMap: anyone who can read ConfigMaps could test guesses of a weak
 * pre-shared key against it. {@link #PUBLIC_FILE} lives in the root ConfigMap and lists the public
 * files; {@link #SECRET_FILE} lives in the root Secret and lists the secret files. Both are
 * required sources of the pod's volume, and only the operator writes them.
 *
 * <p>The manifests form a tree of depth two, so that a root lists shards, not files, and stays
 * small however many peers a gateway has. A listed path in the folder {@value #NESTED_FOLDER} is a
 * nested manifest: each shard carries one for exactly its own files ({@link #shardManifestPath}:
 * {@code manifests/config-<i>.json} in config shard i, {@code manifests/secrets-<i>.json} in secret
 * shard i), and a root lists it with its digest like any file. A nested manifest has the same
 * format as a root (this schema); its revision names its own content, so a shard whose files did
 * not change keeps its bytes. The path says what a manifest is; no field does, so nothing in a
 * manifest can disagree with where it is listed. Rules that readers hold, with {@link #side} and
 * {@link #nestedSide}:
 *
 * <ul>
 *   <li>a nested manifest is listed by the root of its side (config shards' by {@link
 *       #PUBLIC_FILE}, secret shards' by {@link #SECRET_FILE}) and lists no {@value #NESTED_FOLDER}
 *       path itself;
 *   <li>a secret file ({@link #SECRET_FOLDERS}) is listed on the secret side only;
 *   <li>no path is listed twice, in one manifest or across all of them.
 * </ul>
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

  /** The folder of nested manifests: a listed path in it is a shard's manifest. */
  public static final String NESTED_FOLDER = "manifests";

  /**
   * The folders whose files are secrets: shared secrets and private keys (what the agent loads as
   * {@code load-shared} and {@code load-key}). Only the secret side lists them.
   */
  public static final Set<String> SECRET_FOLDERS =
      Set.of("secrets.d", "private", "rsa", "ecdsa", "pkcs8");

  /** Which root a file or a nested manifest belongs to. */
  public enum Side {
    /** The root ConfigMap's {@link #PUBLIC_FILE} and the config shards' manifests. */
    PUBLIC,
    /** The root Secret's {@link #SECRET_FILE} and the secret shards' manifests. */
    SECRET
  }

  private static final Pattern NESTED =
      Pattern.compile(NESTED_FOLDER + "/(config|secrets)-(0|[1-9][0-9]{0,3})\\.json");

  /** The most components a listed path has ({@code x509ca/site-b-ca-0.pem} has two). */
  private static final int MAX_COMPONENTS = 4;

  /** The longest component of a listed path. */
  private static final int MAX_COMPONENT_LENGTH = 253;

  private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9:._-]{1,128}");

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
      if (!isDigest(file.getValue())) {
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

  /**
   * The logical path of the manifest that shard {@code index} of {@code side} carries: {@code
   * manifests/config-<i>.json} or {@code manifests/secrets-<i>.json}.
   */
  public static String shardManifestPath(Side side, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("shard index " + index);
    }
    return NESTED_FOLDER + "/" + (side == Side.PUBLIC ? "config-" : "secrets-") + index + ".json";
  }

  /** Whether a listed path is in the folder of nested manifests. */
  public static boolean isNested(String path) {
    return path.startsWith(NESTED_FOLDER + "/");
  }

  /**
   * The side of the nested manifest at {@code path}; empty when the path is no shard manifest's
   * name.
   */
  public static Optional<Side> nestedSide(String path) {
    var m = NESTED.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(m.group(1).equals("config") ? Side.PUBLIC : Side.SECRET);
  }

  /** The side a file of the configuration belongs to: secret in {@link #SECRET_FOLDERS}. */
  public static Side side(String path) {
    int slash = path.indexOf('/');
    return slash > 0 && SECRET_FOLDERS.contains(path.substring(0, slash))
        ? Side.SECRET
        : Side.PUBLIC;
  }

  /** Whether {@code value} is 64 lowercase hex digits; a loop, as a shard lists thousands. */
  private static boolean isDigest(String value) {
    if (value == null || value.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = value.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Refuses a path that could name something outside the volume or collide with a flat name. A
   * listed path is relative, of one to {@value #MAX_COMPONENTS} components separated by {@code /},
   * each of 1 to {@value #MAX_COMPONENT_LENGTH} letters, digits and {@code . _ -}, none starting
   * with a dot (the kubelet's own names start with {@code ..}), and holds no {@code ..} anywhere
   * (in a flat volume {@code ..} in a name stands for {@code /}).
   */
  public static void checkPath(String path) {
    if (!isListablePath(path)) {
      throw new IllegalArgumentException("manifest lists a path that is not a file name: " + path);
    }
  }

  /**
   * Whether {@code path} is what {@link #checkPath} accepts; a loop rather than a regular
   * expression, as the agent checks every path of a shard's manifest whenever it changes.
   */
  static boolean isListablePath(String path) {
    if (path == null || path.isEmpty()) {
      return false;
    }
    int components = 1;
    int componentLength = 0;
    char previous = '/';
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '/') {
        if (componentLength == 0 || ++components > MAX_COMPONENTS) {
          return false;
        }
        componentLength = 0;
      } else if (!isNameChar(c)
          || (c == '.' && (componentLength == 0 || previous == '.'))
          || ++componentLength > MAX_COMPONENT_LENGTH) {
        return false;
      }
      previous = c;
    }
    return componentLength > 0;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-';
  }

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
