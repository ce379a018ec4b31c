package dev.ipsec.operator.volume;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a gateway's rendered files into shards so that no ConfigMap or Secret exceeds the size
 * limit, deterministically: a file goes to the shard of its peer, chosen by a stable hash (SHA-256)
 * of the peer's connection name modulo the shard count. Editing a peer therefore rewrites its shard
 * only. The count is a power of two that never shrinks below the current one (growing it moves
 * files, so it grows only when a shard would overflow), up to {@link #MAX_SHARDS}.
 *
 * <p>Doubling the count splits every shard in two, so a shard never holds more at a higher count:
 * if the files overflow at {@link #MAX_SHARDS}, no count helps, and {@link ConfigVolumePlanner}
 * leaves peers out before the files are assigned.
 *
 * <p>The pod template projects all {@link #MAX_SHARDS} possible shards of each kind as optional
 * sources without {@code items}, so it depends on neither the peers nor the count in use: how many
 * shards exist is a detail of the ConfigMaps and Secrets, never of the Deployment.
 *
 * <p>ConfigMap and Secret keys cannot hold {@code /}: paths are encoded with {@link #key(String)},
 * and without {@code items} the kubelet projects each key as a file of that name; the agent reads
 * {@code conf.d..peer.conf} as {@code conf.d/peer.conf}.
 */
public final class ConfigShards {

  /** Path separator inside keys: {@code ..} never occurs in a rendered path. */
  static final String SEPARATOR = "..";

  /**
   * The ceiling of shards per kind: 32 x 900 KiB, about 28 MiB of configuration and as much of
   * secrets. Raising the ceiling changes every gateway's pod template (one rollout). The list of
   * files in the root objects (the manifests) usually binds first: see {@link ConfigVolumePlanner}.
   */
  public static final int MAX_SHARDS = 32;

  /**
   * A rendered file's folder says how its name derives from its connection's ({@link
   * dev.ipsec.operator.render.CredentialNames}): {@code conf.d/<c>.conf}, {@code
   * secrets.d/<c>.conf}, {@code x509/<c>.pem} and {@code private/<c>.pem} carry the name as it is,
   * {@code x509ca/<c>-ca-<n>.pem} and {@code pubkey/<c>-local.pem}, {@code pubkey/<c>-remote.pem}
   * add a suffix. By folder, so that peers {@code a} and {@code a-local} never claim each other's
   * files.
   */
  private static final Pattern OWNED_FILE =
      Pattern.compile(
          "^(?:(?:conf\\.d|secrets\\.d)/(?<conf>.+)\\.conf"
              + "|(?:x509|private)/(?<pem>.+)\\.pem"
              + "|x509ca/(?<ca>.+)-ca-\\d+\\.pem"
              + "|pubkey/(?<key>.+)-(?:local|remote)\\.pem)$");

  private ConfigShards() {}

  /** One shard: its index and the files (encoded key -> content) it holds. */
  public record Shard<V>(int index, SortedMap<String, V> data) {}

  /**
   * The ConfigMap or Secret key of a rendered path. Refused: a path with {@code ..}, or with a
   * component that starts or ends with a dot, since its key would not decode back to it (and keys
   * starting with {@code ..} are the kubelet's).
   */
  public static String key(String path) {
    for (String component : path.split("/", -1)) {
      if (component.isEmpty() || component.startsWith(".") || component.endsWith(".")) {
        throw new IllegalArgumentException("path cannot be encoded as a key: " + path);
      }
    }
    if (path.contains(SEPARATOR)) {
      throw new IllegalArgumentException("path cannot be encoded as a key: " + path);
    }
    return path.replace("/", SEPARATOR);
  }

  public static String path(String key) {
    return key.replace(SEPARATOR, "/");
  }

  /**
   * Splits {@code files} at the count {@link #count} chooses. At {@link #MAX_SHARDS} a shard may
   * still exceed {@code maxBytes}; callers that write shards leave peers out first.
   *
   * @param files path -> content
   * @param connections the connection names, to find the peer that owns a file
   * @param currentCount shards that exist now (0 when none)
   * @param maxBytes the size one shard may reach
   * @param size bytes one entry takes in the object
   */
  public static <V> List<Shard<V>> split(
      SortedMap<String, V> files,
      Set<String> connections,
      int currentCount,
      int maxBytes,
      ToIntFunction<V> size) {
    Map<String, Long> bytes = new HashMap<>();
    files.forEach(
        (path, content) ->
            bytes.merge(
                owner(path, connections), entryBytes(path, size.applyAsInt(content)), Long::sum));
    return assign(files, connections, count(bytes, currentCount, maxBytes));
  }

  /**
   * The shard count for owners of these sizes: the current count rounded up to a power of two (at
   * least 1), doubled while a shard would pass {@code maxBytes}, at most {@link #MAX_SHARDS}.
   *
   * @param bytesByOwner what each owner's files take in a shard ({@link #entryBytes})
   */
  public static int count(Map<String, Long> bytesByOwner, int currentCount, int maxBytes) {
    int count = Math.max(1, Integer.highestOneBit(Math.max(1, Math.min(currentCount, MAX_SHARDS))));
    if (count < currentCount && count < MAX_SHARDS) {
      count <<= 1;
    }
    while (count < MAX_SHARDS && fullest(loads(bytesByOwner, count)) > maxBytes) {
      count <<= 1;
    }
    return count;
  }

  /** Bytes each of {@code count} shards would hold. */
  public static long[] loads(Map<String, Long> bytesByOwner, int count) {
    long[] loads = new long[count];
    bytesByOwner.forEach((owner, bytes) -> loads[shardOf(owner, count)] += bytes);
    return loads;
  }

  /** The non-empty shards of {@code files} at {@code count}, by index. */
  public static <V> List<Shard<V>> assign(
      SortedMap<String, V> files, Set<String> connections, int count) {
    List<SortedMap<String, V>> shards = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      shards.add(new TreeMap<>());
    }
    files.forEach(
        (path, content) ->
            shards.get(shardOf(owner(path, connections), count)).put(key(path), content));
    List<Shard<V>> result = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (!shards.get(i).isEmpty()) {
        result.add(new Shard<>(i, Collections.unmodifiableSortedMap(shards.get(i))));
      }
    }
    return result;
  }

  /** What one file takes in a shard: its key and its content as the object stores it. */
  public static long entryBytes(String path, int contentBytes) {
    return key(path).length() + (long) contentBytes;
  }

  private static long fullest(long[] loads) {
    long fullest = 0;
    for (long load : loads) {
      fullest = Math.max(fullest, load);
    }
    return fullest;
  }

  /**
   * The connection a file belongs to, or the file itself when it belongs to none. Which files are a
   * peer's is decided here alone: for the shard a file goes to, and for the files of a peer that
   * the operator reads back from its shards to keep them running ({@code LastKnownGood}).
   */
  public static String owner(String path, Set<String> connections) {
    Matcher m = OWNED_FILE.matcher(path);
    if (m.matches()) {
      for (String group : List.of("conf", "pem", "ca", "key")) {
        String name = m.group(group);
        if (name != null && connections.contains(name)) {
          return name;
        }
      }
    }
    return path;
  }

  /**
   * The shard of a peer: the first four bytes of the SHA-256 of its name, modulo the count. A
   * cryptographic hash because similar names (peer-1, peer-2, ...) must spread evenly, which a
   * linear checksum such as CRC32 does not do over the low bits a power-of-two count keeps.
   */
  public static int shardOf(String owner, int count) {
    byte[] d = sha256().digest(owner.getBytes(StandardCharsets.UTF_8));
    long value =
        ((d[0] & 0xffL) << 24) | ((d[1] & 0xffL) << 16) | ((d[2] & 0xffL) << 8) | (d[3] & 0xffL);
    return (int) (value % count);
  }

  public static int textSize(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Secret data travels base64-encoded. */
  public static int secretSize(byte[] b) {
    return base64Size(b.length);
  }

  static int base64Size(int bytes) {
    return 4 * ((bytes + 2) / 3);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
