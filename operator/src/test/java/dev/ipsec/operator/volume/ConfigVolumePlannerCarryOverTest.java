package dev.ipsec.operator.volume;

import static dev.ipsec.operator.volume.ConfigVolumePlannerTest.VERSIONS;
import static dev.ipsec.operator.volume.ConfigVolumePlannerTest.assertFits;
import static dev.ipsec.operator.volume.ConfigVolumePlannerTest.rendering;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.RenderedGateway;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The planner keeps previous renderings running: a peer that does not render keeps the files the
 * volume holds of it, byte for byte, and so does a peer whose new files are too large or find no
 * room. A plan made from its own output is the same plan: nothing is rewritten.
 */
class ConfigVolumePlannerCarryOverTest {

  static final int LIMIT = 16 * 1024;

  /** What a volume of {@code plan} holds of each peer, read back by the owner rule. */
  static PreviousRenderings holding(ConfigVolumePlan plan, Set<String> carried) {
    Set<String> peers = new TreeSet<>(plan.placedConnections());
    peers.addAll(carried);
    SortedMap<String, SortedMap<String, String>> config = new TreeMap<>();
    SortedMap<String, SortedMap<String, byte[]>> secrets = new TreeMap<>();
    plan.configShards()
        .forEach(
            s ->
                s.data()
                    .forEach(
                        (k, v) -> {
                          String path = ConfigShards.path(k);
                          config
                              .computeIfAbsent(
                                  ConfigShards.owner(path, peers), o -> new TreeMap<>())
                              .put(path, v);
                        }));
    plan.secretShards()
        .forEach(
            s ->
                s.data()
                    .forEach(
                        (k, v) -> {
                          String path = ConfigShards.path(k);
                          secrets
                              .computeIfAbsent(
                                  ConfigShards.owner(path, peers), o -> new TreeMap<>())
                              .put(path, v);
                        }));
    return new PreviousRenderings() {
      @Override
      public Set<String> carried() {
        return carried;
      }

      @Override
      public Optional<PeerRendering> of(String peer) {
        return config.containsKey(peer)
            ? Optional.of(
                new PeerRendering(config.get(peer), secrets.getOrDefault(peer, new TreeMap<>())))
            : Optional.empty();
      }
    };
  }

  /** {@code base} without peer {@code name}'s files and connection, with an error instead. */
  static RenderedGateway invalid(RenderedGateway base, String name) {
    SortedMap<String, String> config = new TreeMap<>(base.configFiles());
    SortedMap<String, byte[]> secrets = new TreeMap<>(base.secretFiles());
    config.keySet().removeIf(p -> p.equals("conf.d/" + name + ".conf"));
    secrets.keySet().removeIf(p -> p.equals("secrets.d/" + name + ".conf"));
    var connections = new TreeMap<>(base.connections());
    connections.remove(name);
    return new RenderedGateway(
        config,
        secrets,
        base.strongswanConf(),
        connections,
        new TreeMap<>(Map.of(name, List.of(new FieldError("spec.tunnels[1].id", "duplicate")))),
        List.of());
  }

  @Test
  void aPeerThatNoLongerRendersKeepsItsFilesByteForByte() {
    ConfigVolumePlanner planner = new ConfigVolumePlanner(LIMIT);
    ConfigVolumePlan before = planner.plan(rendering(20, i -> 300, i -> 100), VERSIONS, 0, 0);

    RenderedGateway broken = invalid(rendering(20, i -> 300, i -> 100), "peer-7");
    ConfigVolumePlan kept =
        planner.plan(broken, holding(before, Set.of("peer-7")), VERSIONS, shards(before), 1);
    ConfigVolumePlan dropped = planner.plan(broken, VERSIONS, shards(before), 1);

    assertThat(kept.placedConnections()).contains("peer-7").hasSize(20);
    assertThat(kept.carriedConnections()).containsExactly("peer-7");
    assertThat(kept.leftOut()).isEmpty();
    assertThat(kept.revision()).isEqualTo(before.revision());
    assertThat(kept.configShards()).isEqualTo(before.configShards());
    assertThat(kept.publicManifest()).isEqualTo(before.publicManifest());
    assertThat(kept.secretManifest()).isEqualTo(before.secretManifest());
    assertThat(dropped.placedConnections()).doesNotContain("peer-7").hasSize(19);
  }

