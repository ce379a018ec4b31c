package dev.ipsec.operator.reconcile.status;

import static dev.ipsec.operator.reconcile.status.KeptConfigurationStatusTest.CLOCK;
import static dev.ipsec.operator.reconcile.status.KeptConfigurationStatusTest.INVALID;
import static dev.ipsec.operator.reconcile.status.KeptConfigurationStatusTest.KEPT;
import static dev.ipsec.operator.reconcile.status.KeptConfigurationStatusTest.condition;
import static dev.ipsec.operator.reconcile.status.KeptConfigurationStatusTest.up;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.agentstate.PeerObservation;
import dev.ipsec.operator.reconcile.ownership.Hashing;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "honest generations": a valid peer's {@code observedGeneration} is a generation its
 * gateway's agents have loaded, and {@code ConfigLoaded} says whether the spec's generation is
 * live, for each case of the gateway: loaded, being loaded, disabled, not reporting, refused by the
 * gateway policy, unreachable, and a new operator that has not heard from it yet.
 */
class HonestGenerationStatusTest {

  private static final Clock LATER =
      Clock.fixed(Instant.parse("2026-12-06T01:00:00Z"), ZoneOffset.UTC);
  private static final Optional<PeerObservation> NOT_YET =
      Optional.of(
          new PeerObservation(false, null, null, null, Map.of(), /* awaitingFirstReport */ true));
  private static final Optional<PeerObservation> UNREACHABLE =
      Optional.of(
          new PeerObservation(
              false,
              "agent of pod gw-gateway-0 not reachable since 2026-12-06T00:59:00Z",
              null,
              null,
              Map.of(),
              false));

  /** A valid peer at {@code generation} whose agents run {@code running}. */
  private static IpsecPeerStatus valid(
      IpsecPeerStatus previous,
      long generation,
      boolean disabled,
      Long running,
      Optional<PeerObservation> observation,
      Clock clock) {
    return PeerStatusBuilder.build(
        previous,
        generation,
        List.of(),
        disabled,
        RunningConfig.current(KEPT, running),
        observation,
        Optional.empty(),
        clock);
  }

  private static Condition loaded(IpsecPeerStatus s) {
    return condition(s, PeerStatusBuilder.CONFIG_LOADED);
  }

