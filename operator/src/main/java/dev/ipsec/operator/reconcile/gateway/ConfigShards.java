package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.reconcile.ownership.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
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
   * secrets. A PSK peer renders to about 740 bytes of configuration, so 2,000 peers take 2 shards
   * (the fullest at 719 KiB, ScaleBenchmark) and the ceiling is reached at roughly 30,000; an x509
   * peer adds its certificates (a few KiB), which still leaves room for about 10,000. Raising the
   * ceiling changes every gateway's pod template (one rollout).
   */
  public static final int MAX_SHARDS = 32;

  private static final Pattern OWNED_FILE =
      Pattern.compile("^[a-z0-9.]+/(.+?)(-ca-\\d+|-local|-remote)?\\.(conf|pem)$");

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
   * @param files path -> content
   * @param connections the connection names, to find the peer that owns a file
   * @param currentCount shards that exist now (0 when none)
   * @param maxBytes the size one shard may reach
   * @param size bytes one entry takes in the object
   * @throws TooLargeException when {@link #MAX_SHARDS} shards cannot hold the files
   */
  public static <V> List<Shard<V>> split(
      SortedMap<String, V> files,
      Set<String> connections,
      int currentCount,
      int maxBytes,
      ToIntFunction<V> size) {
    if (files.isEmpty()) {
      return List.of();
    }
    int count = Math.max(1, Integer.highestOneBit(Math.max(1, Math.min(currentCount, MAX_SHARDS))));
    if (count < currentCount && count < MAX_SHARDS) {
      count <<= 1;
    }
    while (true) {
      List<SortedMap<String, V>> shards = new ArrayList<>();
      long[] bytes = new long[count];
      for (int i = 0; i < count; i++) {
        shards.add(new TreeMap<>());
      }
      int fullest = 0;
      for (Map.Entry<String, V> file : files.entrySet()) {
        int shard = shardOf(owner(file.getKey(), connections), count);
        String key = key(file.getKey());
        shards.get(shard).put(key, file.getValue());
        bytes[shard] += key.length() + size.applyAsInt(file.getValue());
        if (bytes[shard] > bytes[fullest]) {
          fullest = shard;
        }
      }
      boolean fits = bytes[fullest] <= maxBytes;
      if (!fits && count >= MAX_SHARDS) {
        throw new TooLargeException(count, fullest, bytes[fullest], maxBytes);
      }
      if (fits) {
        List<Shard<V>> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          if (!shards.get(i).isEmpty()) {
            result.add(new Shard<>(i, Collections.unmodifiableSortedMap(shards.get(i))));
          }
        }
        return result;
      }
      count <<= 1;
    }
  }

  /** The files do not fit into {@link #MAX_SHARDS} shards of the allowed size. */
  public static final class TooLargeException extends RuntimeException {
    TooLargeException(int count, int fullest, long bytes, int maxBytes) {
      super(
          "the rendered configuration does not fit into "
              + count
              + " shards: shard "
              + fullest
              + " would hold "
              + bytes
              + " bytes, more than the limit of "
              + maxBytes
              + "; split the peers over more gateways");
    }
  }

  /** The connection a file belongs to, or the file itself when it belongs to none. */
  static String owner(String path, Set<String> connections) {
    Matcher m = OWNED_FILE.matcher(path);
    if (m.matches()) {
      String base = m.group(1);
      if (connections.contains(base)) {
        return base;
      }
      String whole = base + (m.group(2) == null ? "" : m.group(2));
      if (connections.contains(whole)) {
        return whole;
      }
    }
    return path;
  }

  /**
   * The shard of a peer: the first four bytes of the SHA-256 of its name, modulo the count. A
   * cryptographic hash because similar names (peer-1, peer-2, ...) must spread evenly, which a
   * linear checksum such as CRC32 does not do over the low bits a power-of-two count keeps.
   */
  static int shardOf(String owner, int count) {
    byte[] d = Hashing.digest().digest(owner.getBytes(StandardCharsets.UTF_8));
    long value =
        ((d[0] & 0xffL) << 24) | ((d[1] & 0xffL) << 16) | ((d[2] & 0xffL) << 8) | (d[3] & 0xffL);
    return (int) (value % count);
  }

  public static int textSize(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Secret data travels base64-encoded. */
  public static int secretSize(byte[] b) {
    return 4 * ((b.length + 2) / 3);
  }
}
