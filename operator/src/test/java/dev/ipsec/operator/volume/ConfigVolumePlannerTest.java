package dev.ipsec.operator.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.manifest.ConfigManifestJson;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.GatewayRenderer;
import dev.ipsec.operator.render.RenderedGateway;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The plan of a volume: manifests, roots, shards, and which peers are left out and why. */
class ConfigVolumePlannerTest {

  static final SortedMap<String, String> VERSIONS = new TreeMap<>(Map.of("Secret/psk", "uid-1@42"));

  /**
   * A rendering of {@code peers} peers named peer-0.., each with a conf.d file of {@code config(i)}
   * bytes and, where {@code secret(i)} is positive, a secrets.d file of that size.
   */
  static RenderedGateway rendering(
      int peers, IntFunction<Integer> config, IntFunction<Integer> secret) {
    SortedMap<String, String> configFiles = new TreeMap<>();
    SortedMap<String, byte[]> secretFiles = new TreeMap<>();
    SortedMap<String, RenderedGateway.RenderedConnection> connections = new TreeMap<>();
    configFiles.put("swanctl.conf", GatewayRenderer.SWANCTL_CONF);
    for (int i = 0; i < peers; i++) {
      String name = "peer-" + i;
      configFiles.put("conf.d/" + name + ".conf", "c".repeat(config.apply(i)));
      if (secret.apply(i) > 0) {
        secretFiles.put(
            "secrets.d/" + name + ".conf",
            ("s" + i).repeat(secret.apply(i) / 2).getBytes(StandardCharsets.UTF_8));
      }
      connections.put(name, new RenderedGateway.RenderedConnection(name, List.of(), List.of()));
    }
    return new RenderedGateway(
        configFiles,
        secretFiles,
        Optional.of("charon {}\n"),
        connections,
        new TreeMap<>(),
        List.of());
  }

  @Test
  void manifestsListEveryPlacedFileWithItsDigestAndSecretsOnlyInTheRootSecret() {
    RenderedGateway rendered = rendering(20, i -> 700, i -> 200);
    ConfigVolumePlan plan = new ConfigVolumePlanner(900 * 1024).plan(rendered, VERSIONS, 0, 0);

    assertThat(plan.leftOut()).isEmpty();
    assertThat(plan.placedConnections()).hasSize(20);
    assertThat(plan.publicManifest().files().keySet())
        .isEqualTo(rendered.configFiles().keySet())
        .contains("swanctl.conf");
    assertThat(plan.secretManifest().files().keySet()).isEqualTo(rendered.secretFiles().keySet());
    rendered
        .configFiles()
        .forEach(
            (path, text) ->
                assertThat(
                        plan.publicManifest().matches(path, text.getBytes(StandardCharsets.UTF_8)))
                    .as(path)
                    .isTrue());
    rendered
        .secretFiles()
        .forEach((path, bytes) -> assertThat(plan.secretManifest().matches(path, bytes)).isTrue());
    assertThat(plan.publicManifest().revision())
        .isEqualTo(plan.secretManifest().revision())
        .isEqualTo(plan.revision());

    // the root ConfigMap holds swanctl.conf and the public manifest, nothing about secrets
    assertThat(plan.rootConfigMap()).containsOnlyKeys("swanctl.conf", ConfigManifest.PUBLIC_FILE);
    assertThat(ConfigManifestJson.read(plan.rootConfigMap().get(ConfigManifest.PUBLIC_FILE)))
        .isEqualTo(plan.publicManifest());
    assertThat(plan.rootConfigMap().get(ConfigManifest.PUBLIC_FILE)).doesNotContain("secrets.d");
    assertThat(plan.rootSecret()).containsOnlyKeys(ConfigManifest.SECRET_FILE);
    assertThat(ConfigManifestJson.read(plan.rootSecret().get(ConfigManifest.SECRET_FILE)))
        .isEqualTo(plan.secretManifest());

    // the volume holds exactly the listed files (plus the manifests), under their flat keys
    assertThat(plan.publicVolumeFiles().keySet().stream().map(ConfigShards::path))
        .containsExactlyInAnyOrderElementsOf(
            concat(plan.publicManifest().files().keySet(), ConfigManifest.PUBLIC_FILE));
    assertThat(plan.secretVolumeFiles().keySet().stream().map(ConfigShards::path))
        .containsExactlyInAnyOrderElementsOf(
            concat(plan.secretManifest().files().keySet(), ConfigManifest.SECRET_FILE));
  }

