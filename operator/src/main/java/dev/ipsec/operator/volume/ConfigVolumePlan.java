package dev.ipsec.operator.volume;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.render.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one gateway's configuration volume consists of, as data: the root ConfigMap's and root
 * Secret's keys, the shards, the manifests that list every file of the revision (a tree of depth
 * two: the roots list the shards' manifests), and the peers that were left out. The operator turns
 * it into objects; {@code render --volume-dir} into files. Equal inputs give an equal plan, byte
 * for byte.
 *
 * @param publicManifest the root ConfigMap's manifest: swanctl.conf and every config shard's
 *     manifest
 * @param secretManifest the root Secret's manifest: every secret shard's manifest
 * @param shardManifests every shard's manifest of its own files, by logical path ({@link
 *     ConfigManifest#shardManifestPath})
 * @param rootConfigMap {@value #SWANCTL_CONF} and {@link ConfigManifest#PUBLIC_FILE}: written last,
 *     its manifest is the commit point of a revision
 * @param rootSecret {@link ConfigManifest#SECRET_FILE}: digests of secret files never stand in a
 *     ConfigMap
 * @param configShards public files by shard with the shard's manifest, keys encoded ({@link
 *     ConfigShards#key})
 * @param secretShards secret files by shard with the shard's manifest, keys encoded
 * @param placedConnections the connections whose files are in the volume, as rendered now or kept
 * @param carriedConnections the placed connections whose files are a previous rendering ({@link
 *     PreviousRenderings}): their spec does not render now, or their new files did not fit
 * @param leftOut peers that render but whose new files were left out, with the reason ({@link
 *     PlacementErrors}); a peer among them may still run its previous files ({@code
 *     carriedConnections})
 */
public record ConfigVolumePlan(
    String revision,
    ConfigManifest publicManifest,
    ConfigManifest secretManifest,
    SortedMap<String, ConfigManifest> shardManifests,
    SortedMap<String, String> rootConfigMap,
    SortedMap<String, byte[]> rootSecret,
    List<ConfigShards.Shard<String>> configShards,
    List<ConfigShards.Shard<byte[]>> secretShards,
    SortedSet<String> placedConnections,
    SortedSet<String> carriedConnections,
    SortedMap<String, FieldError> leftOut) {

  /** The root of the swanctl directory: only includes, so it never changes with the peers. */
  public static final String SWANCTL_CONF = "swanctl.conf";

  public ConfigVolumePlan {
    shardManifests = Collections.unmodifiableSortedMap(new TreeMap<>(shardManifests));
    rootConfigMap = Collections.unmodifiableSortedMap(new TreeMap<>(rootConfigMap));
    rootSecret = Collections.unmodifiableSortedMap(new TreeMap<>(rootSecret));
    configShards = List.copyOf(configShards);
    secretShards = List.copyOf(secretShards);
    placedConnections = Collections.unmodifiableSortedSet(new TreeSet<>(placedConnections));
    carriedConnections = Collections.unmodifiableSortedSet(new TreeSet<>(carriedConnections));
    leftOut = Collections.unmodifiableSortedMap(new TreeMap<>(leftOut));
  }

  /** The left-out peers of one {@link PlacementErrors} reason. */
  public SortedMap<String, FieldError> leftOut(String reason) {
    SortedMap<String, FieldError> matching = new TreeMap<>();
    leftOut.forEach(
        (peer, error) -> {
          if (reason.equals(error.reason())) {
            matching.put(peer, error);
          }
        });
    return matching;
  }

  /**
   * Every file of one side as the manifests list it, by logical path with its SHA-256: what the
   * root lists directly and what the shard manifests it lists do; the shard manifests themselves
   * left out.
   */
  public SortedMap<String, String> listedFiles(ConfigManifest.Side side) {
    ConfigManifest root = side == ConfigManifest.Side.PUBLIC ? publicManifest : secretManifest;
    SortedMap<String, String> files = new TreeMap<>();
    root.files()
        .forEach(
            (path, digest) -> {
              if (ConfigManifest.isNested(path)) {
                files.putAll(shardManifests.get(path).files());
              } else {
                files.put(path, digest);
              }
            });
    return files;
  }

  /**
   * The public files of the volume as the kubelet projects them: every key of the root ConfigMap
   * and the config shards (their manifests included), flat, with the bytes of its UTF-8 value.
   */
  public SortedMap<String, byte[]> publicVolumeFiles() {
    SortedMap<String, byte[]> files = new TreeMap<>();
    rootConfigMap.forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
    configShards.forEach(
        s -> s.data().forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8))));
    return files;
  }

  /** The secret files of the volume: every key of the root Secret and the secret shards, flat. */
  public SortedMap<String, byte[]> secretVolumeFiles() {
    SortedMap<String, byte[]> files = new TreeMap<>(rootSecret);
    secretShards.forEach(s -> files.putAll(s.data()));
    return files;
  }

  @Override
  public String toString() {
    // never the secret files' content
    return "ConfigVolumePlan[revision="
        + revision
        + ", configShards="
        + configShards.size()
        + ", secretShards="
        + secretShards.size()
        + ", placed="
        + placedConnections.size()
        + ", carried="
        + carriedConnections
        + ", leftOut="
        + leftOut.keySet()
        + "]";
  }
}
