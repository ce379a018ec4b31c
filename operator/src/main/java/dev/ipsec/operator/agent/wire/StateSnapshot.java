package dev.ipsec.operator.agent.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the gateway's SAs are doing, as served by the agent's {@code GET /v1/state}.
 *
 * <p>{@code revision} increases by one on every meaningful change (the agent's SA tracker ignores
 * counters and countdown timers); {@code changedAt} is when that revision was made. Connections are
 * keyed by connection name. Immutable; serialise with {@link AgentStateJson#mapper()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StateSnapshot(
    long revision, Instant changedAt, Map<String, ConnectionState> connections) {

  public StateSnapshot {
    connections = Map.copyOf(connections);
  }

  /**
   * One connection: its IKE SA (null when none), CHILD SAs by child name, DPD and rekey history.
   * Fields the IpsecPeer status shows carry the status's names ({@code ikeSa}, {@code
   * deadPeerDetection}, ...), so a field has one name from charon to the user.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ConnectionState(
      IkeSaState ikeSa,
      Map<String, ChildSaState> children,
      int childrenInstalled,
      DpdState deadPeerDetection,
      RekeyState rekeys,
      FailureState lastFailure) {

    public ConnectionState {
      children = Map.copyOf(children);
    }
  }

  /**
   * The connection's current IKE SA (the ESTABLISHED one with the highest unique id, else the
   * newest). Times are absolute, fixed once per SA.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IkeSaState(
      String state,
      int version,
      long uniqueId,
      String localHost,
      String localId,
      String remoteHost,
      String remoteId,
      String initiatorSpi,
      String responderSpi,
      String algorithms,
      Instant establishedAt,
      Instant nextRekeyAt,
      Instant nextReauthAt) {}

  /**
   * One child: the INSTALLED CHILD SA of that name (the newest if several), else the newest one in
   * whatever state. {@code encapsulation} is true for UDP encapsulation (always with
   * kernel-libipsec).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ChildSaState(
      String state,
      long uniqueId,
      String mode,
      String protocol,
      boolean encapsulation,
      String spiIn,
      String spiOut,
      String algorithms,
      Instant installedAt,
      Instant nextRekeyAt,
      Instant expiresAt,
      List<String> localTrafficSelectors,
      List<String> remoteTrafficSelectors) {}

  /**
   * Dead-peer detection: the last outcome, when, which action charon took, how many so far, and
   * since when they are counted: the agent's start, so a restarted agent says its count began again
   * rather than going backwards unexplained.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DpdState(
      DpdOutcome lastOutcome,
      Instant lastDetectedAt,
      DpdAction actionTaken,
      int count,
      Instant countingSince) {}

  public enum DpdOutcome {
    /** Requests to the peer went unanswered until charon gave up; its IKE SA was torn down. */
    PEER_DEAD
  }

  public enum DpdAction {
    /** charon re-initiated the connection ({@code dpd_action = restart}). */
    RESTART,
    /** Trap policies were installed: traffic re-triggers a negotiation ({@code trap}). */
    TRAP,
    /** The SAs were just removed ({@code clear}, the default). */
    CLEAR
  }

  /**
   * Rekeys seen since the agent started ({@code countingSince}): IKE and CHILD counts and the last
   * time of each.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RekeyState(
      int ikeRekeys,
      Instant lastIkeRekeyAt,
      int childRekeys,
      Instant lastChildRekeyAt,
      Instant countingSince) {}

  /**
   * The first failure of the latest failure episode (an episode ends when the IKE SA is established
   * again): repeating the same failure does not change the snapshot.
   */
  public record FailureState(FailureReason reason, String message, Instant at) {}

  public enum FailureReason {
    AUTHENTICATION_FAILED,
    NO_PROPOSAL_CHOSEN,
    TS_UNACCEPTABLE,
    PEER_NOT_RESPONDING
  }
}
