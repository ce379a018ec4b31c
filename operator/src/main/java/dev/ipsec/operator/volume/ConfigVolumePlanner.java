package dev.ipsec.operator.volume;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.RenderedGateway;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Plans a gateway's configuration volume from its rendering: which peer goes to which shard, what
 * the root objects hold, and which peers must be left out so that no object passes the size limit.
 * One peer that does not fit never stops the others: it is left out with an error of its own.
 *
 * <ul>
 *   <li>A peer whose own files pass the limit can never be placed ({@link
 *       PlacementErrors#TOO_LARGE}); that is a function of the peer alone ({@link #tooLarge}), so
 *       the peer's own reconciler reports it too.
 *   <li>When {@link ConfigShards#MAX_SHARDS} shards still overflow, peers leave the overflowing
 *       shard, largest first, name breaking ties ({@link PlacementErrors#GATEWAY_FULL}).
 *   <li>The manifests list every file of the revision in one root object each. When one passes the
 *       limit, peers leave the same way, largest listing first. This binds before the shards do:
 *       about 100 bytes a file, so some 9,000 files a gateway, 4/3 of that for secret files.
 * </ul>
 *
 * The outcome depends only on the rendering, the reference versions and the shard counts in use,
 * and the files in the volume do not depend on the counts: the same resources give the same volume,
 * byte for byte.
 */
public final class ConfigVolumePlanner {

  private static final Set<String> ROOT_FILES = Set.of(ConfigVolumePlan.SWANCTL_CONF);

  private final int maxObjectBytes;

  /**
   * @param maxObjectBytes the most data one ConfigMap or Secret of the volume may hold
   */
  public ConfigVolumePlanner(int maxObjectBytes) {
    this.maxObjectBytes = maxObjectBytes;
  }

  /** The rendered peers whose own files cannot fit into one shard, with why. */
  public SortedMap<String, FieldError> tooLarge(RenderedGateway rendered) {
    return tooLarge(PeerFiles.of(rendered, ROOT_FILES));
  }

  /**
   * @param referenceVersions fingerprints of the referenced Secrets and ConfigMaps ({@link
   *     ConfigRevision})
   * @param currentConfigShards ConfigMap shards that exist now, so that the count never shrinks
   * @param currentSecretShards the same for Secret shards
   */
  public ConfigVolumePlan plan(
      RenderedGateway rendered,
      SortedMap<String, String> referenceVersions,
      int currentConfigShards,
      int currentSecretShards) {
    String swanctlConf = rendered.configFiles().get(ConfigVolumePlan.SWANCTL_CONF);
    SortedMap<String, PeerFiles> placed = PeerFiles.of(rendered, ROOT_FILES);
    SortedMap<String, FieldError> leftOut = new TreeMap<>(tooLarge(placed));
    placed.keySet().removeAll(leftOut.keySet());
    leaveFullShards(placed, leftOut, PlacementErrors.Kind.CONFIG, f -> f.configBytes);
    leaveFullShards(placed, leftOut, PlacementErrors.Kind.SECRETS, f -> f.secretBytes);
    Map<String, String> digests = VolumeRoots.digests(rendered);
    VolumeRoots roots =
        VolumeRoots.of(swanctlConf, placed.values(), digests, rendered, referenceVersions);
    while (!placed.isEmpty()
        && (roots.configMapBytes() > maxObjectBytes || roots.secretBytes() > maxObjectBytes)) {
      boolean publicFull = roots.configMapBytes() > maxObjectBytes;
      leave(
          placed,
          leftOut,
          publicFull ? PeerFiles::publicListingBytes : PeerFiles::secretListingBytes,
          (publicFull ? roots.configMapBytes() : roots.secretBytes()) - maxObjectBytes,
          PlacementErrors.listingFull(maxObjectBytes));
      roots = VolumeRoots.of(swanctlConf, placed.values(), digests, rendered, referenceVersions);
    }

    Set<String> connections = rendered.connections().keySet();
    SortedMap<String, String> configFiles = new TreeMap<>();
    SortedMap<String, byte[]> secretFiles = new TreeMap<>();
    placed.values().forEach(f -> configFiles.putAll(f.config));
    placed.values().forEach(f -> secretFiles.putAll(f.secrets));
    int configCount =
        ConfigShards.count(
            bytesByOwner(placed, f -> f.configBytes), currentConfigShards, maxObjectBytes);
    int secretCount =
        ConfigShards.count(
            bytesByOwner(placed, f -> f.secretBytes), currentSecretShards, maxObjectBytes);
    SortedMap<String, String> rootConfigMap = new TreeMap<>();
    rootConfigMap.put(ConfigVolumePlan.SWANCTL_CONF, swanctlConf);
    rootConfigMap.put(ConfigManifest.PUBLIC_FILE, roots.publicJson());
    return new ConfigVolumePlan(
        roots.revision(),
        roots.publicManifest(),
        roots.secretManifest(),
        rootConfigMap,
        new TreeMap<>(
            Map.of(
                ConfigManifest.SECRET_FILE, roots.secretJson().getBytes(StandardCharsets.UTF_8))),
        ConfigShards.assign(configFiles, connections, configCount),
        ConfigShards.assign(secretFiles, connections, secretCount),
        placed.keySet().stream()
            .filter(connections::contains)
            .collect(Collectors.toCollection(TreeSet::new)),
        leftOut);
  }

  private SortedMap<String, FieldError> tooLarge(SortedMap<String, PeerFiles> peers) {
    SortedMap<String, FieldError> errors = new TreeMap<>();
    for (PeerFiles peer : peers.values()) {
      if (peer.configBytes > maxObjectBytes) {
        errors.put(
            peer.owner,
            PlacementErrors.tooLarge(
                PlacementErrors.Kind.CONFIG, peer.configBytes, maxObjectBytes));
      } else if (peer.secretBytes > maxObjectBytes) {
        errors.put(
            peer.owner,
            PlacementErrors.tooLarge(
                PlacementErrors.Kind.SECRETS, peer.secretBytes, maxObjectBytes));
      }
    }
    return errors;
  }

  /**
   * Leaves peers out of every shard that overflows at {@link ConfigShards#MAX_SHARDS}: largest
   * first, then by name, until the shard fits. A shard that overflows there overflows at every
   * count (doubling only splits shards), and one that fits there is served by growing the count.
   */
  private void leaveFullShards(
      SortedMap<String, PeerFiles> placed,
      SortedMap<String, FieldError> leftOut,
      PlacementErrors.Kind kind,
      ToLongFunction<PeerFiles> size) {
    long[] loads = ConfigShards.loads(bytesByOwner(placed, size), ConfigShards.MAX_SHARDS);
    for (int shard = 0; shard < loads.length; shard++) {
      if (loads[shard] <= maxObjectBytes) {
        continue;
      }
      int index = shard;
      List<PeerFiles> inShard =
          placed.values().stream()
              .filter(f -> ConfigShards.shardOf(f.owner, ConfigShards.MAX_SHARDS) == index)
              .sorted(largestFirst(size))
              .toList();
      long load = loads[shard];
      for (PeerFiles peer : inShard) {
        if (load <= maxObjectBytes) {
          break;
        }
        load -= size.applyAsLong(peer);
        placed.remove(peer.owner);
        leftOut.put(peer.owner, PlacementErrors.shardFull(kind, shard, maxObjectBytes));
      }
    }
  }

  /** Leaves out the peers with the largest {@code share}, by name on ties, until {@code excess}. */
  private static void leave(
      SortedMap<String, PeerFiles> placed,
      SortedMap<String, FieldError> leftOut,
      ToLongFunction<PeerFiles> share,
      long excess,
      FieldError error) {
    List<PeerFiles> candidates = new ArrayList<>(placed.values());
    candidates.sort(largestFirst(share));
    long freed = 0;
    for (PeerFiles peer : candidates) {
      placed.remove(peer.owner);
      leftOut.put(peer.owner, error);
      freed += share.applyAsLong(peer);
      if (freed >= excess) {
        return;
      }
    }
  }

  private static Comparator<PeerFiles> largestFirst(ToLongFunction<PeerFiles> size) {
    return Comparator.comparingLong(size).reversed().thenComparing(f -> f.owner);
  }

  private static Map<String, Long> bytesByOwner(
      SortedMap<String, PeerFiles> peers, ToLongFunction<PeerFiles> size) {
    Map<String, Long> bytes = new HashMap<>();
    peers.values().forEach(f -> bytes.put(f.owner, size.applyAsLong(f)));
    return bytes;
  }
}
