package dev.ipsec.operator.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.render.RenderedGateway;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How many peers of one kind fit on a gateway at the operator's limit (32 shards of 900 KiB of each
 * kind, every shard with its own manifest), by the planner alone: the most peers {@code peer-0..}
 * that are placed together, found by bisection. PSK peers are {@code ScaleBenchmark}'s; x509 and
 * RSA peers copies of the examples' (P-256 certificates, RSA-2048 keys). Run with {@code mvn -o -q
 * -pl operator test -Pbenchmark -Dtest=PlacementCeilingBenchmark}.
 */
@Tag("benchmark")
class PlacementCeilingBenchmark {

  private static final ConfigVolumePlanner PLANNER =
      new ConfigVolumePlanner(GatewayDefaults.DEFAULT_MAX_SHARD_BYTES);
  private static final Path EXAMPLES =
      Path.of(System.getProperty("project.root", ".."), "examples");

  @Test
  void peersThatFitOnOneGateway() throws Exception {
    print("PSK", ManyPeerGateways.psk(45_000));
    print(
        "x509 (examples/x509)",
        ManyPeerGateways.example(
            EXAMPLES.resolve("x509/x509-site-to-site.yaml"), "x509-site-a", 20_000));
    print(
        "RSA (examples/rsa)",
        ManyPeerGateways.example(
            EXAMPLES.resolve("rsa/rsa-site-to-site.yaml"), "rsa-site-a", 20_000));
    RenderedGateway twoThousand = ManyPeerGateways.psk(2_000);
    ConfigVolumePlan plan = PLANNER.plan(twoThousand, ManyPeerGateways.VERSIONS, 0, 0);
    System.out.printf(
        "PlacementCeilingBenchmark: 2,000 PSK peers: %d config shards, the fullest %d KiB; %d"
            + " secret shards, the fullest %d KiB%n",
        plan.configShards().size(),
        fullest(plan.configShards(), v -> ConfigShards.textSize(v)) / 1024,
        plan.secretShards().size(),
        fullest(plan.secretShards(), ConfigShards::secretSize) / 1024);
  }

  private static void print(String kind, RenderedGateway all) {
    assertThat(all.peerErrors()).isEmpty();
    long start = System.nanoTime();
    int ceiling = ManyPeerGateways.ceiling(PLANNER, all);
    ConfigVolumePlan plan =
        PLANNER.plan(ManyPeerGateways.first(all, ceiling), ManyPeerGateways.VERSIONS, 0, 0);
    ConfigVolumePlan over =
        PLANNER.plan(ManyPeerGateways.first(all, ceiling + 1), ManyPeerGateways.VERSIONS, 0, 0);
    System.out.printf(
        "PlacementCeilingBenchmark: %s peers: %,d fit on one gateway (%d config shards, the"
            + " fullest %d KiB; %d secret shards, the fullest %d KiB); the next is left out: %s"
            + " (%.1f s)%n",
        kind,
        ceiling,
        plan.configShards().size(),
        fullest(plan.configShards(), v -> ConfigShards.textSize(v)) / 1024,
        plan.secretShards().size(),
        fullest(plan.secretShards(), ConfigShards::secretSize) / 1024,
        over.leftOut().values().iterator().next().message(),
        (System.nanoTime() - start) / 1e9);
  }

  private static <V> long fullest(List<ConfigShards.Shard<V>> shards, ToIntFunction<V> size) {
    return shards.stream()
        .mapToLong(
            s ->
                s.data().entrySet().stream()
                    .mapToLong(e -> e.getKey().length() + size.applyAsInt(e.getValue()))
                    .sum())
        .max()
        .orElse(0);
  }
}
