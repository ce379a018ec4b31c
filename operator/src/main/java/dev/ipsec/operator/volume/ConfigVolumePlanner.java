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
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Plans a gateway's configuration volume from its rendering: which peer goes to which shard, the
 * manifest each shard carries of its own files, what the root objects hold, and which peers must be
 * left out so that no object passes the size limit. One peer that does not fit never stops the
 * others: it is left out with an error of its own.
 *
 * <ul>
 *   <li>A peer whose own files (with their lines in a shard's manifest) pass what a shard has room
 *       for can never be placed ({@link PlacementErrors#TOO_LARGE}); that is a function of the peer
 *       alone ({@link #tooLarge}), so the peer's own reconciler reports it too.
 *   <li>When {@link ConfigShards#MAX_SHARDS} shards still overflow, peers leave the overflowing
 *       shard, largest first, name breaking ties ({@link PlacementErrors#GATEWAY_FULL}).
 *   <li>A peer whose new files are left out keeps the files the volume holds of it ({@link
 *       PreviousRenderings}), and so does a peer that does not render at all: its last valid
 *       configuration keeps running. Such kept files are placed like any others, and left out like
 *       any others when they do not fit.
 * </ul>
 *
 * The manifests are a tree of depth two ({@link ConfigManifest}): each shard lists its own files,
 * so a shard's room counts its manifest, and the roots list only swanctl.conf and the shards'
 * manifests, at most {@link ConfigShards#MAX_SHARDS} lines each, which fit into any object of at
 * least {@link #MIN_OBJECT_BYTES}. The ceiling of a gateway is therefore its shards' bytes.
 *
 * <p>The outcome depends only on the rendering, the previous renderings, the reference versions and
 * the shard counts in use: the same resources give the same volume, byte for byte, at the same
 * counts, and a plan made from the volume it wrote is that same plan. Other counts spread the same
 * files, under the same revision, over other shards with other shard manifests.
 */
public final class ConfigVolumePlanner {

  /**
   * The least a ConfigMap or Secret of the volume may be allowed to hold: the roots with {@link
   * ConfigShards#MAX_SHARDS} shard manifests listed take about 4.5 KiB, and a shard needs room for
   * a peer besides its manifest.
   */
  public static final int MIN_OBJECT_BYTES = 8 * 1024;

  private static final Set<String> ROOT_FILES = Set.of(ConfigVolumePlan.SWANCTL_CONF);

  private final int maxObjectBytes;

  /**
   * @param maxObjectBytes the most data one ConfigMap or Secret of the volume may hold, at least
   *     {@link #MIN_OBJECT_BYTES}
   */
  public ConfigVolumePlanner(int maxObjectBytes) {
    if (maxObjectBytes < MIN_OBJECT_BYTES) {
      throw new IllegalArgumentException(
          "an object of the volume must hold at least "
              + MIN_OBJECT_BYTES
              + " bytes (the roots list up to "
              + ConfigShards.MAX_SHARDS
              + " shard manifests), not "
              + maxObjectBytes);
    }
    this.maxObjectBytes = maxObjectBytes;
  }

  /** The rendered peers whose own files cannot fit into one shard, with why. */
  public SortedMap<String, FieldError> tooLarge(RenderedGateway rendered) {
    return tooLarge(PeerFiles.of(rendered, ROOT_FILES));
  }

  /** A plan without previous renderings: every peer as it renders now ({@code render}). */
  public ConfigVolumePlan plan(
      RenderedGateway rendered,
      SortedMap<String, String> referenceVersions,
      int currentConfigShards,
      int currentSecretShards) {
    return plan(
        rendered,
        PreviousRenderings.none(),
        referenceVersions,
        currentConfigShards,
        currentSecretShards);
  }

  /**
   * @param previous what the volume holds now: the renderings kept for peers that do not render
   *     ({@link PreviousRenderings#carried}) and the fallback of a peer whose new files are left
   *     out
   * @param referenceVersions fingerprints of the referenced Secrets and ConfigMaps ({@link
   *     ConfigRevision})
   * @param currentConfigShards ConfigMap shards that exist now, so that the count never shrinks
   * @param currentSecretShards the same for Secret shards
   */
  public ConfigVolumePlan plan(
      RenderedGateway rendered,
      PreviousRenderings previous,
      SortedMap<String, String> referenceVersions,
      int currentConfigShards,
      int currentSecretShards) {
    String swanctlConf = rendered.configFiles().get(ConfigVolumePlan.SWANCTL_CONF);
    SortedMap<String, PeerFiles> candidates = PeerFiles.of(rendered, ROOT_FILES);
    Map<String, String> digests = VolumeRoots.digests(rendered);
    SortedSet<String> carried = new TreeSet<>();
    for (String peer : previous.carried()) {
      if (!rendered.connections().containsKey(peer)) {
        previous.of(peer).ifPresent(r -> carried.add(use(candidates, digests, peer, r)));
      }
    }
    // a peer whose new files are left out keeps its previous ones where the volume has them; that
    // can leave out another peer, which may fall back in turn, each peer once
    SortedMap<String, FieldError> newLeftOut = new TreeMap<>();
    Placement placement;
    while (true) {
      placement = place(candidates);
      List<String> fallBack = new ArrayList<>();
      for (String peer : placement.leftOut.keySet()) {
        if (rendered.connections().containsKey(peer) && !carried.contains(peer)) {
          previous
              .of(peer)
              .filter(r -> !r.sameFilesAs(candidates.get(peer).rendering()))
              .ifPresent(r -> fallBack.add(peer));
        }
      }
      if (fallBack.isEmpty()) {
        break;
      }
      for (String peer : fallBack) {
        newLeftOut.put(peer, placement.leftOut.get(peer));
        carried.add(use(candidates, digests, peer, previous.of(peer).orElseThrow()));
      }
    }
    SortedMap<String, PeerFiles> placed = placement.placed;
    // the peers whose current rendering is not in the volume, each with what kept it out first;
    // peers that do not render are not among them: their own errors say why
    SortedMap<String, FieldError> leftOut = new TreeMap<>(placement.leftOut);
    leftOut.putAll(newLeftOut);
    leftOut.keySet().retainAll(rendered.connections().keySet());

    Set<String> connections = new TreeSet<>(rendered.connections().keySet());
    connections.addAll(carried);
    SortedMap<String, String> configFiles = new TreeMap<>();
    SortedMap<String, byte[]> secretFiles = new TreeMap<>();
    placed.values().forEach(f -> configFiles.putAll(f.config));
    placed.values().forEach(f -> secretFiles.putAll(f.secrets));
    int configCount =
        ConfigShards.count(
            bytesByOwner(placed, f -> f.configBytes),
            currentConfigShards,
            room(PlacementErrors.Kind.CONFIG));
    int secretCount =
        ConfigShards.count(
            bytesByOwner(placed, f -> f.secretBytes),
            currentSecretShards,
            room(PlacementErrors.Kind.SECRETS));
    ShardManifests.Added<String> configShards =
        ShardManifests.add(
            ConfigShards.assign(configFiles, connections, configCount),
            ConfigManifest.Side.PUBLIC,
            digests,
            json -> json);
    ShardManifests.Added<byte[]> secretShards =
        ShardManifests.add(
            ConfigShards.assign(secretFiles, connections, secretCount),
            ConfigManifest.Side.SECRET,
            digests,
            json -> json.getBytes(StandardCharsets.UTF_8));
    VolumeRoots roots =
        VolumeRoots.of(
            swanctlConf,
            placed.values(),
            configShards.digests(),
            secretShards.digests(),
            rendered,
            referenceVersions);
    if (roots.configMapBytes() > maxObjectBytes || roots.secretBytes() > maxObjectBytes) {
      // at most MAX_SHARDS lines each: cannot happen above MIN_OBJECT_BYTES
      throw new IllegalStateException(
          "the root objects take "
              + roots.configMapBytes()
              + " and "
              + roots.secretBytes()
              + " bytes, more than "
              + maxObjectBytes);
    }
    SortedMap<String, String> rootConfigMap = new TreeMap<>();
    rootConfigMap.put(ConfigVolumePlan.SWANCTL_CONF, swanctlConf);
    rootConfigMap.put(ConfigManifest.PUBLIC_FILE, roots.publicJson());
    SortedSet<String> placedConnections =
        placed.keySet().stream()
            .filter(connections::contains)
            .collect(Collectors.toCollection(TreeSet::new));
    carried.retainAll(placedConnections);
    SortedMap<String, ConfigManifest> shardManifests = new TreeMap<>(configShards.manifests());
    shardManifests.putAll(secretShards.manifests());
    return new ConfigVolumePlan(
        roots.revision(),
        roots.publicManifest(),
        roots.secretManifest(),
        shardManifests,
        rootConfigMap,
        new TreeMap<>(
            Map.of(
                ConfigManifest.SECRET_FILE, roots.secretJson().getBytes(StandardCharsets.UTF_8))),
        configShards.shards(),
        secretShards.shards(),
        placedConnections,
        carried,
        leftOut);
  }

  /** Makes {@code rendering} the candidate files of {@code peer}; returns the peer. */
  private static String use(
      SortedMap<String, PeerFiles> candidates,
      Map<String, String> digests,
      String peer,
      PeerRendering rendering) {
    PeerFiles files = PeerFiles.of(peer, rendering);
    candidates.put(peer, files);
    VolumeRoots.putDigests(digests, files);
    return peer;
  }

  /** Which candidates fit, and which are left out and why. */
  private record Placement(
      SortedMap<String, PeerFiles> placed, SortedMap<String, FieldError> leftOut) {}

  private Placement place(SortedMap<String, PeerFiles> candidates) {
    SortedMap<String, PeerFiles> placed = new TreeMap<>(candidates);
    SortedMap<String, FieldError> leftOut = new TreeMap<>(tooLarge(placed));
    placed.keySet().removeAll(leftOut.keySet());
    leaveFullShards(placed, leftOut, PlacementErrors.Kind.CONFIG, f -> f.configBytes);
    leaveFullShards(placed, leftOut, PlacementErrors.Kind.SECRETS, f -> f.secretBytes);
    return new Placement(placed, leftOut);
  }

  /** What a shard of {@code kind} has room for: the limit less its manifest's header. */
  private int room(PlacementErrors.Kind kind) {
    return maxObjectBytes - ShardManifests.overhead(kind.side);
  }

  private SortedMap<String, FieldError> tooLarge(SortedMap<String, PeerFiles> peers) {
    SortedMap<String, FieldError> errors = new TreeMap<>();
    for (PeerFiles peer : peers.values()) {
      long configRoom = room(PlacementErrors.Kind.CONFIG);
      long secretRoom = room(PlacementErrors.Kind.SECRETS);
      if (peer.configBytes > configRoom) {
        errors.put(
            peer.owner,
            PlacementErrors.tooLarge(
                PlacementErrors.Kind.CONFIG, peer.configBytes, configRoom, maxObjectBytes));
      } else if (peer.secretBytes > secretRoom) {
        errors.put(
            peer.owner,
            PlacementErrors.tooLarge(
                PlacementErrors.Kind.SECRETS, peer.secretBytes, secretRoom, maxObjectBytes));
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
    long room = room(kind);
    long[] loads = ConfigShards.loads(bytesByOwner(placed, size), ConfigShards.MAX_SHARDS);
    for (int shard = 0; shard < loads.length; shard++) {
      if (loads[shard] <= room) {
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
        if (load <= room) {
          break;
        }
        load -= size.applyAsLong(peer);
        placed.remove(peer.owner);
        leftOut.put(peer.owner, PlacementErrors.shardFull(kind, shard, maxObjectBytes));
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
