package dev.ipsec.operator.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipsec.operator.volume.ConfigShards.Shard;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConfigShardsTest {

  static SortedMap<String, String> files(int peers, int size) {
    SortedMap<String, String> files = new TreeMap<>();
    for (int i = 0; i < peers; i++) {
      files.put("conf.d/peer-" + i + ".conf", "x".repeat(size));
    }
    return files;
  }

  static Set<String> connections(int peers) {
    return IntStream.range(0, peers)
        .mapToObj(i -> "peer-" + i)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void keysEncodePathsReversibly() {
    assertThat(ConfigShards.key("conf.d/peer-a.conf"))
        .isEqualTo("conf.d..peer-a.conf")
        .doesNotContain("/");
    assertThat(ConfigShards.path(ConfigShards.key("x509ca/peer-a-ca-0.pem")))
        .isEqualTo("x509ca/peer-a-ca-0.pem");
    assertThatThrownBy(() -> ConfigShards.key("conf.d/../x"))
        .isInstanceOf(IllegalArgumentException.class);
    // would decode as "a/.b" or be taken for the kubelet's own ..data entries
    assertThatThrownBy(() -> ConfigShards.key("a./b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConfigShards.key(".data/x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCountGrowsUpToTheCeilingAndNoFurther() {
    var shards =
        ConfigShards.split(files(600, 1000), connections(600), 0, 40_000, ConfigShards::textSize);
    assertThat(shards).allSatisfy(s -> assertThat(s.index()).isLessThan(ConfigShards.MAX_SHARDS));
    assertThat(shards.stream().mapToInt(s -> s.data().size()).sum()).isEqualTo(600);
    // a current count above the ceiling (an older operator) is capped, not kept
    assertThat(
            ConfigShards.split(files(2, 10), connections(2), 1024, 100_000, ConfigShards::textSize))
        .allSatisfy(s -> assertThat(s.index()).isLessThan(ConfigShards.MAX_SHARDS));
    // past the ceiling no count helps: the count stops there, and a shard stays too full (the
    // planner leaves peers out before it assigns files)
    var overflowing =
        ConfigShards.split(files(600, 1000), connections(600), 0, 10_000, ConfigShards::textSize);
    assertThat(overflowing.stream().mapToInt(Shard::index).max().orElseThrow())
        .isEqualTo(ConfigShards.MAX_SHARDS - 1);
    assertThat(overflowing.stream().mapToInt(s -> s.data().size()).max().orElseThrow() * 1000)
        .isGreaterThan(10_000);
  }

  @Test
  void everyShardStaysUnderTheLimitAndNothingIsLost() {
    var shards =
        ConfigShards.split(files(300, 1000), connections(300), 0, 20_000, ConfigShards::textSize);
    assertThat(shards)
        .allSatisfy(
            s ->
                assertThat(
                        s.data().entrySet().stream()
                            .mapToInt(e -> e.getKey().length() + e.getValue().length())
                            .sum())
                    .isLessThanOrEqualTo(20_000));
    assertThat(shards.stream().mapToInt(s -> s.data().size()).sum()).isEqualTo(300);
  }

  @Test
  void filesOfOnePeerShareItsShardAndThePlacementIsStable() {
    SortedMap<String, String> files = files(40, 100);
    files.put("x509/peer-7.pem", "cert");
    files.put("x509ca/peer-7-ca-0.pem", "ca");
    files.put("pubkey/peer-7-remote.pem", "key");
    var first = ConfigShards.split(files, connections(40), 0, 1500, ConfigShards::textSize);
    var again =
        ConfigShards.split(new TreeMap<>(files), connections(40), 0, 1500, ConfigShards::textSize);
    assertThat(again).isEqualTo(first);
    List<Integer> holding =
        first.stream()
            .filter(
                s ->
                    s.data().keySet().stream()
                        .anyMatch(k -> ConfigShards.path(k).contains("peer-7")))
            .map(ConfigShards.Shard::index)
            .toList();
    assertThat(holding).hasSize(1);
  }

  @Test
  void editingOnePeerChangesOnlyItsShard() {
    SortedMap<String, String> files = files(50, 100);
    var before = ConfigShards.split(files, connections(50), 0, 1500, ConfigShards::textSize);
    files.put("conf.d/peer-3.conf", "y".repeat(100));
    var after =
        ConfigShards.split(files, connections(50), before.size(), 1500, ConfigShards::textSize);
    long changed =
        IntStream.range(0, before.size()).filter(i -> !before.get(i).equals(after.get(i))).count();
    assertThat(after).hasSameSizeAs(before);
    assertThat(changed).isEqualTo(1);
  }

  @Test
  void theShardCountNeverShrinks() {
    var shards =
        ConfigShards.split(files(2, 10), connections(2), 8, 100_000, ConfigShards::textSize);
    assertThat(shards).allSatisfy(s -> assertThat(s.index()).isLessThan(8));
    assertThat(ConfigShards.shardOf("peer-1", 8)).isEqualTo(ConfigShards.shardOf("peer-1", 8));
  }

  @Test
  void aFileBelongsToThePeerItsFolderNamesEvenWhenAnotherPeerHasASuffixedName() {
    Set<String> peers = Set.of("a", "a-local", "a-ca-0");
    assertThat(ConfigShards.owner("conf.d/a-local.conf", peers)).isEqualTo("a-local");
    assertThat(ConfigShards.owner("secrets.d/a-local.conf", peers)).isEqualTo("a-local");
    assertThat(ConfigShards.owner("x509/a-local.pem", peers)).isEqualTo("a-local");
    assertThat(ConfigShards.owner("private/a-local.pem", peers)).isEqualTo("a-local");
    assertThat(ConfigShards.owner("pubkey/a-local.pem", peers)).isEqualTo("a");
    assertThat(ConfigShards.owner("pubkey/a-remote.pem", peers)).isEqualTo("a");
    assertThat(ConfigShards.owner("x509ca/a-ca-0.pem", peers)).isEqualTo("a");
    assertThat(ConfigShards.owner("x509ca/a-ca-0-ca-1.pem", peers)).isEqualTo("a-ca-0");
    assertThat(ConfigShards.owner("conf.d/a-ca-0.conf", peers)).isEqualTo("a-ca-0");
    // no peer of that name, or no rendered folder: the file is an owner of its own
    assertThat(ConfigShards.owner("conf.d/b.conf", peers)).isEqualTo("conf.d/b.conf");
    assertThat(ConfigShards.owner("swanctl.conf", peers)).isEqualTo("swanctl.conf");
    assertThat(ConfigShards.owner("other/a.pem", peers)).isEqualTo("other/a.pem");
  }
}
