package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code demo --chaos} calls churn, seen by watching the peers as a GitOps tool does. */
class ChurnWatchTest {
  private EmbeddedApiServer server;
  private KubernetesClient client;
  private IpsecPeer peer;

  @BeforeEach
  void start() throws Exception {
    server = new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0);
    client = server.client();
    try (var in = EmbeddedApiServerTest.class.getResourceAsStream("peer.yaml")) {
      peer = client.getKubernetesSerialization().unmarshal(in, IpsecPeer.class);
    }
    peer = client.resource(peer).inNamespace("default").create();
    peer = writeReady("True");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aWriteThatChangesNothingMakesNoVersionAndAReadyFlipIsRecorded() {
    try (ChurnWatch watch = ChurnWatch.start(client, "default")) {
      writeReady("True"); // the same status again: no new version, nothing to see
      writeReady("False");
      writeReady("True");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> watch.readiness().get("ipsecpeers/branch").size() == 3);
      assertThat(watch.readiness().get("ipsecpeers/branch"))
          .containsExactly("True", "False", "True");
      assertThat(watch.statusChanges()).containsExactly(Map.entry("ipsecpeers/branch", 2));
    }
  }

  @Test
  void aQuietPeerShowsOneReadinessAndNoWrite() throws Exception {
    try (ChurnWatch watch = ChurnWatch.start(client, "default")) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> watch.readiness().containsKey("ipsecpeers/branch"));
      Thread.sleep(500);
      assertThat(watch.readiness().get("ipsecpeers/branch")).containsExactly("True");
      assertThat(watch.statusChanges()).isEmpty();
    }
  }

  private IpsecPeer writeReady(String ready) {
    IpsecPeer current =
        client.resources(IpsecPeer.class).inNamespace("default").withName("branch").get();
    IpsecPeerStatus status = new IpsecPeerStatus();
    status.setObservedGeneration(1L);
    Condition condition = new Condition("Ready", ready, "TunnelsUp", "all up");
    // metav1.Condition's schema requires the transition time
    condition.setLastTransitionTime("2026-12-06T10:00:00Z");
    status.setConditions(List.of(condition));
    current.setStatus(status);
    return client.resource(current).inNamespace("default").updateStatus();
  }
}
