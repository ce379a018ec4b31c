package dev.ipsec.operator.reconcile.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.agentstate.PeerObservation;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.RenderedGateway.RenderedConnection;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * An IpsecPeer's status from what the operator knows: whether the spec renders, and what the
 * gateway's agents report. Pure, so that the mapping from agent state to conditions is tested
 * without a cluster.
 */
public final class PeerStatusBuilder {

  public static final String VALID = Conditions.VALID;
  public static final String ESTABLISHED = "Established";
  public static final String TUNNELS_UP = "TunnelsUp";
  public static final String READY = "Ready";

  /**
   * Whether the gateway's agents run the spec's generation; {@code observedGeneration} follows it
   * ({@link PeerConfigLoaded}).
   */
  public static final String CONFIG_LOADED = PeerConfigLoaded.TYPE;

  /** The reason of Established=False for a proposal the gateway's charon cannot negotiate. */
  public static final String UNSUPPORTED_ALGORITHM = "UnsupportedAlgorithm";

  /** The reason of Established=False while the gateway policy keeps the gateway's pods away. */
  public static final String GATEWAY_POLICY_DENIED = "GatewayPolicyDenied";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final String ALL_UP = "the IKE SA and all tunnels are up";

  private PeerStatusBuilder() {}

  /** The status of a peer whose spec's own rendering runs (or is disabled or invalid). */
  public static IpsecPeerStatus build(
      IpsecPeerStatus previous,
      Long generation,
      List<FieldError> errors,
      boolean disabled,
      RenderedConnection connection,
      Optional<PeerObservation> observation,
      Clock clock) {
    return build(
        previous,
        generation,
        errors,
        disabled,
        errors.isEmpty()
            ? RunningConfig.current(
                connection, previous == null ? null : previous.getRunningGeneration())
            : new RunningConfig(RunningConfig.Kind.NONE, connection, null, null),
        observation,
        Optional.empty(),
        clock);
  }

  /**
   * @param errors the spec's problems (empty when it renders and fits)
   * @param disabled the peer is switched off ({@code spec.disable})
   * @param running what of the peer the gateway runs: its conditions come from the SAs of that
   *     connection, so an invalid spec whose previous configuration keeps running ({@link
   *     RunningConfig.Kind#KEPT}) shows the tunnels that really run
   * @param observation what the gateway reports; empty before any agent answered
   * @param gatewayRefused why the operator runs no pods for the peer's gateway (its gateway policy
   *     refuses the IpsecGlobal), shown while no agent of the gateway reports; empty when it does
   *     not refuse
   */
  public static IpsecPeerStatus build(
      IpsecPeerStatus previous,
      Long generation,
      List<FieldError> errors,
      boolean disabled,
      RunningConfig running,
      Optional<PeerObservation> observation,
      Optional<String> gatewayRefused,
      Clock clock) {
    IpsecPeerStatus status = new IpsecPeerStatus();
    Conditions conditions = Conditions.forNewStatus(status, previous, generation, clock);
    status.setRunningGeneration(running.runningGeneration());

    boolean valid = errors.isEmpty();
    conditions.setValid(errors, "the peer renders to a strongSwan connection");
    boolean kept = !valid && running.kind() == RunningConfig.Kind.KEPT;
    if (!valid && running.kind() == RunningConfig.Kind.UNKNOWN && previous != null) {
      // after a restart, until the gateway is planned again: what ran before still runs
      return withPreviousTunnels(previous, conditions, status);
    }
    if (valid) {
      // a valid generation is observed once the agents run it: until then the one they run
      status.setObservedGeneration(
          PeerConfigLoaded.set(
              conditions,
              previous,
              generation == null ? 0L : generation,
              disabled,
              running.runningGeneration(),
              observation,
              gatewayRefused));
    }
    boolean awaitingFirstReport =
        observation.map(PeerObservation::awaitingFirstReport).orElse(false);
    if (valid && !disabled && awaitingFirstReport && previous != null) {
      // a new operator (or leader) has not heard from the gateway yet: not knowing the tunnels is
      // no news about them, and what the status said stands until the agents report
      return withPreviousTunnels(previous, conditions, status);
    }

    String notUp;
    if (!valid && !kept) {
      notUp = "the peer is not valid";
      conditions.set(ESTABLISHED, false, "NotConfigured", notUp);
      conditions.set(TUNNELS_UP, false, "NotConfigured", notUp);
    } else if (disabled && !kept) {
      notUp = "the peer is disabled";
      conditions.set(ESTABLISHED, false, "Disabled", notUp);
      conditions.set(TUNNELS_UP, false, "Disabled", notUp);
    } else if ((observation.isEmpty() || awaitingFirstReport) && gatewayRefused.isPresent()) {
      notUp = gatewayRefused.get();
      conditions.set(ESTABLISHED, false, GATEWAY_POLICY_DENIED, notUp);
      conditions.set(TUNNELS_UP, false, GATEWAY_POLICY_DENIED, notUp);
    } else if (observation.isEmpty() || awaitingFirstReport) {
      notUp = "no gateway agent has reported yet";
      conditions.set(ESTABLISHED, Conditions.UNKNOWN, "AwaitingGateway", notUp);
      conditions.set(TUNNELS_UP, Conditions.UNKNOWN, "AwaitingGateway", notUp);
    } else if (!observation.get().reachable()) {
      // the problem names the pod and why: not reachable since when, or speaking another schema
      notUp = observation.get().problem();
      conditions.set(ESTABLISHED, Conditions.UNKNOWN, "AgentUnreachable", notUp);
      conditions.set(TUNNELS_UP, Conditions.UNKNOWN, "AgentUnreachable", notUp);
      PeerSaConditions.keepLastKnown(previous, status);
    } else {
      notUp =
          PeerSaConditions.observed(observation.get(), running.connection(), conditions, status);
    }

    if ((valid && !disabled || kept) && notUp == null) {
      conditions.set(READY, true, "Ready", kept ? keptUp(running, generation) : ALL_UP);
    } else {
      Condition blocking = firstNotTrue(conditions.build(), kept);
      conditions.set(READY, false, blocking == null ? "NotReady" : blocking.getReason(), notUp);
    }
    status.setConditions(conditions.build());
    return status;
  }

