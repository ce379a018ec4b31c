package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.reconcile.agentstate.AgentReport;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.RenderedGateway.RenderedConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a gateway's written plans hold of each peer, and which generation its agents run. */
class PeerGenerationsTest {

  static final GatewayId GW = new GatewayId("vpn", "gw");

  static PeerGenerations.Written written(long generation, boolean previous) {
    return new PeerGenerations.Written(
        generation,
        previous,
        new RenderedConnection("alpha", List.of("alpha-tunnel-1"), List.of()));
  }

  static AgentReport loaded(String pod, String revision, boolean reachable) {
    return new AgentReport(
        pod, reachable, null, 1, null, Map.of(), revision, 1, List.of(), null, List.of(), Map.of());
  }

  @Test
  void untilTheFirstPlanNothingIsKnownAndThePeersThatAskedAreToldOnceItComes() {
    PeerGenerations store = new PeerGenerations();
    List<PeersChanged> changes = new ArrayList<>();
    store.addListener(changes::add);

    assertThat(store.view(GW, "alpha", List.of()).planned()).isFalse();
    assertThat(store.view(GW, "gamma", List.of()).planned()).isFalse();
    store.put(GW, "r1", Map.of("alpha", written(1, false)), Map.of(), Set.of("alpha", "gamma"));

    assertThat(changes)
        .singleElement()
        .satisfies(c -> assertThat(c.peers()).containsExactly("alpha", "gamma"));
    PeerGenerations.View view = store.view(GW, "alpha", List.of());
    assertThat(view.planned()).isTrue();
    assertThat(view.written()).isEqualTo(written(1, false));
    assertThat(view.runningKnown()).as("no agent reported").isFalse();
    assertThat(store.view(GW, "gamma", List.of()).written()).isNull();
  }

  @Test
  void theRunningGenerationIsTheOneInTheRevisionEveryReachableAgentLoaded() {
    PeerGenerations store = new PeerGenerations();
    store.put(GW, "r1", Map.of("alpha", written(1, false)), Map.of(), Set.of("alpha"));
    store.put(GW, "r2", Map.of("alpha", written(3, false)), Map.of(), Set.of("alpha"));
    store.put(GW, "r3", Map.of(), Map.of(), Set.of("alpha"));

    assertThat(store.view(GW, "alpha", List.of(loaded("p0", "r1", true))).running()).isEqualTo(1L);
    assertThat(
            store
                .view(GW, "alpha", List.of(loaded("p0", "r2", true), loaded("p1", "r2", true)))
                .running())
        .isEqualTo(3L);
    // an unreachable pod's last revision does not count
    assertThat(
            store
                .view(GW, "alpha", List.of(loaded("p0", "r2", true), loaded("p1", "r1", false)))
                .running())
        .isEqualTo(3L);
    // the pods disagree, or one loaded a revision not remembered: unknown
    assertThat(
            store
                .view(GW, "alpha", List.of(loaded("p0", "r1", true), loaded("p1", "r2", true)))
                .runningKnown())
        .isFalse();
    assertThat(store.view(GW, "alpha", List.of(loaded("p0", "rX", true))).runningKnown()).isFalse();
    // a revision without the peer: known to run none of it
    PeerGenerations.View none = store.view(GW, "alpha", List.of(loaded("p0", "r3", true)));
    assertThat(none.runningKnown()).isTrue();
    assertThat(none.running()).isNull();
  }

  @Test
  void onlyTheLatestRevisionsAreRemembered() {
    PeerGenerations store = new PeerGenerations();
    for (int i = 0; i <= PeerGenerations.HISTORY; i++) {
      store.put(GW, "r" + i, Map.of("alpha", written(i, false)), Map.of(), Set.of("alpha"));
    }
    assertThat(store.view(GW, "alpha", List.of(loaded("p0", "r0", true))).runningKnown()).isFalse();
    assertThat(store.view(GW, "alpha", List.of(loaded("p0", "r1", true))).running()).isEqualTo(1L);
  }

  @Test
  void aRevocationStaysWhileThePeerRunsNothingAndGoesWithItOrWhenItRunsAgain() {
    PeerGenerations store = new PeerGenerations();
    List<PeersChanged> changes = new ArrayList<>();
    store.put(GW, "r1", Map.of("alpha", written(1, true)), Map.of(), Set.of("alpha"));
    store.addListener(changes::add);
    FieldError revoked =
        new FieldError("spec.authentication", "Secret \"psk\" ... deleted", "SecretDeleted");

    store.put(GW, "r2", Map.of(), Map.of("alpha", revoked), Set.of("alpha"));
    assertThat(changes)
        .singleElement()
        .satisfies(c -> assertThat(c.peers()).containsExactly("alpha"));
    // the next plans no longer see the files, so they revoke nothing: the revocation stays
    store.put(GW, "r3", Map.of(), Map.of(), Set.of("alpha"));
    assertThat(store.view(GW, "alpha", List.of()).revoked()).isEqualTo(revoked);

    store.put(GW, "r4", Map.of("alpha", written(4, false)), Map.of(), Set.of("alpha"));
    assertThat(store.view(GW, "alpha", List.of()).revoked()).isNull();
    store.put(GW, "r5", Map.of(), Map.of("alpha", revoked), Set.of("alpha"));
    store.put(GW, "r6", Map.of(), Map.of(), Set.of());
    assertThat(store.view(GW, "alpha", List.of()).revoked()).as("a deleted peer").isNull();
  }

  @Test
  void theFirstPlanAnnouncesOnlyThePeersWhoseStatusItChanges() {
    PeerGenerations store = new PeerGenerations();
    List<PeersChanged> changes = new ArrayList<>();
    store.addListener(changes::add);
    PeerGenerations.Reads valid = new PeerGenerations.Reads(true, null);

    // valid peers that asked with no agent reporting: the plan tells their status nothing new
    store.view(GW, "alpha", List.of(), valid);
    // an invalid one reads what is kept: told
    store.view(GW, "beta", List.of(), PeerGenerations.Reads.WHOLE);
    store.put(
        GW,
        "r1",
        Map.of("alpha", written(1, false), "beta", written(1, true), "delta", written(1, false)),
        Map.of(),
        Set.of("alpha", "beta", "delta"));
    assertThat(changes)
        .as("delta never asked: its first reconcile reads the plan")
        .singleElement()
        .satisfies(c -> assertThat(c.peers()).containsExactly("beta"));

    // after a restart the agents report a revision the first plan rebuilds: a valid peer is told
    // when the generation that runs is not the one its status shows
    PeerGenerations restarted = new PeerGenerations();
    List<PeersChanged> told = new ArrayList<>();
    restarted.addListener(told::add);
    List<AgentReport> reports = List.of(loaded("p0", "r1", true));
    restarted.view(GW, "alpha", reports, new PeerGenerations.Reads(true, 1L));
    restarted.view(GW, "gamma", reports, new PeerGenerations.Reads(true, null));
    restarted.view(GW, "delta", List.of(loaded("p0", "rX", true)), valid);
    restarted.put(
        GW,
        "r1",
        Map.of("alpha", written(1, false), "gamma", written(2, false), "delta", written(1, false)),
        Map.of(),
        Set.of("alpha", "gamma", "delta"));
    assertThat(told).singleElement().satisfies(c -> assertThat(c.peers()).containsExactly("gamma"));
  }
}
