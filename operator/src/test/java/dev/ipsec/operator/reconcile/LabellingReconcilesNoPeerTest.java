package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.status.Conditions;
import io.fabric8.kubernetes.api.model.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The {@code ipsec.dev/referenced} label the operator puts on a Secret its peers name changes the
 * Secret's resourceVersion and nothing they read: the labelled cache's first sight of it reconciles
 * none of the peers that read it by GET just before. A real change of the Secret's data still
 * reaches every peer and the gateway's files. Before, the cache's first sight of the Secret
 * reconciled every peer that names it once more: N more reconciles for N peers.
 */
class LabellingReconcilesNoPeerTest {

  static final int PEERS = 40;
  static final Set<String> NAMES =
      IntStream.range(0, PEERS).mapToObj(i -> "peer-" + i).collect(Collectors.toSet());

  @Test
  void labellingTheSecretReconcilesNoPeerAndAChangeOfItsDataReachesEveryPeer() throws Exception {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    try (OperatorHarness k8s = new OperatorHarness()) {
      GatewayVolume volume = new GatewayVolume(k8s.client, "gw");
      k8s.create(TestResources.ikeGroup("ike", 14));
      k8s.create(TestResources.espGroup("esp"));
      k8s.create(TestResources.pskSecret("psk", "labelling-test-psk-1")); // not labelled
      k8s.create(TestResources.gateway("gw"));
      k8s.start(OperatorHarness.settings().withMetrics(metrics));
      // what the shared cache tells the controllers about the Secret, from before its label
      List<String> told = new CopyOnWriteArrayList<>();
      k8s.operator()
          .referencedObjects()
          .addListener(Secret.class, s -> told.add(s.getMetadata().getResourceVersion()));
      eventually(() -> assertThat(volume.revision()).isNotNull());
      double before = peerReconciles(metrics);

      for (int i = 0; i < PEERS; i++) {
        k8s.create(TestResources.pskPeer("peer-" + i, "gw", "ike", "esp", "psk", i));
      }
      eventually(
          () -> {
            assertThat(validPeers(k8s)).isEqualTo(PEERS);
            assertThat(pskOfEveryPeer(volume)).containsExactly("labelling-test-psk-1");
          });
      volume.awaitQuiet();
      Thread.sleep(2000); // whatever is left to do
      double settled = peerReconciles(metrics);
      System.out.printf(
          "LabellingReconcilesNoPeerTest: %d peers, %.0f peer reconciles until settled%n",
          PEERS, settled - before);
      assertThat(k8s.client.secrets().inNamespace("vpn").withName("psk").get().getMetadata())
          .satisfies(
              m ->
                  assertThat(m.getLabels())
                      .containsEntry(Labels.REFERENCED, Labels.REFERENCED_VALUE));
      assertThat(k8s.operator().referencedObjects().get(Secret.class, "vpn", "psk")).isPresent();
      // every peer read the Secret as the cache then saw it: its arrival told nobody
      assertThat(told).as("Secret versions told to the controllers").isEmpty();

      Secret changed = k8s.client.secrets().inNamespace("vpn").withName("psk").get();
      changed.setData(Map.of("psk", base64("labelling-test-psk-2")));
      k8s.client.resource(changed).update();
      eventually(
          () -> {
            assertThat(told).hasSize(1);
            assertThat(pskOfEveryPeer(volume)).containsExactly("labelling-test-psk-2");
            assertThat(peerReconciles(metrics))
                .as("every peer is reconciled for the new data")
                .isGreaterThanOrEqualTo(settled + PEERS);
          });
      assertThat(validPeers(k8s)).isEqualTo(PEERS);
    }
  }

  /** Which of the test's keys the gateway's files hold, over all peers. */
  private static Set<String> pskOfEveryPeer(GatewayVolume volume) {
    Set<String> psks = new TreeSet<>();
    for (String peer : NAMES) {
      String file = volume.peerFiles(peer, NAMES).get("secrets.d/" + peer + ".conf");
      String text =
          file == null ? "" : new String(Base64.getDecoder().decode(file), StandardCharsets.UTF_8);
      psks.add(
          text.contains("labelling-test-psk-2")
              ? "labelling-test-psk-2"
              : text.contains("labelling-test-psk-1") ? "labelling-test-psk-1" : "none: " + peer);
    }
    return psks;
  }

  private static long validPeers(OperatorHarness k8s) {
    return k8s.client.resources(IpsecPeer.class).inNamespace("vpn").list().getItems().stream()
        .filter(p -> p.getStatus() != null)
        .filter(p -> Conditions.isTrue(p.getStatus().getConditions(), "Valid"))
        .count();
  }

  /** Peer reconciles started so far, from JOSDK's metrics. */
  private static double peerReconciles(SimpleMeterRegistry metrics) {
    return metrics.getMeters().stream()
        .filter(m -> m.getId().getName().endsWith("reconciliations.started"))
        .filter(m -> m.getId().getTags().toString().toLowerCase().contains("ipsecpeer"))
        .mapToDouble(
            m -> metrics.get(m.getId().getName()).tags(m.getId().getTags()).counter().count())
        .sum();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
