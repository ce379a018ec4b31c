package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.agent.wire.StateSnapshot.ChildSaState;
import dev.ipsec.operator.agent.wire.StateSnapshot.ConnectionState;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdState;
import dev.ipsec.operator.agent.wire.StateSnapshot.FailureState;
import dev.ipsec.operator.agent.wire.StateSnapshot.IkeSaState;
import dev.ipsec.operator.agent.wire.StateSnapshot.RekeyState;
import dev.ipsec.operator.api.v1alpha1.ChildSaStatus;
import dev.ipsec.operator.api.v1alpha1.DeadPeerDetectionStatus;
import dev.ipsec.operator.api.v1alpha1.FailureStatus;
import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.api.v1alpha1.RekeyStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One connection of the agent's SA snapshot in the IpsecPeer status types. The fields have the same
 * names on both sides; the values take the status's style: times in whole seconds (status shows no
 * sub-second noise), outcomes and failure reasons as condition-reason words ({@code PEER_DEAD}
 * becomes {@code PeerDead}), DPD actions and modes in lower case.
 */
public final class SaStatuses {

  private SaStatuses() {}

  static AgentReport.Connection connection(ConnectionState c, String loadError) {
    // sorted by child name: the same snapshot always gives the same list
    List<ChildSaStatus> children =
        new TreeMap<>(c.children())
            .entrySet().stream().map(child -> child(child.getKey(), child.getValue())).toList();
    return new AgentReport.Connection(
        ifReported(c.ikeSa(), SaStatuses::ikeSa),
        children,
        ifReported(c.deadPeerDetection(), SaStatuses::deadPeerDetection),
        ifReported(c.rekeys(), SaStatuses::rekeys),
        ifReported(c.lastFailure(), SaStatuses::failure),
        loadError);
  }

  /** A part the agent did not report stays null, and so out of status. */
  private static <S, T> T ifReported(S state, Function<S, T> status) {
    return state == null ? null : status.apply(state);
  }

  static IkeSaStatus ikeSa(IkeSaState ike) {
    IkeSaStatus s = new IkeSaStatus();
    s.setState(ike.state());
    s.setVersion(ike.version());
    s.setLocalHost(ike.localHost());
    s.setLocalId(ike.localId());
    s.setRemoteHost(ike.remoteHost());
    s.setRemoteId(ike.remoteId());
    s.setAlgorithms(NegotiatedAlgorithms.parse(ike.algorithms()));
    s.setEstablishedAt(time(ike.establishedAt()));
    s.setNextRekeyAt(time(ike.nextRekeyAt()));
    s.setNextReauthAt(time(ike.nextReauthAt()));
    return s;
  }

  static ChildSaStatus child(String name, ChildSaState child) {
    ChildSaStatus s = new ChildSaStatus();
    s.setName(name);
    s.setState(child.state());
    s.setMode(child.mode() == null ? null : child.mode().toLowerCase(Locale.ROOT));
    s.setEncapsulation(child.encapsulation());
    s.setAlgorithms(NegotiatedAlgorithms.parse(child.algorithms()));
    s.setLocalTrafficSelectors(presentOrNull(child.localTrafficSelectors()));
    s.setRemoteTrafficSelectors(presentOrNull(child.remoteTrafficSelectors()));
    s.setInstalledAt(time(child.installedAt()));
    s.setNextRekeyAt(time(child.nextRekeyAt()));
    return s;
  }

  static DeadPeerDetectionStatus deadPeerDetection(DpdState dpd) {
    DeadPeerDetectionStatus s = new DeadPeerDetectionStatus();
    s.setLastOutcome(reason(dpd.lastOutcome()));
    s.setLastDetectedAt(time(dpd.lastDetectedAt()));
    s.setActionTaken(
        dpd.actionTaken() == null ? null : dpd.actionTaken().name().toLowerCase(Locale.ROOT));
    s.setCount((long) dpd.count());
    s.setCountingSince(time(dpd.countingSince()));
    return s;
  }

  static RekeyStatus rekeys(RekeyState rekeys) {
    RekeyStatus s = new RekeyStatus();
    s.setIkeRekeys((long) rekeys.ikeRekeys());
    s.setChildRekeys((long) rekeys.childRekeys());
    s.setLastIkeRekeyAt(time(rekeys.lastIkeRekeyAt()));
    s.setLastChildRekeyAt(time(rekeys.lastChildRekeyAt()));
    s.setCountingSince(time(rekeys.countingSince()));
    return s;
  }

  static FailureStatus failure(FailureState failure) {
    FailureStatus s = new FailureStatus();
    s.setReason(reason(failure.reason()));
    s.setMessage(failure.message());
    s.setAt(time(failure.at()));
    return s;
  }

  /**
   * {@code AUTHENTICATION_FAILED} to {@code AuthenticationFailed}, the condition-reason style; null
   * stays null.
   */
  static String reason(Enum<?> constant) {
    if (constant == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (String word : constant.name().toLowerCase(Locale.ROOT).split("_")) {
      if (!word.isEmpty()) {
        sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
    }
    return sb.toString();
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Null for no selectors, so the field stays out of status. */
  private static List<String> presentOrNull(List<String> values) {
    return values == null || values.isEmpty() ? null : new ArrayList<>(values);
  }
}
