package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a peer's observation says the gateway's charon offers: what every reachable pod that says
 * offers; the offer of pods that agree as it is, the common part of pods that differ, nothing
 * checked when none says.
 */
class GatewayStateStoreAlgorithmsTest {

  static final GatewayId GW = new GatewayId("vpn", "gw");

  final GatewayStateStore store = new GatewayStateStore();

  @Test
  void podsThatOfferTheSameGiveThatOffer() {
    Map<String, Set<String>> offer =
        Map.of("encryption", Set.of("AES_CBC", "AES_GCM_16"), "dh", Set.of("MODP_2048"));
    store.put(GW, report("gw-pod0", offer));
    store.put(GW, report("gw-pod1", offer));

    assertThat(algorithms()).isEqualTo(offer);
  }

  @Test
  void podsThatDifferGiveWhatTheyAllOffer() {
    store.put(
        GW,
        report(
            "gw-pod0",
            Map.of("encryption", Set.of("AES_CBC", "AES_GCM_16"), "dh", Set.of("MODP_2048"))));
    store.put(
        GW,
        report(
            "gw-pod1",
            Map.of(
                "encryption",
                Set.of("AES_GCM_16", "CHACHA20_POLY1305"),
                "prf",
                Set.of("PRF_HMAC_SHA2_256"))));

    assertThat(algorithms()).isEqualTo(Map.of("encryption", Set.of("AES_GCM_16")));
  }

  @Test
  void aPodThatDoesNotSayIsLeftOut() {
    Map<String, Set<String>> offer = Map.of("encryption", Set.of("AES_CBC"));
    store.put(GW, report("gw-pod0", Map.of()));
    store.put(GW, report("gw-pod1", offer));

    assertThat(algorithms()).isEqualTo(offer);
  }

  @Test
  void noPodThatSaysChecksNothing() {
    store.put(GW, report("gw-pod0", Map.of()));
    store.put(GW, report("gw-pod1", Map.of()));

    assertThat(algorithms()).isEmpty();
  }

  private Map<String, Set<String>> algorithms() {
    return store.observe(GW, "alpha").orElseThrow().charonAlgorithms();
  }

  private static AgentReport report(String pod, Map<String, Set<String>> algorithms) {
    IkeSaStatus ike = new IkeSaStatus();
    ike.setState("ESTABLISHED");
    return new AgentReport(
        pod,
        true,
        null,
        1,
        "5.9.8",
        algorithms,
        "r1",
        1,
        List.of(),
        null,
        List.of(),
        Map.of("alpha", new AgentReport.Connection(ike, List.of(), null, null, null, null)));
  }
}
