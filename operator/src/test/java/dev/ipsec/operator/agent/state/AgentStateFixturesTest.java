package dev.ipsec.operator.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.wire.AgentState;
import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.agent.wire.StateSnapshot;
import dev.ipsec.operator.agent.wire.StateSnapshot.ConnectionState;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdAction;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdOutcome;
import dev.ipsec.operator.agent.wire.StateSnapshot.FailureReason;
import org.junit.jupiter.api.Test;

/**
 * The recorded fixtures (see {@link AgentStateFixtures}) read back as the operator reads them and
 * show what their names promise, so the status mapper tests built on them test what they claim.
 */
class AgentStateFixturesTest {

  private static ConnectionState only(String fixture) {
    AgentStateDocument document = AgentStateFixtures.read(fixture);
    assertThat(document.schemaVersion()).isEqualTo(AgentStateDocument.SCHEMA_VERSION);
    AgentState state = document.state();
    assertThat(state.loader().configRevision()).isEqualTo(AgentStateFixtures.CONFIG_REVISION);
    assertThat(state.loader().connections())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.loaded()).isTrue();
              assertThat(c.error()).isNull();
            });
    assertThat(state.charon().reachable()).isTrue();
    assertThat(state.charon().algorithms().get("dh")).contains("CURVE_25519", "MODP_2048");
    StateSnapshot snapshot = state.sas();
    assertThat(snapshot.revision()).isPositive();
    assertThat(snapshot.connections()).hasSize(1);
    return snapshot.connections().values().iterator().next();
  }

  @Test
  void established() {
    ConnectionState c = only("established");
    assertThat(c.ikeSa().state()).isEqualTo("ESTABLISHED");
    assertThat(c.ikeSa().establishedAt()).isNotNull();
    assertThat(c.ikeSa().nextRekeyAt()).isAfter(c.ikeSa().establishedAt());
    assertThat(c.childrenInstalled()).isEqualTo(1);
    assertThat(c.children().values())
        .allSatisfy(
            child -> {
              assertThat(child.state()).isEqualTo("INSTALLED");
              assertThat(child.spiIn()).matches("[0-9a-f]{8}");
              assertThat(child.installedAt()).isNotNull();
            });
    assertThat(c.deadPeerDetection()).isNull();
    assertThat(c.lastFailure()).isNull();
  }

  @Test
  void rekeyed() {
    ConnectionState c = only("rekeyed");
    assertThat(c.rekeys().ikeRekeys()).isEqualTo(1);
    assertThat(c.rekeys().childRekeys()).isGreaterThanOrEqualTo(2);
    assertThat(c.rekeys().lastChildRekeyAt()).isNotNull();
    assertThat(c.rekeys().lastIkeRekeyAt()).isNotNull();
    assertThat(c.ikeSa().uniqueId()).isGreaterThan(1);
    assertThat(c.childrenInstalled()).isEqualTo(1);
  }

  @Test
  void dpdRestart() {
    ConnectionState c = only("dpd-restart");
    assertThat(c.deadPeerDetection().lastOutcome()).isEqualTo(DpdOutcome.PEER_DEAD);
    assertThat(c.deadPeerDetection().actionTaken()).isEqualTo(DpdAction.RESTART);
    assertThat(c.deadPeerDetection().count()).isEqualTo(1);
    assertThat(c.ikeSa().state()).isEqualTo("CONNECTING");
    assertThat(c.childrenInstalled()).isZero();
    assertThat(c.lastFailure().reason()).isEqualTo(FailureReason.PEER_NOT_RESPONDING);
  }

  @Test
  void authFailed() {
    ConnectionState c = only("auth-failed");
    assertThat(c.lastFailure().reason()).isEqualTo(FailureReason.AUTHENTICATION_FAILED);
    assertThat(c.ikeSa()).isNull();
    assertThat(c.deadPeerDetection()).isNull();
  }
}
