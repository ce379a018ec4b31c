package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.wire.StateSnapshot.ChildSaState;
import dev.ipsec.operator.agent.wire.StateSnapshot.ConnectionState;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdAction;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdOutcome;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdState;
import dev.ipsec.operator.agent.wire.StateSnapshot.FailureReason;
import dev.ipsec.operator.agent.wire.StateSnapshot.FailureState;
import dev.ipsec.operator.agent.wire.StateSnapshot.IkeSaState;
import dev.ipsec.operator.agent.wire.StateSnapshot.RekeyState;
import dev.ipsec.operator.api.v1alpha1.ChildSaStatus;
import dev.ipsec.operator.api.v1alpha1.DeadPeerDetectionStatus;
import dev.ipsec.operator.api.v1alpha1.FailureStatus;
import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.api.v1alpha1.RekeyStatus;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The agent's SA records and the IpsecPeer status they become. */
class SaStatusesTest {

  @Test
  void everyStatusFieldHasTheAgentsFieldOfTheSameName() {
    assertThat(components(IkeSaState.class)).containsAll(fields(IkeSaStatus.class));
    // a child's name is its key in the agent's map
    assertThat(components(ChildSaState.class))
        .containsAll(without(fields(ChildSaStatus.class), "name"));
    assertThat(components(DpdState.class)).containsAll(fields(DeadPeerDetectionStatus.class));
    assertThat(components(RekeyState.class)).containsAll(fields(RekeyStatus.class));
    assertThat(components(FailureState.class)).containsAll(fields(FailureStatus.class));
    assertThat(components(ConnectionState.class))
        .contains("ikeSa", "deadPeerDetection", "rekeys", "lastFailure")
        .allSatisfy(
            name ->
                assertThat(name)
                    .isIn(
                        union(
                            fields(IpsecPeerStatus.class),
                            Set.of("children", "childrenInstalled"))));
  }

  /**
   * The names test above lets a field be added on both sides and never copied; with every agent
   * field set, every status field must come out set.
   */
  @Test
  void aFullyReportedConnectionFillsEveryStatusField() throws IllegalAccessException {
    Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
    ChildSaState child =
        new ChildSaState(
            "INSTALLED",
            7,
            "TUNNEL",
            "ESP",
            true,
            "c1",
            "c2",
            "AES_GCM_16-256",
            at,
            at,
            at,
            List.of("10.1.0.0/24"),
            List.of("10.2.0.0/24"));
    IkeSaState ike =
        new IkeSaState(
            "ESTABLISHED",
            2,
            3,
            "192.0.2.1",
            "gw",
            "198.51.100.1",
            "peer",
            "i1",
            "r1",
            "AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519",
            at,
            at,
            at);
    AgentReport.Connection c =
        SaStatuses.connection(
            new ConnectionState(
                ike,
                Map.of("p-tunnel-1", child),
                1,
                new DpdState(DpdOutcome.PEER_DEAD, at, DpdAction.RESTART, 1, at),
                new RekeyState(1, at, 2, at, at),
                new FailureState(FailureReason.NO_PROPOSAL_CHOSEN, "no proposal", at)),
            null);

    assertThat(c.children()).hasSize(1);
    for (Object status :
        List.of(
            c.ikeSa(), c.children().get(0), c.deadPeerDetection(), c.rekeys(), c.lastFailure())) {
      assertThat(unset(status)).as(status.getClass().getSimpleName()).isEmpty();
    }
  }

  @Test
  void outcomesAndFailuresAreWrittenTheWayConditionReasonsAre() {
    assertThat(SaStatuses.reason(FailureReason.AUTHENTICATION_FAILED))
        .isEqualTo("AuthenticationFailed");
    assertThat(SaStatuses.reason(FailureReason.TS_UNACCEPTABLE)).isEqualTo("TsUnacceptable");
    assertThat(SaStatuses.reason(DpdOutcome.PEER_DEAD)).isEqualTo("PeerDead");
  }

  private static List<String> unset(Object status) throws IllegalAccessException {
    List<String> unset = new ArrayList<>();
    for (Field f : status.getClass().getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        f.setAccessible(true);
        if (f.get(status) == null) {
          unset.add(f.getName());
        }
      }
    }
    return unset;
  }

  private static Set<String> components(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents())
        .map(RecordComponent::getName)
        .collect(Collectors.toSet());
  }

  private static Set<String> fields(Class<?> type) {
    return Arrays.stream(type.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers()))
        .map(Field::getName)
        .collect(Collectors.toSet());
  }

  private static Set<String> without(Set<String> names, String name) {
    return names.stream().filter(n -> !n.equals(name)).collect(Collectors.toSet());
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    return Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
  }
}
