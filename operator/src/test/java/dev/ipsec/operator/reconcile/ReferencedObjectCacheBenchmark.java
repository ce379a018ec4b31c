package dev.ipsec.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.status.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What 5,000 Secrets that no peer refers to, of 100 KiB each, cost the operator's heap: target
 * within 20 MiB of the same operator on the same API server without them. Run with {@code mvn -B -o
 * -ntp -pl operator -am test -Pbenchmark -Dtest=ReferencedObjectCacheBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>How it measures, and why so: the API server (the fabric8 mock server of the other tests, with
 * the CRDs) runs in a process of its own ({@link ApiServerProcess}), so the half a GiB of Secrets
 * it stores is not in the heap measured; this JVM holds the operator and the test alone, as a pod
 * holds the operator. The figure is the whole heap in use after GC, not an estimate of the caches'
 * contents, so anything the operator keeps of those Secrets counts, wherever it keeps it. Both runs
 * are the same operator, started with a new client on the same API server holding a gateway, three
 * PSK peers and their Secrets (labelled by the operator on the first run); the first run also loads
 * the classes, so the second sees only what the Secrets add. The 5,000 Secrets are created between
 * the runs, with random data, so nothing can share them.
 */
@Tag("benchmark")
class ReferencedObjectCacheBenchmark {

  static final int UNRELATED = 5000;
  static final int SECRET_BYTES = 100 * 1024;
  static final int PEERS = 3;
  static final long LIMIT = 20L * 1024 * 1024;

  @Test
  void fiveThousandUnrelatedSecretsLeaveTheHeapAlone() throws Exception {
    try (ApiServerProcess api = ApiServerProcess.start();
        KubernetesClient client = api.client()) {
      client.resource(TestResources.ikeGroup("ike", 14)).create();
      client.resource(TestResources.espGroup("esp")).create();
      client.resource(TestResources.gateway("gw")).create();
      for (int i = 0; i < PEERS; i++) {
        client.resource(TestResources.pskSecret("psk-" + i, "benchmark-psk-" + i)).create();
        client
            .resource(TestResources.pskPeer("peer-" + i, "gw", "ike", "esp", "psk-" + i, i))
            .create();
      }

      long baseline = heapWithOperator(api);

      long creating = System.nanoTime();
      Random random = new Random(14);
      byte[] data = new byte[SECRET_BYTES];
      for (int i = 0; i < UNRELATED; i++) {
        random.nextBytes(data);
        client
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName("unrelated-" + i)
                    .withNamespace(OperatorHarness.NS)
                    .endMetadata()
                    .withData(Map.of("blob", Base64.getEncoder().encodeToString(data)))
                    .build())
            .create();
      }
      System.out.printf(
          "ReferencedObjectCacheBenchmark: %d unrelated Secrets of %d KiB created in the API server"
              + " process in %.1f s (%d MiB of data)%n",
          UNRELATED,
          SECRET_BYTES / 1024,
          (System.nanoTime() - creating) / 1e9,
          (long) UNRELATED * SECRET_BYTES / (1024 * 1024));

      long loaded = heapWithOperator(api);
      long difference = loaded - baseline;
      System.out.printf(
          "ReferencedObjectCacheBenchmark: operator heap after GC without them %.1f MiB, with them"
              + " %.1f MiB, difference %+.1f MiB (limit %d MiB)%n",
          mib(baseline), mib(loaded), mib(difference), LIMIT / (1024 * 1024));
      assertThat(difference).isLessThanOrEqualTo(LIMIT);
    }
  }

  /**
   * Starts the operator with a client of its own, waits until every peer is valid and the gateway's
   * volume is quiet, measures the heap after GC with the operator running, stops it.
   */
  private static long heapWithOperator(ApiServerProcess api) throws InterruptedException {
    try (KubernetesClient client = api.client()) {
      IpsecOperator operator = IpsecOperator.start(client, OperatorHarness.settings());
      try {
        Awaitility.await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> allValid(client));
        awaitQuiet(client);
        assertThat(operator.referencedObjects().size(Secret.class)).isEqualTo(PEERS);
        assertThat(operator.referencedObjects().size(ConfigMap.class)).isZero();
        return ScaleBenchmark.heapAfterGc();
      } finally {
        operator.close();
      }
    }
  }

  /**
   * Until the gateway's objects and the peers stay the same for two seconds. Not {@link
   * GatewayVolume#awaitQuiet}: it lists every Secret of the namespace, 500 MiB here, into this
   * heap.
   */
  private static void awaitQuiet(KubernetesClient client) {
    var last = new AtomicReference<String>("");
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              StringBuilder now = new StringBuilder();
              client
                  .configMaps()
                  .inNamespace(OperatorHarness.NS)
                  .withLabel(Labels.GATEWAY, "gw")
                  .list()
                  .getItems()
                  .forEach(
                      r ->
                          now.append(r.getMetadata().getName())
                              .append(r.getMetadata().getResourceVersion()));
              client
                  .secrets()
                  .inNamespace(OperatorHarness.NS)
                  .withLabel(Labels.GATEWAY, "gw")
                  .list()
                  .getItems()
                  .forEach(
                      r ->
                          now.append(r.getMetadata().getName())
                              .append(r.getMetadata().getResourceVersion()));
              client
                  .resources(IpsecPeer.class)
                  .inNamespace(OperatorHarness.NS)
                  .list()
                  .getItems()
                  .forEach(
                      r ->
                          now.append(r.getMetadata().getName())
                              .append(r.getMetadata().getResourceVersion()));
              return now.toString().equals(last.getAndSet(now.toString()));
            });
  }

  private static boolean allValid(KubernetesClient client) {
    var peers = client.resources(IpsecPeer.class).inNamespace(OperatorHarness.NS).list();
    return peers.getItems().size() == PEERS
        && peers.getItems().stream()
            .allMatch(
                p ->
                    p.getStatus() != null
                        && Conditions.isTrue(p.getStatus().getConditions(), "Valid"));
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
