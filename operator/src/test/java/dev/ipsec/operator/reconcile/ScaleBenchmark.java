package dev.ipsec.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.status.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 2,000 and 10,000 peers on one gateway, through the real operator on the mock API server: the time
 * until every peer's file is in its shard and every peer has its status, and the heap. Targets
 * (issue 17) for 10,000: in their shards within 10 s, all with status within 20 s, heap at most 256
 * MiB. The heap is the test JVM's, mock API server included, so it is an upper bound of the
 * operator's. Prints the figures against the targets, asserts no time. Run with {@code mvn -B -o
 * -ntp -pl operator -am test -Pbenchmark -Dtest=ScaleBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class ScaleBenchmark {

  static final double SHARDS_TARGET_SECONDS = 10;
  static final double STATUS_TARGET_SECONDS = 20;
  static final long HEAP_TARGET_MIB = 256;

  @ParameterizedTest(name = "{0} peers")
  @ValueSource(ints = {2000, 10_000})
  void peersOfOneGatewayReconcileToTheirShards(int peers) {
    try (OperatorHarness k8s = new OperatorHarness()) {
      // the API state first, then the operator: the figures are the operator's, not the mock
      // API server's (whose writes slow down with every watch it serves)
      k8s.create(TestResources.ikeGroup("ike", 14));
      k8s.create(TestResources.espGroup("esp"));
      k8s.create(TestResources.pskSecret("psk", "benchmark-psk"));
      k8s.create(TestResources.gateway("gw"));
      long creating = System.nanoTime();
      for (int i = 0; i < peers; i++) {
        k8s.create(TestResources.pskPeer("peer-" + i, "gw", "ike", "esp", "psk", i));
      }
      System.out.printf(
          "ScaleBenchmark: %d peers created in the mock API server in %.1f s%n",
          peers, secs(System.nanoTime() - creating));
      long start = System.nanoTime();
      k8s.start();
      long created = System.nanoTime();
      Awaitility.await()
          .atMost(Duration.ofMinutes(15))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> confFiles(k8s) == peers);
      long rendered = System.nanoTime();
      Awaitility.await()
          .atMost(Duration.ofMinutes(15))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  k8s
                      .client
                      .resources(IpsecPeer.class)
                      .inNamespace("vpn")
                      .list()
                      .getItems()
                      .stream()
                      .allMatch(
                          p ->
                              p.getStatus() != null
                                  && Conditions.isTrue(p.getStatus().getConditions(), "Valid")));
      long statused = System.nanoTime();

      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      System.gc();
      long heap = memory.getHeapMemoryUsage().getUsed();
      List<ConfigMap> shards =
          k8s.client
              .configMaps()
              .inNamespace("vpn")
              .withLabel(Labels.GATEWAY, "gw")
              .list()
              .getItems();
      long largest =
          shards.stream()
              .mapToLong(
                  cm ->
                      cm.getData().entrySet().stream()
                          .mapToLong(e -> e.getKey().length() + e.getValue().length())
                          .sum())
              .max()
              .orElse(0);
      System.out.printf(
          "ScaleBenchmark: %d peers; operator started in %.1f s; all in their shards after %.1f s;"
              + " all with status after %.1f s; %d ConfigMaps, largest %d KiB;"
              + " heap after GC %d MiB (test JVM: mock API server + operator)%n",
          peers,
          secs(created - start),
          secs(rendered - start),
          secs(statused - start),
          shards.size(),
          largest / 1024,
          heap / (1024 * 1024));
      System.out.printf(
          "ScaleBenchmark: %d peers against the 10,000-peer targets: shards %.1f s / %.0f s (%s),"
              + " status %.1f s / %.0f s (%s), heap %d MiB / %d MiB (%s)%n",
          peers,
          secs(rendered - start),
          SHARDS_TARGET_SECONDS,
          verdict(secs(rendered - start) <= SHARDS_TARGET_SECONDS),
          secs(statused - start),
          STATUS_TARGET_SECONDS,
          verdict(secs(statused - start) <= STATUS_TARGET_SECONDS),
          heap / (1024 * 1024),
          HEAP_TARGET_MIB,
          verdict(heap / (1024 * 1024) <= HEAP_TARGET_MIB));
      assertThat(largest).isLessThanOrEqualTo(GatewayDefaults.DEFAULT_MAX_SHARD_BYTES);
    }
  }

  private static String verdict(boolean met) {
    return met ? "met" : "MISSED";
  }

  static int confFiles(OperatorHarness k8s) {
    return k8s
        .client
        .configMaps()
        .inNamespace("vpn")
        .withLabel(Labels.GATEWAY, "gw")
        .list()
        .getItems()
        .stream()
        .mapToInt(
            cm -> (int) cm.getData().keySet().stream().filter(k -> k.startsWith("conf.d")).count())
        .sum();
  }

  static double secs(long nanos) {
    return nanos / 1e9;
  }
}
