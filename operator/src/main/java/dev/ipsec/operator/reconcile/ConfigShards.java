package dev.ipsec.operator.reconcile;

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
 * limit, deterministically: a file goes to the shard of its peer, chosen by a stable hash (SHA-256) of the
 * peer's connection name modulo the shard count. Editing a peer therefore rewrites its shard
 * only. The count is a power of two that never shrinks below the current one (growing it moves
 * files, so it grows only when a shard would overflow).
 *
 * <p>ConfigMap and Secret keys cannot hold {@code /}: paths are encoded with {@link #key(String)}.
 */
public final class ConfigShards {

  /** Path separator inside keys: {@code ..} never occurs in a rendered path. */
  static final String SEPARATOR = "..";

  private static final Pattern OWNED_FILE = Pattern.compile(
      "^[a-z0-9.]+/(.+?)(-ca-\\d+|-local|-remote)?\\.(conf|pem)$");

  private ConfigShards() {}

  /** One shard: its index and the files (encoded key -> content) it holds. */
  public record Shard<V>(int index, SortedMap<String, V> data) {}

  public static String key(String path) {
    if (path.contains(SEPARATOR) || path.startsWith(".")) {
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
   */
  public static <V> List<Shard<V>> split(SortedMap<String, V> files, Set<String> connections,
      int currentCount, int maxBytes, ToIntFunction<V> size) {
    if (files.isEmpty()) {
      return List.of();
    }
    int count = Math.max(1, Integer.highestOneBit(Math.max(1, currentCount)));
    if (count < currentCount) {
      count <<= 1;
    }
    while (true) {
      List<SortedMap<String, V>> shards = new ArrayList<>();
      long[] bytes = new long[count];
      for (int i = 0; i < count; i++) {
        shards.add(new TreeMap<>());
      }
      boolean fits = true;
      for (Map.Entry<String, V> file : files.entrySet()) {
        int shard = shardOf(owner(file.getKey(), connections), count);
        String key = key(file.getKey());
        shards.get(shard).put(key, file.getValue());
        bytes[shard] += key.length() + size.applyAsInt(file.getValue());
        if (bytes[shard] > maxBytes) {
          fits = false;
        }
      }
      if (fits || count >= 1 << 16) {
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
    long value = ((d[0] & 0xffL) << 24) | ((d[1] & 0xffL) << 16) | ((d[2] & 0xffL) << 8) | (d[3] & 0xffL);
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
