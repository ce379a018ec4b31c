package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.ChildSaStatus;
import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.agentstate.AgentReport;
import dev.ipsec.operator.reconcile.agentstate.PeerObservation;
import dev.ipsec.operator.reconcile.ownership.Hashing;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.ProposalAlgorithms;
import dev.ipsec.operator.render.RenderedGateway.RenderedConnection;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

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

  /** The reason of Established=False for a proposal the gateway's charon cannot negotiate. */
  public static final String UNSUPPORTED_ALGORITHM = "UnsupportedAlgorithm";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private PeerStatusBuilder() {}

  /**
   * @param errors the spec's problems (empty when it renders)
   * @param disabled the peer is switched off ({@code spec.disable})
   * @param connection the rendered connection's CHILD SA names and the algorithms it needs
   * @param observation what the gateway reports; empty before any agent answered
   */
  public static IpsecPeerStatus build(
      IpsecPeerStatus previous,
      Long generation,
      List<FieldError> errors,
      boolean disabled,
      RenderedConnection connection,
      Optional<PeerObservation> observation,
      Clock clock) {
    IpsecPeerStatus status = new IpsecPeerStatus();
    Conditions conditions = Conditions.forNewStatus(status, previous, generation, clock);

    boolean valid = errors.isEmpty();
    conditions.setValid(errors, "the peer renders to a strongSwan connection");

    String notUp;
    if (!valid) {
      notUp = "the peer is not valid";
      conditions.set(ESTABLISHED, false, "NotConfigured", notUp);
      conditions.set(TUNNELS_UP, false, "NotConfigured", notUp);
    } else if (disabled) {
      notUp = "the peer is disabled";
      conditions.set(ESTABLISHED, false, "Disabled", notUp);
      conditions.set(TUNNELS_UP, false, "Disabled", notUp);
    } else if (observation.isEmpty()) {
      notUp = "no gateway agent has reported yet";
      conditions.set(ESTABLISHED, Conditions.UNKNOWN, "AwaitingGateway", notUp);
      conditions.set(TUNNELS_UP, Conditions.UNKNOWN, "AwaitingGateway", notUp);
    } else if (!observation.get().reachable()) {
      // the problem names the pod and why: not reachable since when, or speaking another schema
      notUp = observation.get().problem();
      conditions.set(ESTABLISHED, Conditions.UNKNOWN, "AgentUnreachable", notUp);
      conditions.set(TUNNELS_UP, Conditions.UNKNOWN, "AgentUnreachable", notUp);
      keepLastKnown(previous, status);
    } else {
      notUp = observed(observation.get(), connection, conditions, status);
    }

    if (valid && !disabled && notUp == null) {
      conditions.set(READY, true, "Ready", "the IKE SA and all tunnels are up");
    } else {
      Condition blocking = firstNotTrue(conditions.build());
      conditions.set(READY, false, blocking == null ? "NotReady" : blocking.getReason(), notUp);
    }
    status.setConditions(conditions.build());
    return status;
  }

  /** Fills SA fields and conditions from a reachable gateway; null when up, else why not. */
  private static String observed(
      PeerObservation obs,
      RenderedConnection rendered,
      Conditions conditions,
      IpsecPeerStatus status) {
    List<String> expectedChildren = rendered.children();
    AgentReport.Connection c = obs.connection();
    if (obs.loadError() != null) {
      conditions.set(
          ESTABLISHED,
          false,
          "ConfigRejected",
          "the gateway rejected the connection: " + obs.loadError());
      conditions.set(TUNNELS_UP, false, "ConfigRejected", "the connection is not loaded");
      return "the gateway rejected the connection";
    }
    if (c != null) {
      status.setIkeSa(copy(c.ikeSa(), IkeSaStatus.class));
      status.setDeadPeerDetection(c.deadPeerDetection());
      status.setRekeys(c.rekeys());
      status.setLastFailure(c.lastFailure());
    }
    boolean established = c != null && c.established();
    if (established) {
      conditions.set(
          ESTABLISHED,
          true,
          "IkeSaEstablished",
          "IKE SA established with "
              + Optional.ofNullable(c.ikeSa().getRemoteHost()).orElse("the peer"));
    } else {
      if (status.getIkeSa() == null) {
        IkeSaStatus down = new IkeSaStatus();
        down.setState("DOWN");
        status.setIkeSa(down);
      }
      List<ProposalAlgorithms.Needed> unsupported =
          ProposalAlgorithms.missing(rendered.algorithms(), obs.charonAlgorithms());
      if (!unsupported.isEmpty()) {
        // charon only says NO_PROPOSAL_CHOSEN, or asks for the very DH group it cannot compute
        conditions.set(
            ESTABLISHED,
            false,
            UNSUPPORTED_ALGORITHM,
            "the gateway's charon does not implement "
                + unsupported.stream()
                    .map(ProposalAlgorithms.Needed::toString)
                    .collect(Collectors.joining(", ")));
      } else {
        String why =
            c != null && c.lastFailure() != null && c.lastFailure().getReason() != null
                ? c.lastFailure().getReason()
                : "IkeSaDown";
        String message =
            c != null && c.lastFailure() != null && c.lastFailure().getMessage() != null
                ? c.lastFailure().getMessage()
                : "no established IKE SA (state " + status.getIkeSa().getState() + ")";
        conditions.set(ESTABLISHED, false, why, message);
      }
    }
    Map<String, ChildSaStatus> byName =
        c == null
            ? Map.of()
            : c.children().stream()
                .filter(ch -> ch.getName() != null)
                .collect(
                    Collectors.toMap(ChildSaStatus::getName, Function.identity(), (a, b) -> a));
    List<ChildSaStatus> tunnels = new ArrayList<>();
    int installed = 0;
    for (String name : expectedChildren) {
      ChildSaStatus child = byName.get(name);
      ChildSaStatus entry = child == null ? new ChildSaStatus() : copy(child, ChildSaStatus.class);
      entry.setName(name);
      if (child == null) {
        entry.setState("DOWN");
      } else if ("INSTALLED".equalsIgnoreCase(child.getState())) {
        installed++;
      }
      tunnels.add(entry);
    }
    status.setTunnels(tunnels);
    status.setTunnelSummary(installed + "/" + expectedChildren.size());
    boolean allUp = installed == expectedChildren.size() && established;
    conditions.set(
        TUNNELS_UP,
        allUp,
        allUp ? "AllInstalled" : "TunnelsDown",
        installed + " of " + expectedChildren.size() + " tunnels installed");
    return allUp
        ? null
        : !established
            ? "the IKE SA is not established"
            : (expectedChildren.size() - installed) + " tunnels are not installed";
  }

  /** While the agent is unreachable the SA fields keep their last known values: no churn. */
  private static void keepLastKnown(IpsecPeerStatus previous, IpsecPeerStatus status) {
    if (previous == null) {
      return;
    }
    status.setIkeSa(previous.getIkeSa());
    status.setTunnels(previous.getTunnels());
    status.setTunnelSummary(previous.getTunnelSummary());
    status.setDeadPeerDetection(previous.getDeadPeerDetection());
    status.setRekeys(previous.getRekeys());
    status.setLastFailure(previous.getLastFailure());
  }

  private static Condition firstNotTrue(List<Condition> conditions) {
    for (String type : List.of(VALID, ESTABLISHED, TUNNELS_UP)) {
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
    return !Hashing.sameJson(withoutTimers(a), withoutTimers(b));
  }

  private static IpsecPeerStatus withoutTimers(IpsecPeerStatus s) {
    if (s == null) {
      return null;
    }
    IpsecPeerStatus c = JSON.clone(s);
    if (c.getIkeSa() != null) {
      c.getIkeSa().setEstablishedAt(null);
      c.getIkeSa().setNextRekeyAt(null);
      c.getIkeSa().setNextReauthAt(null);
    }
    if (c.getTunnels() != null) {
      c.getTunnels()
          .forEach(
              t -> {
                t.setInstalledAt(null);
                t.setNextRekeyAt(null);
              });
    }
    return c;
  }

  private static <T> T copy(T value, Class<T> type) {
    return value == null ? null : JSON.clone(value);
  }
}