  @Test
  void theSameInputGivesTheSameBytesWhateverShardsExist() {
    RenderedGateway rendered = rendering(300, i -> 600 + i, i -> 150);
    ConfigVolumePlanner planner = new ConfigVolumePlanner(16 * 1024);
    ConfigVolumePlan fresh = planner.plan(rendered, VERSIONS, 0, 0);
    ConfigVolumePlan again = planner.plan(rendering(300, i -> 600 + i, i -> 150), VERSIONS, 0, 0);
    ConfigVolumePlan grown = planner.plan(rendered, VERSIONS, 32, 32);

    assertThat(flat(again)).isEqualTo(flat(fresh));
    assertThat(again.configShards()).hasSameSizeAs(fresh.configShards());
    // more shards than needed spread the same files differently, into the same volume
    assertThat(grown.configShards().size()).isGreaterThan(fresh.configShards().size());
    assertThat(flat(grown)).isEqualTo(flat(fresh));
    assertThat(grown.leftOut()).isEqualTo(fresh.leftOut());
  }

  @Test
  void thePublicRevisionDoesNotDependOnSecretValues() {
    ConfigVolumePlanner planner = new ConfigVolumePlanner(900 * 1024);
    ConfigVolumePlan a = planner.plan(rendering(3, i -> 100, i -> 20), VERSIONS, 0, 0);
    RenderedGateway otherSecret = rendering(3, i -> 100, i -> 20);
    SortedMap<String, byte[]> secrets = new TreeMap<>(otherSecret.secretFiles());
    secrets.put("secrets.d/peer-1.conf", "another psk!".getBytes(StandardCharsets.UTF_8));
    ConfigVolumePlan b =
        planner.plan(
            new RenderedGateway(
                otherSecret.configFiles(),
                secrets,
                otherSecret.strongswanConf(),
                otherSecret.connections(),
                otherSecret.peerErrors(),
                otherSecret.gatewayErrors()),
            VERSIONS,
            0,
            0);
    assertThat(b.revision()).isEqualTo(a.revision());
    assertThat(b.rootConfigMap()).isEqualTo(a.rootConfigMap());
    assertThat(b.secretManifest()).isNotEqualTo(a.secretManifest());
    // a new version of a referenced Secret is a new revision
    ConfigVolumePlan c =
        planner.plan(
            rendering(3, i -> 100, i -> 20), new TreeMap<>(Map.of("Secret/psk", "uid-1@43")), 0, 0);
    assertThat(c.revision()).isNotEqualTo(a.revision());
  }

  @Test
  void aPeerLargerThanAShardIsLeftOutAloneWithSizesAndTheLimit() {
    int limit = 16 * 1024;
    RenderedGateway rendered = rendering(100, i -> i == 42 ? 20_000 : 200, i -> 100);
    ConfigVolumePlanner planner = new ConfigVolumePlanner(limit);
    ConfigVolumePlan plan = planner.plan(rendered, VERSIONS, 0, 0);

    assertThat(plan.leftOut()).containsOnlyKeys("peer-42");
    FieldError error = plan.leftOut().get("peer-42");
    assertThat(error.reason()).isEqualTo(PlacementErrors.TOO_LARGE);
    assertThat(error.path()).isEqualTo("spec");
    assertThat(error.message())
        .contains("20020 bytes")
        .contains("ConfigMap")
        .contains("(" + limit + " bytes)")
        .contains("fewer tunnels");
    assertThat(plan.placedConnections()).hasSize(99).doesNotContain("peer-42");
    assertThat(plan.publicManifest().files()).doesNotContainKey("conf.d/peer-42.conf");
    assertThat(plan.secretManifest().files()).doesNotContainKey("secrets.d/peer-42.conf");
    assertThat(plan.publicManifest().files()).containsKey("conf.d/peer-41.conf");
    assertThat(planner.tooLarge(rendered)).isEqualTo(Map.of("peer-42", error));
    assertFits(plan, limit);
  }

