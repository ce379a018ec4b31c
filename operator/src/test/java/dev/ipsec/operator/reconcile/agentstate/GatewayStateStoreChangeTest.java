package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.Change;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a report's change announces: the connections that read differently, and whether every peer
 * of the gateway may (a pod's loaded revision or reachability changed). A gateway of two pods in
 * which each pod reports only the SA it holds: the second pod to load a revision makes it the one
 * every pod runs, also for the peer whose connection only the first pod reports.
 */
class GatewayStateStoreChangeTest {

  static final GatewayId GW = new GatewayId("vpn", "gw");

  final GatewayStateStore store = new GatewayStateStore();
  final List<Change> changes = new ArrayList<>();

  @Test
  void theLastPodToLoadARevisionConcernsEveryPeer() {
    store.addListener(changes::add);

    store.put(GW, report("gw-pod0", "r1", "alpha", true));
    store.put(GW, report("gw-pod1", "r1", "beta", true));

    assertThat(changes).hasSize(2);
    assertThat(changes.get(1).connections()).containsExactly("beta");
    assertThat(changes.get(1).everyPeer())
        .as("alpha's running generation depends on pod1's revision too")
        .isTrue();
  }

  @Test
  void anSaChangeConcernsItsPeerAlone() {
    store.put(GW, report("gw-pod0", "r1", "alpha", true));
    store.addListener(changes::add);

    store.put(GW, report("gw-pod0", "r1", "alpha", false));

    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).connections()).containsExactly("alpha");
    assertThat(changes.get(0).everyPeer()).isFalse();
  }

  @Test
  void aPodThatBecomesUnreachableConcernsEveryPeer() {
    store.put(GW, report("gw-pod0", "r1", "alpha", true));
    store.addListener(changes::add);

    store.put(GW, AgentReport.unreachable("gw-pod0", "connection refused", null));

    assertThat(changes.get(0).everyPeer()).isTrue();
  }

  private static AgentReport report(String pod, String revision, String peer, boolean up) {
    IkeSaStatus ike = new IkeSaStatus();
    ike.setState(up ? "ESTABLISHED" : "CONNECTING");
    return new AgentReport(
        pod,
        true,
        null,
        1,
        "5.9.8",
        Map.of(),
        revision,
        1,
        List.of(),
        null,
        List.of(),
        Map.of(peer, new AgentReport.Connection(ike, List.of(), null, null, null, null)));
  }
}