  /** The status with what {@code previous} said of the SAs, their conditions and Ready. */
  private static IpsecPeerStatus withPreviousTunnels(
      IpsecPeerStatus previous, Conditions conditions, IpsecPeerStatus status) {
    for (String type : List.of(ESTABLISHED, TUNNELS_UP, READY)) {
      Condition c = Conditions.find(previous.getConditions(), type);
      if (c != null) {
        conditions.set(type, c.getStatus(), c.getReason(), c.getMessage());
      }
    }
    PeerSaConditions.keepLastKnown(previous, status);
    status.setConditions(conditions.build());
    return status;
  }

  /** Ready's message for a kept configuration: which one runs, and that the spec is not applied. */
  private static String keptUp(RunningConfig running, Long generation) {
    if (running.keptGeneration() == null || running.keptGeneration().equals(generation)) {
      // the spec did not change, something it refers to did (a Secret edit that is refused)
      return "the IKE SA and all tunnels of the configuration loaded before are up; generation "
          + generation
          + " does not render now (see Valid)";
    }
    return "the IKE SA and all tunnels of generation "
        + running.keptGeneration()
        + " are up; the spec of generation "
        + generation
        + " is not applied (see Valid)";
  }

  /** The first condition that holds Ready back; a kept configuration is not held back by Valid. */
  private static Condition firstNotTrue(List<Condition> conditions, boolean kept) {
    for (String type :
        kept ? List.of(ESTABLISHED, TUNNELS_UP) : List.of(VALID, ESTABLISHED, TUNNELS_UP)) {
      Condition c = Conditions.find(conditions, type);
      if (c != null && !Conditions.TRUE.equals(c.getStatus())) {
        return c;
      }
    }
    return null;
  }

  /**
   * Whether two statuses differ in more than the SA timers (the establish and install times a rekey
   * renews, next rekey and reauth times): only such a transition is worth a status write. A rekey
   * is one (its count and time move, once per rekey, hours apart with real lifetimes), so the rekey
   * history in status stays current and nothing is written between rekeys. The timers shown are
   * those of the last write, which is what "up since" means to a reader.
   */
  public static boolean differsBeyondTimers(IpsecPeerStatus a, IpsecPeerStatus b) {
    // as JSON trees, with the timers taken out of the trees: no copy of either status is made
    // (this runs on every peer reconcile)
    return a == null || b == null ? a != b : !withoutTimers(a).equals(withoutTimers(b));
  }

  private static JsonNode withoutTimers(IpsecPeerStatus s) {
    JsonNode tree = JSON.convertValue(s, JsonNode.class);
    if (tree.get("ikeSa") instanceof ObjectNode ikeSa) {
      ikeSa.remove(List.of("establishedAt", "nextRekeyAt", "nextReauthAt"));
    }
    if (tree.get("tunnels") != null) {
      tree.get("tunnels")
          .forEach(
              t -> {
                if (t instanceof ObjectNode tunnel) {
                  tunnel.remove(List.of("installedAt", "nextRekeyAt"));
                }
              });
    }
    return tree;
  }
}