  @Test
  void whenEveryShardIsFullPeersLeaveTheOverflowingShardLargestFirst() {
    int limit = 16 * 1024;
    // 150 peers of about 4 KiB: more than 32 shards of 16 KiB hold; the manifest is small
    RenderedGateway rendered = rendering(150, i -> 4000 + i, i -> 0);
    ConfigVolumePlan plan = new ConfigVolumePlanner(limit).plan(rendered, VERSIONS, 0, 0);

    assertThat(plan.configShards().get(plan.configShards().size() - 1).index())
        .isEqualTo(ConfigShards.MAX_SHARDS - 1);
    assertThat(plan.leftOut()).isNotEmpty();
    assertThat(plan.leftOut().values())
        .allSatisfy(
            e -> {
              assertThat(e.reason()).isEqualTo(PlacementErrors.GATEWAY_FULL);
              assertThat(e.path()).isEqualTo("spec.gateway");
              assertThat(e.message()).contains("ConfigMap shard").contains("of 32");
            });
    assertThat(plan.placedConnections().size() + plan.leftOut().size()).isEqualTo(150);
    // in every shard that had to give peers up, each one left is smaller than any that left
    for (String left : plan.leftOut().keySet()) {
      int shard = ConfigShards.shardOf(left, ConfigShards.MAX_SHARDS);
      int size = Integer.parseInt(left.substring("peer-".length()));
      assertThat(plan.placedConnections())
          .filteredOn(p -> ConfigShards.shardOf(p, ConfigShards.MAX_SHARDS) == shard)
          .allSatisfy(p -> assertThat(Integer.parseInt(p.substring(5))).isLessThan(size));
    }
    assertFits(plan, limit);
  }

  @Test
  void whenAManifestWouldPassTheLimitPeersLeaveUntilItFits() {
    int limit = 4 * 1024;
    RenderedGateway rendered = rendering(80, i -> 100, i -> 40);
    ConfigVolumePlan plan = new ConfigVolumePlanner(limit).plan(rendered, VERSIONS, 0, 0);

    assertThat(plan.leftOut()).isNotEmpty();
    assertThat(plan.leftOut().values())
        .allSatisfy(
            e -> {
              assertThat(e.reason()).isEqualTo(PlacementErrors.GATEWAY_FULL);
              assertThat(e.message()).contains("manifest.json").contains("4096 bytes");
            });
    assertThat(plan.placedConnections().size() + plan.leftOut().size()).isEqualTo(80);
    assertThat(plan.placedConnections()).isNotEmpty();
    assertFits(plan, limit);
    // the secret listing is 4/3 larger in a Secret, and may fill first: the same message
    ConfigVolumePlan secretBound =
        new ConfigVolumePlanner(limit).plan(rendering(80, i -> 10, i -> 10), VERSIONS, 0, 0);
    assertThat(secretBound.leftOut().values())
        .extracting(FieldError::message)
        .containsOnly(plan.leftOut().values().iterator().next().message());
    assertFits(secretBound, limit);
  }

  /** No object of the plan holds more than {@code limit} bytes. */
  static void assertFits(ConfigVolumePlan plan, int limit) {
    long root =
        plan.rootConfigMap().entrySet().stream()
            .mapToLong(e -> e.getKey().length() + ConfigShards.textSize(e.getValue()))
            .sum();
    assertThat(root).as("root ConfigMap").isLessThanOrEqualTo(limit);
    long rootSecret =
        plan.rootSecret().entrySet().stream()
            .mapToLong(e -> e.getKey().length() + ConfigShards.secretSize(e.getValue()))
            .sum();
    assertThat(rootSecret).as("root Secret").isLessThanOrEqualTo(limit);
    plan.configShards()
        .forEach(
            s ->
                assertThat(
                        s.data().entrySet().stream()
                            .mapToLong(
                                e -> e.getKey().length() + ConfigShards.textSize(e.getValue()))
                            .sum())
                    .as("config shard %d", s.index())
                    .isLessThanOrEqualTo(limit));
    plan.secretShards()
        .forEach(
            s ->
                assertThat(
                        s.data().entrySet().stream()
                            .mapToLong(
                                e -> e.getKey().length() + ConfigShards.secretSize(e.getValue()))
                            .sum())
                    .as("secret shard %d", s.index())
                    .isLessThanOrEqualTo(limit));
  }

  private static Map<String, String> flat(ConfigVolumePlan plan) {
    Map<String, String> files = new TreeMap<>();
    plan.publicVolumeFiles().forEach((k, v) -> files.put(k, new String(v, StandardCharsets.UTF_8)));
    plan.secretVolumeFiles()
        .forEach((k, v) -> files.put(k, "secret:" + new String(v, StandardCharsets.UTF_8)));
    return files;
  }

  private static List<String> concat(Collection<String> paths, String extra) {
    return Stream.concat(paths.stream(), Stream.of(extra)).toList();
  }
}
