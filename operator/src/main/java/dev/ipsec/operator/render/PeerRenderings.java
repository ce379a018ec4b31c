package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last rendering of each peer of each gateway, reused while nothing it was rendered from has
 * changed: the peer's spec (uid and generation), the namespace's groups and every Secret and
 * ConfigMap the rendering looked up (by {@link ReferencedData#version}, a missing one as missing).
 * A gateway's reconcile after one peer's change then renders that peer, not all 10,000.
 *
 * <p>Only inputs whose versions are all known are remembered ({@link ReferencedData#version}): the
 * command line's resources from files are rendered every time. Each gateway keeps exactly the peers
 * of its last rendering, so the memory is one rendering per peer of a live gateway; a deleted
 * gateway is dropped with {@link #forget}.
 */
final class PeerRenderings {

  /**
   * One peer's output, as the renderer adds it to the gateway's.
   *
   * @param errors why it does not render; empty when it does
   * @param connection its connection, null when it does not render or is disabled
   */
  record Output(
      List<FieldError> errors,
      SortedMap<String, String> configFiles,
      SortedMap<String, byte[]> secretFiles,
      RenderedGateway.RenderedConnection connection) {}

  /**
   * What one output was rendered from.
   *
   * @param groups the version of every group of the namespace, by kind and name
   * @param read the version of every Secret and ConfigMap looked up, by kind and name
   */
  record Inputs(String uid, Long generation, Map<String, String> groups, Map<String, String> read) {

    /** Whether {@code peer} with these groups and references would render the same. */
    boolean unchanged(IpsecPeer peer, Map<String, String> groupsNow, ReferencedData references) {
      return Objects.equals(uid, peer.getMetadata().getUid())
          && Objects.equals(generation, peer.getMetadata().getGeneration())
          && groups.equals(groupsNow)
          && read.entrySet().stream()
              .allMatch(e -> e.getValue().equals(references.version(e.getKey())));
    }
  }

  record Entry(Inputs inputs, Output output) {}

  private final Map<String, Map<String, Entry>> byGateway = new ConcurrentHashMap<>();

  /** What is kept of {@code peer} of {@code gateway} if its inputs are unchanged, else null. */
  Entry reusable(
      String gateway,
      IpsecPeer peer,
      String name,
      Map<String, String> groups,
      ReferencedData references) {
    Entry entry = byGateway.getOrDefault(gateway, Map.of()).get(name);
    return entry != null && entry.inputs().unchanged(peer, groups, references) ? entry : null;
  }

  /** The peers of {@code gateway}'s rendering just made, replacing those of its previous one. */
  void keep(String gateway, Map<String, Entry> rendered) {
    byGateway.put(gateway, Map.copyOf(rendered));
  }

  /** Adds one peer's output to a rendering's entries, when all its inputs are known. */
  static void add(Map<String, Entry> rendered, String name, Inputs inputs, Output output) {
    if (inputs != null) {
      rendered.put(name, new Entry(inputs, output));
    }
  }

  /** A new map of entries for one rendering. */
  static Map<String, Entry> entries() {
    return new HashMap<>();
  }

  void forget(String gateway) {
    byGateway.remove(gateway);
  }

  /** How many peers of {@code gateway} are remembered: for tests. */
  int remembered(String gateway) {
    return byGateway.getOrDefault(gateway, Map.of()).size();
  }
}
