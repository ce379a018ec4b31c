package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.GatewayPodStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.api.v1alpha1.PeerTotals;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code demo --chaos} calls lost: the running state before a fault and after differ. */
class RunningStateTest {

  @Test
  void aNewPodWithTheSameConfigurationLosesNothing() {
    Map<String, String> before =
        RunningState.of(List.of(peer(3L)), List.of(gateway("pod-0", "r1")));
    Map<String, String> after =
        RunningState.of(List.of(peer(3L)), List.of(gateway("pod-xk2b9", "r1")));

    assertThat(RunningState.lost(before, after)).isEmpty();
  }

  @Test
  void aDroppedRunningGenerationOrAnotherRevisionIsLost() {
    Map<String, String> before =
        RunningState.of(List.of(peer(3L)), List.of(gateway("pod-0", "r1")));
    Map<String, String> after =
        RunningState.of(List.of(peer(null)), List.of(gateway("pod-0", "r0")));

    assertThat(RunningState.lost(before, after))
        .containsExactly(
            "ipsecglobals/gw configRevision r1 -> r0", "ipsecpeers/a runningGeneration 3 -> null");
  }

  @Test
  void aPeerThatIsGoneIsLost() {
    Map<String, String> before = RunningState.of(List.of(peer(3L)), List.of());
    assertThat(RunningState.lost(before, RunningState.of(List.of(), List.of())))
        .containsExactly(
            "ipsecpeers/a observedGeneration 3 -> (gone)",
            "ipsecpeers/a runningGeneration 3 -> (gone)");
  }

  private static IpsecPeer peer(Long running) {
    IpsecPeer peer = new IpsecPeer();
    peer.setMetadata(new ObjectMetaBuilder().withName("a").build());
    IpsecPeerStatus status = new IpsecPeerStatus();
    status.setRunningGeneration(running);
    status.setObservedGeneration(3L);
    peer.setStatus(status);
    return peer;
  }

  private static IpsecGlobal gateway(String pod, String revision) {
    IpsecGlobal gateway = new IpsecGlobal();
    gateway.setMetadata(new ObjectMetaBuilder().withName("gw").build());
    IpsecGlobalStatus status = new IpsecGlobalStatus();
    GatewayPodStatus podStatus = new GatewayPodStatus();
    podStatus.setName(pod);
    podStatus.setConfigRevision(revision);
    podStatus.setConnectionsLoaded(1);
    status.setPods(List.of(podStatus));
    PeerTotals totals = new PeerTotals();
    totals.setConfigured(1);
    totals.setEstablished(1);
    status.setPeers(totals);
    gateway.setStatus(status);
    return gateway;
  }
}
