package dev.ipsec.operator.volume;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.render.RenderedGateway;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * One peer's rendered files and the room they take in a ConfigMap shard and in a Secret shard: the
 * files and their lines in that shard's manifest ({@link ShardManifests}). Files that belong to no
 * connection (none today) form an owner of their own, named by their path.
 */
final class PeerFiles {

  final String owner;
  final SortedMap<String, String> config;
  final SortedMap<String, byte[]> secrets;

  /** What the public files take in a ConfigMap shard, their lines in its manifest included. */
  final long configBytes;

  /** What the secret files take in a Secret shard, base64, their manifest lines included. */
  final long secretBytes;

  private PeerFiles(
      String owner, SortedMap<String, String> config, SortedMap<String, byte[]> secrets) {
    this.owner = owner;
    this.config = Collections.unmodifiableSortedMap(config);
    this.secrets = Collections.unmodifiableSortedMap(secrets);
    this.configBytes = shardBytes(config, ConfigShards::textSize, ConfigManifest.Side.PUBLIC);
    this.secretBytes = shardBytes(secrets, ConfigShards::secretSize, ConfigManifest.Side.SECRET);
  }

  /** What {@code files} take in a shard of {@code side}: their entries and their manifest lines. */
  private static <T> long shardBytes(
      SortedMap<String, T> files, ToIntFunction<T> size, ConfigManifest.Side side) {
    return files.entrySet().stream()
            .mapToLong(e -> ConfigShards.entryBytes(e.getKey(), size.applyAsInt(e.getValue())))
            .sum()
        + ShardManifests.listingBytes(files.keySet(), side);
  }

  /** Every peer's files, by owner; {@code rootFiles} (swanctl.conf) belong to no peer. */
  static SortedMap<String, PeerFiles> of(RenderedGateway rendered, Set<String> rootFiles) {
    Set<String> connections = rendered.connections().keySet();
    SortedMap<String, SortedMap<String, String>> config = new TreeMap<>();
    SortedMap<String, SortedMap<String, byte[]>> secrets = new TreeMap<>();
    rendered.configFiles().entrySet().stream()
        .filter(e -> !rootFiles.contains(e.getKey()))
        .forEach(
            e ->
                config
                    .computeIfAbsent(
                        ConfigShards.owner(e.getKey(), connections), o -> new TreeMap<>())
                    .put(e.getKey(), e.getValue()));
    rendered
        .secretFiles()
        .forEach(
            (path, content) ->
                secrets
                    .computeIfAbsent(ConfigShards.owner(path, connections), o -> new TreeMap<>())
                    .put(path, content));
    SortedMap<String, PeerFiles> peers = new TreeMap<>();
    for (String owner : union(config, secrets)) {
      peers.put(
          owner,
          new PeerFiles(
              owner,
              config.getOrDefault(owner, new TreeMap<>()),
              secrets.getOrDefault(owner, new TreeMap<>())));
    }
    return peers;
  }

  /** A peer's files as a volume holds them (its previous rendering). */
  static PeerFiles of(String owner, PeerRendering rendering) {
    return new PeerFiles(
        owner, new TreeMap<>(rendering.config()), new TreeMap<>(rendering.secrets()));
  }

  PeerRendering rendering() {
    return new PeerRendering(config, secrets);
  }

  private static Set<String> union(Map<String, ?> a, Map<String, ?> b) {
    Set<String> all = new TreeSet<>(a.keySet());
    all.addAll(b.keySet());
    return all;
  }
}
