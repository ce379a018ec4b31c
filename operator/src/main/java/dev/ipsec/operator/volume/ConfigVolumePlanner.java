package dev.ipsec.operator.volume;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.manifest.ConfigManifestJson;
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
    Map<String, String> digests = digests(rendered);
    Roots roots;
    while (true) {
      roots = roots(swanctlConf, placed, digests, rendered, referenceVersions);
      long publicExcess = roots.configMapBytes() - maxObjectBytes;
      long secretExcess = roots.secretBytes() - maxObjectBytes;
      if (placed.isEmpty() || (publicExcess <= 0 && secretExcess <= 0)) {
        break;
      }
      if (publicExcess > 0) {
        leave(
            placed,
            leftOut,
            PeerFiles::publicListingBytes,
            publicExcess,
            PlacementErrors.listingFull(maxObjectBytes));
      } else {
        leave(
            placed,
            leftOut,
            PeerFiles::secretListingBytes,
            secretExcess,
            PlacementErrors.listingFull(maxObjectBytes));
      }
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

  /** The SHA-256 of every rendered file, computed once however often the roots are rebuilt. */
  private static Map<String, String> digests(RenderedGateway rendered) {
    Map<String, String> digests = new HashMap<>();
    rendered
        .configFiles()
        .forEach(
            (path, text) ->
                digests.put(path, ConfigManifest.sha256(text.getBytes(StandardCharsets.UTF_8))));
    rendered
        .secretFiles()
        .forEach((path, bytes) -> digests.put(path, ConfigManifest.sha256(bytes)));
    return digests;
  }

  /** The revision and the manifests of the placed files, and what the root objects hold. */
  private record Roots(
      String revision,
      ConfigManifest publicManifest,
      ConfigManifest secretManifest,
      String publicJson,
      String secretJson,
      long configMapBytes,
      long secretBytes) {}

  private static Roots roots(
      String swanctlConf,
      SortedMap<String, PeerFiles> placed,
      Map<String, String> digests,
      RenderedGateway rendered,
      SortedMap<String, String> referenceVersions) {
    SortedMap<String, String> publicFiles = new TreeMap<>();
    publicFiles.put(ConfigVolumePlan.SWANCTL_CONF, swanctlConf);
    SortedMap<String, String> secretDigests = new TreeMap<>();
    placed
        .values()
        .forEach(
            f -> {
              publicFiles.putAll(f.config);
              f.secrets.keySet().forEach(p -> secretDigests.put(p, digests.get(p)));
            });
    String revision =
        ConfigRevision.of(
            publicFiles, rendered.strongswanConf(), secretDigests.keySet(), referenceVersions);
    SortedMap<String, String> publicDigests = new TreeMap<>();
    publicFiles.keySet().forEach(p -> publicDigests.put(p, digests.get(p)));
    ConfigManifest publicManifest =
        new ConfigManifest(ConfigManifest.SCHEMA_VERSION, revision, publicDigests);
    ConfigManifest secretManifest =
        new ConfigManifest(ConfigManifest.SCHEMA_VERSION, revision, secretDigests);
    String publicJson = ConfigManifestJson.write(publicManifest);
    String secretJson = ConfigManifestJson.write(secretManifest);
    long configMapBytes =
        ConfigShards.entryBytes(ConfigVolumePlan.SWANCTL_CONF, ConfigShards.textSize(swanctlConf))
            + ConfigShards.entryBytes(
                ConfigManifest.PUBLIC_FILE, ConfigShards.textSize(publicJson));
    long secretBytes =
        ConfigShards.entryBytes(
            ConfigManifest.SECRET_FILE,
            ConfigShards.secretSize(secretJson.getBytes(StandardCharsets.UTF_8)));
    return new Roots(
        revision,
        publicManifest,
        secretManifest,
        publicJson,
        secretJson,
        configMapBytes,
        secretBytes);
  }
}
