package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.CryptoGroupReconcilerTest.condition;
import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.ChildSaStatus;
import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.agentstate.AgentReport;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code status.runningGeneration} is the generation of the peer's files in the revision the
 * gateway's agents report loaded, and stays while that is unknown; an invalid spec whose previous
 * configuration runs shows that configuration's tunnels, with Ready from the SAs. The agents'
 * reports are put into the operator's store as its poller would.
 */
class RunningGenerationTest {

  static final GatewayStateStore.GatewayId GW = new GatewayStateStore.GatewayId("vpn", "gw");

  OperatorHarness k8s;
  GatewayVolume volume;

  @BeforeEach
  void start() {
    k8s = new OperatorHarness().start();
    volume = new GatewayVolume(k8s.client, "gw");
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "running-generation-psk"));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    eventually(
        () ->
            assertThat(condition(peer().getStatus().getConditions(), "Valid").getStatus())
                .isEqualTo("True"));
    volume.awaitQuiet();
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void theGenerationTheAgentsRunIsShownAndAnInvalidSpecKeepsItRunning() {
    assertThat(peer().getStatus().getRunningGeneration()).as("no agent reported yet").isNull();
    String first = volume.revision();
    loaded(first);
    eventually(
        () -> {
          IpsecPeer p = peer();
          assertThat(p.getStatus().getRunningGeneration()).isEqualTo(1L);
          assertThat(condition(p.getStatus().getConditions(), "Ready").getStatus())
              .isEqualTo("True");
        });

    // generation 2 is invalid: generation 1 keeps running, and its tunnels are what Ready shows
    IpsecPeer alpha = peer();
    alpha.getSpec().getTunnels().add(PeerPlacementTest.tunnels(1).get(0));
    k8s.client.resource(alpha).update();
    eventually(
        () -> {
          IpsecPeer p = peer();
          Condition valid = condition(p.getStatus().getConditions(), "Valid");
          assertThat(valid.getStatus()).isEqualTo("False");
          assertThat(valid.getMessage()).isEqualTo("spec.tunnels[1].id: duplicate tunnel id 1");
          assertThat(p.getMetadata().getGeneration()).isEqualTo(2L);
          assertThat(p.getStatus().getObservedGeneration()).isEqualTo(2L);
          assertThat(p.getStatus().getRunningGeneration()).isEqualTo(1L);
          Condition ready = condition(p.getStatus().getConditions(), "Ready");
          assertThat(ready.getStatus()).isEqualTo("True");
          assertThat(ready.getMessage())
              .contains("generation 1 are up")
              .contains("generation 2 is not applied");
          assertThat(p.getStatus().getTunnelSummary()).isEqualTo("1/1");
        });
    volume.awaitQuiet();
    assertThat(volume.revision()).as("nothing new to load").isEqualTo(first);

    // generation 3 is valid and changes the files: until the agents load it, 1 still runs
    alpha = peer();
    alpha.getSpec().getTunnels().remove(1);
    alpha.getSpec().setRemoteAddresses(List.of("198.51.100.77"));
    k8s.client.resource(alpha).update();
    eventually(() -> assertThat(volume.revision()).isNotEqualTo(first));
    eventually(
        () -> {
          IpsecPeer p = peer();
          assertThat(condition(p.getStatus().getConditions(), "Valid").getStatus())
              .isEqualTo("True");
          // not observed until the agents run it: the generation observed is the one that runs
          assertThat(p.getStatus().getObservedGeneration()).isEqualTo(1L);
          assertThat(p.getStatus().getRunningGeneration()).isEqualTo(1L);
          assertThat(condition(p.getStatus().getConditions(), "ConfigLoaded").getStatus())
              .isEqualTo("False");
        });
    loaded(volume.revision());
    eventually(
        () -> {
          IpsecPeer p = peer();
          assertThat(p.getStatus().getRunningGeneration()).isEqualTo(3L);
          assertThat(p.getStatus().getObservedGeneration()).isEqualTo(3L);
        });

    // an agent on a revision this operator never wrote: unknown, the value stays
    loaded("0000000000000000");
    volume.awaitQuiet();
    assertThat(peer().getStatus().getRunningGeneration()).isEqualTo(3L);
  }

  /** One agent of the gateway reports {@code revision} loaded, with alpha's tunnel up. */
  void loaded(String revision) {
    loaded(k8s, revision);
  }

  /** As {@link #loaded(String)}, in the operator of {@code k8s}. */
  static void loaded(OperatorHarness k8s, String revision) {
    IkeSaStatus ike = new IkeSaStatus();
    ike.setState("ESTABLISHED");
    ike.setRemoteHost("198.51.100.2");
    ChildSaStatus child = new ChildSaStatus();
    child.setName("alpha-tunnel-1");
    child.setState("INSTALLED");
    AgentReport report =
        new AgentReport(
            "gw-gateway-0",
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
            Map.of(
                "alpha", new AgentReport.Connection(ike, List.of(child), null, null, null, null)));
    k8s.operator().gatewayStates().put(GW, report);
  }

  IpsecPeer peer() {
    return k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("alpha").get();
  }
}
