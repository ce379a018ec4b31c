package dev.ipsec.operator.volume;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.manifest.ConfigManifestJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The manifest every shard carries of exactly its own files ({@link
 * ConfigManifest#shardManifestPath}), and the room it takes there. A root manifest lists these, not
 * the files, so the roots grow with the shard count (at most {@link ConfigShards#MAX_SHARDS} lines
 * each) and never with the peers.
 *
 * <p>A shard manifest's revision is a digest of its listing ({@link ConfigRevision#ofListing}): a
 * shard whose files did not change has the same bytes, manifest included, and is not written again
 * when a peer of another shard changes.
 */
final class ShardManifests {

  /**
   * What a file adds to a manifest besides its path: indentation, quotes, the separator, the
   * 64-digit digest, comma and newline (77 bytes as written, a few more for safety). An upper
   * bound, so that a shard planned to fit does fit.
   */
  static final int LINE_OVERHEAD = 80;

  private static final int PUBLIC_OVERHEAD = computeOverhead(ConfigManifest.Side.PUBLIC);
  private static final int SECRET_OVERHEAD = computeOverhead(ConfigManifest.Side.SECRET);

  private ShardManifests() {}

  /**
   * Shards with their manifests added; those manifests by logical path, and the SHA-256 of each as
   * the shard stores it (what a root lists).
   */
  record Added<V>(
      List<ConfigShards.Shard<V>> shards,
      SortedMap<String, ConfigManifest> manifests,
      SortedMap<String, String> digests) {}

  /**
   * Adds to each shard the manifest of its files.
   *
   * @param digests logical path -> SHA-256 of every file
   * @param encode a manifest's JSON as the shard stores it
   */
  static <V> Added<V> add(
      List<ConfigShards.Shard<V>> shards,
      ConfigManifest.Side side,
      Map<String, String> digests,
      Function<String, V> encode) {
    List<ConfigShards.Shard<V>> withManifests = new ArrayList<>();
    SortedMap<String, ConfigManifest> manifests = new TreeMap<>();
    SortedMap<String, String> manifestDigests = new TreeMap<>();
    for (ConfigShards.Shard<V> shard : shards) {
      SortedMap<String, String> listing = new TreeMap<>();
      for (String key : shard.data().keySet()) {
        String path = ConfigShards.path(key);
        listing.put(path, digests.get(path));
      }
      ConfigManifest manifest =
          new ConfigManifest(
              ConfigManifest.SCHEMA_VERSION, ConfigRevision.ofListing(listing), listing);
      String path = ConfigManifest.shardManifestPath(side, shard.index());
      manifests.put(path, manifest);
      String json = ConfigManifestJson.write(manifest);
      manifestDigests.put(path, ConfigManifest.sha256(json.getBytes(StandardCharsets.UTF_8)));
      SortedMap<String, V> data = new TreeMap<>(shard.data());
      data.put(ConfigShards.key(path), encode.apply(json));
      withManifests.add(new ConfigShards.Shard<>(shard.index(), data));
    }
    return new Added<>(withManifests, manifests, manifestDigests);
  }

  /**
   * What a shard's manifest takes in the shard besides its files' lines, at most: its key (of the
   * highest index) and the manifest of a single one-letter file. A peer's lines are counted with
   * the peer ({@link #listingBytes}).
   */
  static int overhead(ConfigManifest.Side side) {
    return side == ConfigManifest.Side.PUBLIC ? PUBLIC_OVERHEAD : SECRET_OVERHEAD;
  }

  private static int computeOverhead(ConfigManifest.Side side) {
    String key =
        ConfigShards.key(ConfigManifest.shardManifestPath(side, ConfigShards.MAX_SHARDS - 1));
    String header =
        ConfigManifestJson.write(
            new ConfigManifest(
                ConfigManifest.SCHEMA_VERSION,
                "0".repeat(ConfigRevision.LENGTH),
                new TreeMap<>(Map.of("a", "0".repeat(64)))));
    return key.length()
        + (side == ConfigManifest.Side.SECRET
            ? ConfigShards.base64Size(header.length())
            : header.length());
  }

  /**
   * What the lines of {@code paths} take in a shard's manifest, at most; base64-encoded on the
   * secret side (a sum of encoded parts is never less than the encoded whole).
   */
  static long listingBytes(Iterable<String> paths, ConfigManifest.Side side) {
    long bytes = 0;
    for (String path : paths) {
      bytes += path.length() + LINE_OVERHEAD;
    }
    return side == ConfigManifest.Side.SECRET ? ConfigShards.base64Size((int) bytes) : bytes;
  }
}