  @Test
  void aPeerWhoseNewFilesAreTooLargeKeepsItsPreviousOnesAndIsStillToldWhy() {
    ConfigVolumePlanner planner = new ConfigVolumePlanner(LIMIT);
    ConfigVolumePlan before = planner.plan(rendering(30, i -> 300, i -> 100), VERSIONS, 0, 0);
    RenderedGateway grown = rendering(30, i -> i == 4 ? 20_000 : 300, i -> 100);

    ConfigVolumePlan plan =
        planner.plan(grown, holding(before, Set.of()), VERSIONS, shards(before), 1);

    assertThat(plan.leftOut()).containsOnlyKeys("peer-4");
    assertThat(plan.leftOut().get("peer-4").reason()).isEqualTo(PlacementErrors.TOO_LARGE);
    assertThat(plan.placedConnections()).contains("peer-4");
    assertThat(plan.carriedConnections()).containsExactly("peer-4");
    assertThat(plan.revision()).isEqualTo(before.revision());
    assertFits(plan, LIMIT);
    // planned again from what it wrote: the same plan, nothing to write
    ConfigVolumePlan again =
        planner.plan(grown, holding(plan, Set.of()), VERSIONS, shards(plan), 1);
    assertThat(again).usingRecursiveComparison().isEqualTo(plan);
  }

  @Test
  void aPeerWhoseNewFilesFindNoRoomKeepsItsPreviousOnesWhereTheyFit() {
    // about 4 KiB a peer: 32 shards of 16 KiB hold about 100 of them, so 150 overflow
    ConfigVolumePlanner planner = new ConfigVolumePlanner(LIMIT);
    ConfigVolumePlan before = planner.plan(rendering(150, i -> 400, i -> 0), VERSIONS, 0, 0);
    assertThat(before.leftOut()).isEmpty();
    // every peer grows; those left out keep their small files
    RenderedGateway grown = rendering(150, i -> 4000 + i, i -> 0);

    ConfigVolumePlan plan =
        planner.plan(grown, holding(before, Set.of()), VERSIONS, shards(before), 0);

    assertThat(plan.leftOut()).isNotEmpty();
    assertThat(plan.leftOut().values())
        .extracting(FieldError::reason)
        .containsOnly(PlacementErrors.GATEWAY_FULL);
    assertThat(plan.carriedConnections()).isEqualTo(plan.leftOut().keySet());
    assertThat(plan.placedConnections()).hasSize(150);
    assertFits(plan, LIMIT);
    ConfigVolumePlan again =
        planner.plan(grown, holding(plan, Set.of()), VERSIONS, shards(plan), 0);
    assertThat(again).usingRecursiveComparison().isEqualTo(plan);
  }

  @Test
  void aCarriedPeerThatDoesNotFitIsLeftOutWithoutAPlacementErrorOfItsOwn() {
    ConfigVolumePlanner planner = new ConfigVolumePlanner(LIMIT);
    ConfigVolumePlan before = planner.plan(rendering(3, i -> 10_000, i -> 100), VERSIONS, 0, 0);
    // a smaller limit now: the kept files of peer-1 no longer fit one shard
    ConfigVolumePlan plan =
        new ConfigVolumePlanner(ConfigVolumePlanner.MIN_OBJECT_BYTES)
            .plan(
                invalid(rendering(3, i -> 10, i -> 10), "peer-1"),
                holding(before, Set.of("peer-1")),
                VERSIONS,
                1,
                1);
    assertThat(plan.placedConnections()).doesNotContain("peer-1");
    assertThat(plan.carriedConnections()).isEmpty();
    assertThat(plan.leftOut()).doesNotContainKey("peer-1");
  }

  private static int shards(ConfigVolumePlan plan) {
    return plan.configShards().stream().mapToInt(s -> s.index() + 1).max().orElse(0);
  }
}
