package dev.ipsec.operator.reconcile.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.ChildSaStatus;
import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.agentstate.AgentReport;
import dev.ipsec.operator.reconcile.agentstate.PeerObservation;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.RenderedGateway.RenderedConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The status of a peer whose spec does not render while its previous configuration keeps running:
 * Valid False with the errors, the SAs and Ready of what runs, and the generation that runs.
 */
class KeptConfigurationStatusTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);
  static final List<FieldError> INVALID =
      List.of(new FieldError("spec.tunnels[1].id", "duplicate tunnel id 1"));
  static final RenderedConnection KEPT =
      new RenderedConnection("alpha", List.of("alpha-tunnel-1"), List.of());

  static Optional<PeerObservation> up(boolean childInstalled) {
    IkeSaStatus ike = new IkeSaStatus();
    ike.setState("ESTABLISHED");
    ChildSaStatus child = new ChildSaStatus();
    child.setName("alpha-tunnel-1");
    child.setState(childInstalled ? "INSTALLED" : "REKEYING");
    return Optional.of(
        new PeerObservation(
            true,
            null,
            new AgentReport.Connection(ike, List.of(child), null, null, null, null),
            null,
            Map.of(),
            false));
  }

  static Condition condition(IpsecPeerStatus s, String type) {
    return Conditions.find(s.getConditions(), type);
  }

  @Test
  void theTunnelsOfTheKeptGenerationMakeReadyWhileValidSaysWhyTheSpecIsNotApplied() {
    IpsecPeerStatus s =
        PeerStatusBuilder.build(
            null,
            7L,
            INVALID,
            false,
            new RunningConfig(RunningConfig.Kind.KEPT, KEPT, 5L, 5L),
            up(true),
            Optional.empty(),
            CLOCK);

    assertThat(condition(s, "Valid").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Valid").getMessage())
        .isEqualTo("spec.tunnels[1].id: duplicate tunnel id 1");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Ready").getMessage())
        .isEqualTo(
            "the IKE SA and all tunnels of generation 5 are up; the spec of generation 7 is not"
                + " applied (see Valid)");
    assertThat(s.getRunningGeneration()).isEqualTo(5L);
    assertThat(s.getTunnelSummary()).isEqualTo("1/1");
  }

  @Test
  void aKeptConfigurationWithATunnelDownIsNotReadyForThatReasonNotForValid() {
    IpsecPeerStatus s =
        PeerStatusBuilder.build(
            null,
            7L,
            INVALID,
            false,
            new RunningConfig(RunningConfig.Kind.KEPT, KEPT, 5L, 5L),
            up(false),
            Optional.empty(),
            CLOCK);
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("TunnelsDown");
  }

  @Test
  void aRefusedSecretEditKeepsTheConfigurationLoadedBeforeOfTheSameGeneration() {
    IpsecPeerStatus s =
        PeerStatusBuilder.build(
            null,
            5L,
            INVALID,
            false,
            new RunningConfig(RunningConfig.Kind.KEPT, KEPT, 5L, 5L),
            up(true),
            Optional.empty(),
            CLOCK);
    assertThat(condition(s, "Ready").getMessage())
        .isEqualTo(
            "the IKE SA and all tunnels of the configuration loaded before are up; generation 5"
                + " does not render now (see Valid)");
  }

  @Test
  void untilTheGatewayIsPlannedAfterARestartTheSasAndReadyStayAsTheyWere() {
    IpsecPeerStatus before =
        PeerStatusBuilder.build(
            null,
            7L,
            INVALID,
            false,
            new RunningConfig(RunningConfig.Kind.KEPT, KEPT, 5L, 5L),
            up(true),
            Optional.empty(),
            CLOCK);
    IpsecPeerStatus after =
        PeerStatusBuilder.build(
            before,
            7L,
            INVALID,
            false,
            new RunningConfig(RunningConfig.Kind.UNKNOWN, KEPT, null, 5L),
            Optional.empty(),
            Optional.empty(),
            CLOCK);
    assertThat(PeerStatusBuilder.differsBeyondTimers(after, before)).isFalse();
  }

  @Test
  void nothingRunningIsNotConfigured() {
    IpsecPeerStatus s =
        PeerStatusBuilder.build(
            null,
            7L,
            INVALID,
            false,
            new RunningConfig(RunningConfig.Kind.NONE, KEPT, null, null),
            up(true),
            Optional.empty(),
            CLOCK);
    assertThat(condition(s, "Established").getReason()).isEqualTo("NotConfigured");
    assertThat(condition(s, "Ready").getReason()).isEqualTo(FieldError.INVALID);
  }
}
