package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.wire.StateSnapshot.ChildSaState;
import dev.ipsec.operator.agent.wire.StateSnapshot.ConnectionState;
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
import java.util.Arrays;
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

  @Test
  void outcomesAndFailuresAreWrittenTheWayConditionReasonsAre() {
    assertThat(SaStatuses.reason(FailureReason.AUTHENTICATION_FAILED))
        .isEqualTo("AuthenticationFailed");
    assertThat(SaStatuses.reason(FailureReason.TS_UNACCEPTABLE)).isEqualTo("TsUnacceptable");
    assertThat(SaStatuses.reason(DpdOutcome.PEER_DEAD)).isEqualTo("PeerDead");
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
