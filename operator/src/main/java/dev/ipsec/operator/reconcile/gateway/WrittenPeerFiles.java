package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.render.RenderedFrom;
import dev.ipsec.operator.volume.ConfigShards;
import dev.ipsec.operator.volume.PeerRendering;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The peer files one gateway's volume holds, read back from the config and secret shards the
 * operator wrote (as its informers cache them, never from memory), so that what keeps running
 * survives a restart of the operator. Which file is whose is {@link ConfigShards#owner}'s rule, the
 * one the shards were filled by; what a peer's files were rendered from, its {@code conf.d} header
 * ({@link RenderedFrom}).
 *
 * <p>Every file of every shard is a rendering the operator wrote for some generation of its peer
 * that rendered, so any of them is a valid configuration to keep. Secret values are decoded only
 * for the peers asked for.
 */
public final class WrittenPeerFiles {

  /** Where one file stands: its shard and its key there. */
  private record Location(ConfigMap configShard, Secret secretShard, String key) {}

  private final Map<String, List<Location>> byPeer = new HashMap<>();

  private WrittenPeerFiles() {}

  /**
   * @param configMaps the gateway's own ConfigMaps (only its config shards are read)
   * @param secrets the gateway's own Secrets (only its secret shards are read)
   * @param peers the names of the gateway's peers: a file whose owner is none of them is nobody's
   */
  public static WrittenPeerFiles of(
      String gateway,
      Collection<ConfigMap> configMaps,
      Collection<Secret> secrets,
      Set<String> peers) {
    WrittenPeerFiles files = new WrittenPeerFiles();
    String configPrefix = gateway + "-config-";
    String secretPrefix = gateway + "-secrets-";
    for (ConfigMap shard : configMaps) {
      if (shard.getMetadata().getName().startsWith(configPrefix) && shard.getData() != null) {
        shard.getData().keySet().forEach(k -> files.add(peers, new Location(shard, null, k)));
      }
    }
    for (Secret shard : secrets) {
      if (shard.getMetadata().getName().startsWith(secretPrefix) && shard.getData() != null) {
        shard.getData().keySet().forEach(k -> files.add(peers, new Location(null, shard, k)));
      }
    }
    return files;
  }

  private void add(Set<String> peers, Location location) {
    String owner = ConfigShards.owner(ConfigShards.path(location.key()), peers);
    if (peers.contains(owner)) {
      byPeer.computeIfAbsent(owner, o -> new ArrayList<>()).add(location);
    }
  }

  /** The files of {@code peer} in the volume, byte for byte; empty when it has none there. */
  public Optional<PeerRendering> of(String peer) {
    List<Location> locations = byPeer.get(peer);
    if (locations == null) {
      return Optional.empty();
    }
    SortedMap<String, String> config = new TreeMap<>();
    SortedMap<String, byte[]> secrets = new TreeMap<>();
    for (Location l : locations) {
      String path = ConfigShards.path(l.key());
      if (l.configShard() != null) {
        config.put(path, l.configShard().getData().get(l.key()));
      } else {
        secrets.put(path, Base64.getDecoder().decode(l.secretShard().getData().get(l.key())));
      }
    }
    if (!config.containsKey(confFile(peer))) {
      return Optional.empty(); // a torn leftover without its connection: nothing to keep running
    }
    return Optional.of(new PeerRendering(config, secrets));
  }

  /** The {@code conf.d} file of a peer, the one that carries its {@link RenderedFrom} header. */
  public static String confFile(String peer) {
    return "conf.d/" + peer + ".conf";
  }

  /** What a peer's files were rendered from, by the header of its {@code conf.d} file. */
  public static RenderedFrom renderedFrom(String peer, PeerRendering files) {
    return RenderedFrom.read(files.config().getOrDefault(confFile(peer), ""))
        .orElse(new RenderedFrom(null, new TreeMap<>()));
  }
}