  @Test
  void aGenerationTheAgentsRunIsObservedAndLoaded() {
    IpsecPeerStatus s = valid(null, 4L, false, 4L, up(true), CLOCK);

    assertThat(s.getObservedGeneration()).isEqualTo(4L);
    assertThat(loaded(s).getStatus()).isEqualTo("True");
    assertThat(loaded(s).getReason()).isEqualTo("Loaded");
    assertThat(loaded(s).getMessage()).isEqualTo("the gateway's agents run generation 4");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void aGenerationNotLoadedYetLeavesObservedGenerationAtTheOneThatRuns() {
    IpsecPeerStatus s = valid(null, 4L, false, 3L, up(true), CLOCK);

    assertThat(s.getObservedGeneration()).isEqualTo(3L);
    assertThat(s.getRunningGeneration()).isEqualTo(3L);
    assertThat(loaded(s).getStatus()).isEqualTo("False");
    assertThat(loaded(s).getReason()).isEqualTo("Progressing");
    assertThat(loaded(s).getMessage())
        .isEqualTo("generation 4 is not loaded yet; the gateway's agents run generation 3");
    // the condition itself was computed for the spec's generation
    assertThat(loaded(s).getObservedGeneration()).isEqualTo(4L);
    assertThat(condition(s, "Valid").getObservedGeneration()).isEqualTo(4L);
  }

  @Test
  void aNewPeerNoAgentRunsYetObservesNoGeneration() {
    IpsecPeerStatus s = valid(null, 1L, false, null, up(false), CLOCK);

    assertThat(s.getObservedGeneration()).isEqualTo(0L);
    assertThat(loaded(s).getStatus()).isEqualTo("False");
    assertThat(loaded(s).getMessage())
        .isEqualTo(
            "generation 1 is not loaded yet; the gateway's agents run no configuration of the"
                + " peer");
  }

  @Test
  void anInvalidGenerationIsObservedAndValidSaysWhyItDoesNotRun() {
    IpsecPeerStatus kept =
        PeerStatusBuilder.build(
            null,
            7L,
            INVALID,
            false,
            new RunningConfig(RunningConfig.Kind.KEPT, KEPT, 5L, 5L),
            up(true),
            Optional.empty(),
            CLOCK);
    IpsecPeerStatus nothing =
        PeerStatusBuilder.build(
            null,
            2L,
            INVALID,
            false,
            new RunningConfig(RunningConfig.Kind.NONE, KEPT, null, null),
            up(false),
            Optional.empty(),
            CLOCK);

    assertThat(kept.getObservedGeneration()).isEqualTo(7L);
    assertThat(kept.getRunningGeneration()).isEqualTo(5L);
    assertThat(loaded(kept)).isNull();
    assertThat(nothing.getObservedGeneration()).isEqualTo(2L);
    assertThat(loaded(nothing)).isNull();
  }

  @Test
  void aDisabledPeerIsLoadedOnceTheAgentsRunNoneOfIt() {
    IpsecPeerStatus unloading = valid(null, 6L, true, 5L, up(true), CLOCK);
    IpsecPeerStatus unloaded = valid(unloading, 6L, true, null, up(false), CLOCK);

    assertThat(unloading.getObservedGeneration()).isEqualTo(5L);
    assertThat(loaded(unloading).getStatus()).isEqualTo("False");
    assertThat(loaded(unloading).getMessage())
        .isEqualTo(
            "generation 6 disables the peer and is not loaded yet; the gateway's agents run"
                + " generation 5");
    assertThat(unloaded.getObservedGeneration()).isEqualTo(6L);
    assertThat(loaded(unloaded).getStatus()).isEqualTo("True");
    assertThat(loaded(unloaded).getMessage())
        .isEqualTo(
            "the gateway's agents run no configuration of the peer, which generation 6 disables");
  }

  @Test
  void aGatewayWithoutReportingAgentsLeavesItUnknown() {
    IpsecPeerStatus s = valid(null, 3L, false, 2L, Optional.empty(), CLOCK);

    assertThat(s.getObservedGeneration()).isEqualTo(2L);
    assertThat(loaded(s).getStatus()).isEqualTo("Unknown");
    assertThat(loaded(s).getReason()).isEqualTo("AwaitingGateway");
    assertThat(loaded(s).getMessage())
        .isEqualTo("no gateway agent has reported yet: generation 3 is not known to be loaded");
  }

  @Test
  void aGatewayThePolicyRefusesLeavesItUnknownSayingWhy() {
    IpsecPeerStatus s =
        PeerStatusBuilder.build(
            null,
            1L,
            List.of(),
            false,
            RunningConfig.current(KEPT, null),
            Optional.empty(),
            Optional.of("IpsecGlobal gw is refused by the operator's gateway policy (...)"),
            CLOCK);

    assertThat(s.getObservedGeneration()).isEqualTo(0L);
    assertThat(loaded(s).getStatus()).isEqualTo("Unknown");
    assertThat(loaded(s).getReason()).isEqualTo("GatewayPolicyDenied");
    assertThat(loaded(s).getMessage())
        .isEqualTo(
            "generation 1 cannot be loaded: IpsecGlobal gw is refused by the operator's gateway"
                + " policy (...)");
  }

  @Test
  void unreachableAgentsLeaveItUnknownAndTheGenerationLastLoadedObserved() {
    IpsecPeerStatus wasLoaded = valid(null, 3L, false, 3L, up(true), CLOCK);
    IpsecPeerStatus s = valid(wasLoaded, 3L, false, 3L, UNREACHABLE, LATER);

    assertThat(s.getObservedGeneration()).isEqualTo(3L);
    assertThat(loaded(s).getStatus()).isEqualTo("Unknown");
    assertThat(loaded(s).getReason()).isEqualTo("AgentUnreachable");
    assertThat(loaded(s).getMessage())
        .isEqualTo(
            "generation 3 is not known to be loaded: agent of pod gw-gateway-0 not reachable"
                + " since 2026-12-06T00:59:00Z (the agents ran generation 3 when last heard)");
  }

  @Test
  void beforeTheFirstReportANewOperatorKeepsWhatTheStatusSaidToTheLetter() {
    IpsecPeerStatus live = valid(null, 3L, false, 3L, up(true), CLOCK);
    IpsecPeerStatus loading = valid(null, 4L, false, 3L, up(true), CLOCK);

    // the running generation a new operator knows is the status' own, whichever
    IpsecPeerStatus liveAfter = valid(live, 3L, false, 3L, NOT_YET, LATER);
    IpsecPeerStatus loadingAfter = valid(loading, 4L, false, 3L, NOT_YET, LATER);

    assertThat(Hashing.sameJson(liveAfter, live)).as("%s%n%s", liveAfter, live).isTrue();
    assertThat(Hashing.sameJson(loadingAfter, loading))
        .as("%s%n%s", loadingAfter, loading)
        .isTrue();
  }

  @Test
  void aSpecChangedWhileNoOperatorRanIsNotKnownLoadedBeforeTheFirstReport() {
    IpsecPeerStatus live = valid(null, 3L, false, 3L, up(true), CLOCK);

    IpsecPeerStatus s = valid(live, 4L, false, 3L, NOT_YET, LATER);

    assertThat(s.getObservedGeneration()).isEqualTo(3L);
    assertThat(loaded(s).getStatus()).isEqualTo("Unknown");
    assertThat(loaded(s).getReason()).isEqualTo("AwaitingGateway");
    // the tunnels are no news either way
    assertThat(condition(s, "Ready"))
        .extracting(Condition::getStatus, Condition::getMessage)
        .containsExactly("True", condition(live, "Ready").getMessage());
  }

  @Test
  void aPeerThatBecomesValidWithoutASpecChangeWaitsForTheAgents() {
    IpsecPeerStatus invalid =
        PeerStatusBuilder.build(
            null,
            1L,
            INVALID,
            false,
            new RunningConfig(RunningConfig.Kind.NONE, KEPT, null, null),
            up(false),
            Optional.empty(),
            CLOCK);
    // the IkeGroup it names appears: generation 1 renders now, and no agent runs it yet
    IpsecPeerStatus valid = valid(invalid, 1L, false, null, up(false), LATER);

    assertThat(invalid.getObservedGeneration()).isEqualTo(1L);
    assertThat(valid.getObservedGeneration()).isEqualTo(0L);
    assertThat(loaded(valid).getReason()).isEqualTo("Progressing");
  }

  @Test
  void aHigherGenerationRunningBelongedToAnEarlierObjectOfTheSameName() {
    IpsecPeerStatus s = valid(null, 1L, false, 5L, up(true), CLOCK);

    assertThat(s.getObservedGeneration()).isEqualTo(0L);
    assertThat(loaded(s).getStatus()).isEqualTo("False");
  }
}
