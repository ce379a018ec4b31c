package dev.ipsec.operator.reconcile.status;

import static dev.ipsec.operator.reconcile.status.KeptConfigurationStatusTest.CLOCK;
import static dev.ipsec.operator.reconcile.status.KeptConfigurationStatusTest.KEPT;
import static dev.ipsec.operator.reconcile.status.KeptConfigurationStatusTest.condition;
import static dev.ipsec.operator.reconcile.status.KeptConfigurationStatusTest.up;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.GatewayPodStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.agentstate.PeerObservation;
import dev.ipsec.operator.reconcile.ownership.Hashing;
import dev.ipsec.operator.render.FieldError;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a new operator (or leader) writes before the gateway's agents have reported to it: not
 * knowing the tunnels is no news about them. A peer keeps its SA conditions and fields, a gateway
 * what its agents had loaded and how many peers were up; what the operator does know (the spec's
 * validity, the pods Kubernetes reports) is written as usual.
 */
class StatusBeforeFirstReportTest {
  private static final Clock LATER =
      Clock.fixed(Instant.parse("2026-12-06T01:00:00Z"), ZoneOffset.UTC);
  private static final Optional<PeerObservation> NOT_YET =
      Optional.of(
          new PeerObservation(false, null, null, null, Map.of(), /* awaitingFirstReport */ true));

  private static IpsecPeerStatus upPeer() {
    return PeerStatusBuilder.build(null, 3L, List.of(), false, KEPT, up(true), CLOCK);
  }

  @Test
  void aPeerThatWasUpStaysUpToTheLetter() {
    IpsecPeerStatus before = upPeer();

    IpsecPeerStatus after =
        PeerStatusBuilder.build(before, 3L, List.of(), false, KEPT, NOT_YET, LATER);

    assertThat(condition(before, "Ready").getStatus()).isEqualTo("True");
    assertThat(Hashing.sameJson(after, before)).as("%s%nversus%n%s", after, before).isTrue();
  }

  @Test
  void aPeerThatBecameInvalidSaysSoAtOnce() {
    IpsecPeerStatus after =
        PeerStatusBuilder.build(
            upPeer(),
            4L,
            List.of(new FieldError("spec.ikeGroup", "IkeGroup missing not found")),
            false,
            KEPT,
            NOT_YET,
            LATER);

    assertThat(condition(after, "Valid").getStatus()).isEqualTo("False");
    assertThat(condition(after, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void aNewPeerAwaitsTheGatewayAsUsual() {
    IpsecPeerStatus first =
        PeerStatusBuilder.build(null, 1L, List.of(), false, KEPT, NOT_YET, LATER);

    assertThat(condition(first, "Established").getStatus()).isEqualTo("Unknown");
    assertThat(condition(first, "Established").getReason()).isEqualTo("AwaitingGateway");
  }

  @Test
  void aGatewayKeepsWhatItsAgentsHadLoadedAndHowManyPeersWereUp() {
    IpsecGlobalStatus before =
        GatewayStatusBuilder.build(
            null,
            1L,
            List.of(),
            0,
            1,
            List.of(readyPod("gw-0")),
            List.of(),
            2,
            0,
            "r1",
            null,
            GatewayStatusBuilder.Rollout.unhindered("Deployment"),
            CLOCK);
    GatewayPodStatus pod = before.getPods().get(0);
    pod.setConfigRevision("r1");
    pod.setConnectionsLoaded(2);
    pod.setStrongswanVersion("5.9.8");
    before.getPeers().setEstablished(2);
    before.setPeerSummary("2/2");
    before
        .getConditions()
        .replaceAll(
            c ->
                c.getType().equals(GatewayStatusBuilder.CONFIG_LOADED)
                    ? loaded(c, "every pod runs configuration r1")
                    : c);
    IpsecGlobalStatus fromNothing =
        GatewayStatusBuilder.build(
            before,
            1L,
            List.of(),
            0,
            1,
            List.of(readyPod("gw-0")),
            List.of(),
            2,
            0,
            "r1",
            null,
            GatewayStatusBuilder.Rollout.unhindered("Deployment"),
            LATER);

    IpsecGlobalStatus after = GatewayStatusBuilder.withPreviousAgentFacts(before, fromNothing);

    assertThat(Hashing.sameJson(fromNothing, before)).isTrue();
    assertThat(after.getPeerSummary()).isEqualTo("2/2");
    assertThat(after.getPods().get(0).getConfigRevision()).isEqualTo("r1");
  }

  private static dev.ipsec.operator.api.v1alpha1.Condition loaded(
      dev.ipsec.operator.api.v1alpha1.Condition c, String message) {
    c.setStatus("True");
    c.setReason("Loaded");
    c.setMessage(message);
    return c;
  }

  private static Pod readyPod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }
}
