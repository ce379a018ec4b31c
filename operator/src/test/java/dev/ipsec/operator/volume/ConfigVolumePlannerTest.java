package dev.ipsec.operator.volume;

import static dev.ipsec.operator.manifest.ConfigManifest.Side.PUBLIC;
import static dev.ipsec.operator.manifest.ConfigManifest.Side.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plan of a volume: the shards with their manifests, the roots listing those, and which peers
 * are left out and why.
 */
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
  void manifestsListEveryPlacedFileWithItsDigestAndSecretsOnlyOnTheSecretSide() {
    RenderedGateway rendered = rendering(20, i -> 700, i -> 200);
    ConfigVolumePlan plan = new ConfigVolumePlanner(900 * 1024).plan(rendered, VERSIONS, 0, 0);

    assertThat(plan.leftOut()).isEmpty();
    assertThat(plan.placedConnections()).hasSize(20);
    assertThat(plan.listedFiles(PUBLIC).keySet())
        .isEqualTo(rendered.configFiles().keySet())
        .contains("swanctl.conf");
    assertThat(plan.listedFiles(SECRET).keySet()).isEqualTo(rendered.secretFiles().keySet());
    rendered
        .configFiles()
        .forEach(
            (path, text) ->
                assertThat(plan.listedFiles(PUBLIC).get(path))
                    .as(path)
                    .isEqualTo(ConfigManifest.sha256(text.getBytes(StandardCharsets.UTF_8))));
    rendered
        .secretFiles()
        .forEach(
            (path, bytes) ->
                assertThat(plan.listedFiles(SECRET).get(path))
                    .as(path)
                    .isEqualTo(ConfigManifest.sha256(bytes)));
    assertThat(plan.publicManifest().revision())
        .isEqualTo(plan.secretManifest().revision())
        .isEqualTo(plan.revision());

    // the roots list swanctl.conf and the shards' manifests, the secret ones only in the Secret
    assertThat(plan.publicManifest().files().keySet())
        .containsExactly("manifests/config-0.json", "swanctl.conf");
    assertThat(plan.secretManifest().files().keySet()).containsExactly("manifests/secrets-0.json");
    assertThat(plan.rootConfigMap()).containsOnlyKeys("swanctl.conf", ConfigManifest.PUBLIC_FILE);
    assertThat(ConfigManifestJson.read(plan.rootConfigMap().get(ConfigManifest.PUBLIC_FILE)))
        .isEqualTo(plan.publicManifest());
    assertThat(plan.rootConfigMap().get(ConfigManifest.PUBLIC_FILE)).doesNotContain("secrets");
    assertThat(plan.rootSecret()).containsOnlyKeys(ConfigManifest.SECRET_FILE);
    assertThat(ConfigManifestJson.read(plan.rootSecret().get(ConfigManifest.SECRET_FILE)))
        .isEqualTo(plan.secretManifest());
    assertThat(plan.configShards())
        .allSatisfy(s -> assertThat(s.data().keySet()).noneMatch(k -> k.startsWith("secrets")));

    // the volume holds exactly the listed files (plus the roots), under their flat keys
    assertThat(plan.publicVolumeFiles().keySet().stream().map(ConfigShards::path))
        .containsExactlyInAnyOrderElementsOf(
            concat(
                concat(plan.listedFiles(PUBLIC).keySet(), ConfigManifest.PUBLIC_FILE),
                "manifests/config-0.json"));
    assertThat(plan.secretVolumeFiles().keySet().stream().map(ConfigShards::path))
        .containsExactlyInAnyOrderElementsOf(
            concat(
                concat(plan.listedFiles(SECRET).keySet(), ConfigManifest.SECRET_FILE),
                "manifests/secrets-0.json"));
  }

  @Test
  void everyShardCarriesTheManifestOfExactlyItsFilesAndTheRootListsItsBytes() {
    RenderedGateway rendered = rendering(400, i -> 600 + i, i -> 150);
    ConfigVolumePlan plan = new ConfigVolumePlanner(32 * 1024).plan(rendered, VERSIONS, 0, 0);

    assertThat(plan.configShards()).hasSizeGreaterThan(4);
    assertThat(plan.secretShards()).hasSizeGreaterThan(1);
    assertShardManifests(
        plan.configShards(), PUBLIC, plan, v -> v.getBytes(StandardCharsets.UTF_8));
    assertShardManifests(plan.secretShards(), SECRET, plan, v -> v);
    assertThat(plan.publicManifest().files()).hasSize(plan.configShards().size() + 1);
    assertThat(plan.secretManifest().files()).hasSameSizeAs(plan.secretShards());
    assertFits(plan, 32 * 1024);
  }

  private static <V> void assertShardManifests(
      List<ConfigShards.Shard<V>> shards,
      ConfigManifest.Side side,
      ConfigVolumePlan plan,
      Function<V, byte[]> bytes) {
    ConfigManifest root = side == PUBLIC ? plan.publicManifest() : plan.secretManifest();
    for (ConfigShards.Shard<V> shard : shards) {
      String path = ConfigManifest.shardManifestPath(side, shard.index());
      byte[] stored = bytes.apply(shard.data().get(ConfigShards.key(path)));
      assertThat(stored).as(path).isNotNull();
      assertThat(root.matches(path, stored)).as(path).isTrue();
      ConfigManifest manifest = ConfigManifestJson.read(stored);
      assertThat(manifest).isEqualTo(plan.shardManifests().get(path));
      Map<String, byte[]> files = new TreeMap<>();
      shard.data().forEach((k, v) -> files.put(ConfigShards.path(k), bytes.apply(v)));
      files.remove(path);
      assertThat(manifest.files().keySet()).as(path).isEqualTo(files.keySet());
      files.forEach((p, content) -> assertThat(manifest.matches(p, content)).as(p).isTrue());
    }
  }

  @Test
  void anEditOfOnePeerRewritesItsShardAndTheRootsOnly() {
    ConfigVolumePlanner planner = new ConfigVolumePlanner(16 * 1024);
    ConfigVolumePlan before = planner.plan(rendering(200, i -> 500, i -> 100), VERSIONS, 0, 0);
    int configCount = before.configShards().size();
    int secretCount = before.secretShards().size();
    assertThat(configCount).isGreaterThan(4);
    // peer-7 gets a longer conf.d file: same shard counts, as the operator finds them
    ConfigVolumePlan after =
        planner.plan(
            rendering(200, i -> i == 7 ? 520 : 500, i -> 100), VERSIONS, configCount, secretCount);

    int shardOf7 = ConfigShards.shardOf("peer-7", configCount);
    assertThat(after.configShards()).hasSameSizeAs(before.configShards());
    for (int i = 0; i < configCount; i++) {
      ConfigShards.Shard<String> a = before.configShards().get(i);
      ConfigShards.Shard<String> b = after.configShards().get(i);
      if (a.index() == shardOf7) {
        assertThat(b.data()).as("shard of peer-7").isNotEqualTo(a.data());
      } else {
        assertThat(b.data()).as("config shard %d", a.index()).isEqualTo(a.data());
      }
    }
    assertThat(flatSecrets(after)).isEqualTo(flatSecrets(before));
    assertThat(after.rootConfigMap()).isNotEqualTo(before.rootConfigMap());
    assertThat(after.revision()).isNotEqualTo(before.revision());
    // the root Secret names the revision, so it follows, with the same shard manifests
    assertThat(after.secretManifest().files()).isEqualTo(before.secretManifest().files());
  }

  @Test
  void theSameInputGivesTheSameBytesAndOtherShardCountsTheSameFiles() {
    RenderedGateway rendered = rendering(150, i -> 600 + i, i -> 150);
    ConfigVolumePlanner planner = new ConfigVolumePlanner(16 * 1024);
    ConfigVolumePlan fresh = planner.plan(rendered, VERSIONS, 0, 0);
    ConfigVolumePlan again = planner.plan(rendering(150, i -> 600 + i, i -> 150), VERSIONS, 0, 0);
    ConfigVolumePlan grown = planner.plan(rendered, VERSIONS, 32, 32);

    assertThat(flat(again)).isEqualTo(flat(fresh));
    assertThat(again.configShards()).hasSameSizeAs(fresh.configShards());
    // more shards than needed spread the same files differently, each shard with its manifest:
    // the same files and revision, other shard manifests
    assertThat(grown.configShards().size()).isGreaterThan(fresh.configShards().size());
    assertThat(withoutManifests(grown)).isEqualTo(withoutManifests(fresh));
    assertThat(grown.listedFiles(PUBLIC)).isEqualTo(fresh.listedFiles(PUBLIC));
    assertThat(grown.listedFiles(SECRET)).isEqualTo(fresh.listedFiles(SECRET));
    assertThat(grown.revision()).isEqualTo(fresh.revision());
    assertThat(grown.publicManifest()).isNotEqualTo(fresh.publicManifest());
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
    // 20,000 bytes of file, its key and its line in the shard's manifest
    int room = limit - ShardManifests.overhead(PUBLIC);
    assertThat(error.message())
        .contains("take " + (20_000 + 20 + 19 + ShardManifests.LINE_OVERHEAD) + " bytes")
        .contains("ConfigMap")
        .contains("(" + room + " bytes: " + limit + " less its manifest's header)")
        .contains("fewer tunnels");
    assertThat(plan.placedConnections()).hasSize(99).doesNotContain("peer-42");
    assertThat(plan.listedFiles(PUBLIC)).doesNotContainKey("conf.d/peer-42.conf");
    assertThat(plan.listedFiles(SECRET)).doesNotContainKey("secrets.d/peer-42.conf");
    assertThat(plan.listedFiles(PUBLIC)).containsKey("conf.d/peer-41.conf");
    assertThat(planner.tooLarge(rendered)).isEqualTo(Map.of("peer-42", error));
    assertFits(plan, limit);
  }

  @Test
  void whenEveryShardIsFullPeersLeaveTheOverflowingShardLargestFirst() {
    int limit = 16 * 1024;
    // 150 peers of about 4 KiB: more than 32 shards of 16 KiB hold
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
  void theRootsListShardsNotPeersAndFitTheLeastLimitAtEveryShard() {
    int limit = ConfigVolumePlanner.MIN_OBJECT_BYTES;
    // peers in every one of 32 shards of both kinds: the roots list 33 and 32 lines
    RenderedGateway rendered = rendering(400, i -> 500, i -> 300);
    ConfigVolumePlan plan = new ConfigVolumePlanner(limit).plan(rendered, VERSIONS, 32, 32);

    assertThat(plan.configShards()).hasSize(ConfigShards.MAX_SHARDS);
    assertThat(plan.secretShards()).hasSize(ConfigShards.MAX_SHARDS);
    assertThat(plan.publicManifest().files()).hasSize(ConfigShards.MAX_SHARDS + 1);
    assertThat(plan.secretManifest().files()).hasSize(ConfigShards.MAX_SHARDS);
    assertFits(plan, limit);
    // no message of a full gateway names the roots any more: only a full shard leaves peers out
    assertThat(plan.leftOut().values())
        .allSatisfy(e -> assertThat(e.message()).contains("shard").doesNotContain("manifest.json"));
  }

  @Test
  void anObjectMustHoldTheRootsOfThirtyTwoShards() {
    assertThatThrownBy(() -> new ConfigVolumePlanner(ConfigVolumePlanner.MIN_OBJECT_BYTES - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least " + ConfigVolumePlanner.MIN_OBJECT_BYTES);
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

  /** Every file of the volume but the manifests, by flat key. */
  private static Map<String, String> withoutManifests(ConfigVolumePlan plan) {
    Map<String, String> files = new TreeMap<>(flat(plan));
    files.keySet().removeIf(k -> k.startsWith("manifests..") || k.endsWith("manifest.json"));
    return files;
  }

  private static Map<String, String> flatSecrets(ConfigVolumePlan plan) {
    Map<String, String> files = new TreeMap<>();
    plan.secretShards()
        .forEach(
            s -> s.data().forEach((k, v) -> files.put(k, new String(v, StandardCharsets.UTF_8))));
    return files;
  }

  private static List<String> concat(Collection<String> paths, String extra) {
    return Stream.concat(paths.stream(), Stream.of(extra)).toList();
  }
}
