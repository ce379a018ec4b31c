package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.ChildSaStatus;
import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.agentstate.AgentReport;
import dev.ipsec.operator.reconcile.agentstate.PeerObservation;
import dev.ipsec.operator.render.ProposalAlgorithms;
import dev.ipsec.operator.render.RenderedGateway.RenderedConnection;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The SA part of a peer's status: the IKE SA, each tunnel's CHILD SA and the Established and
 * TunnelsUp conditions, from what a reachable gateway reports about the connection that runs.
 */
final class PeerSaConditions {

  static final String ESTABLISHED = PeerStatusBuilder.ESTABLISHED;
  static final String TUNNELS_UP = PeerStatusBuilder.TUNNELS_UP;
  static final String UNSUPPORTED_ALGORITHM = PeerStatusBuilder.UNSUPPORTED_ALGORITHM;

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private PeerSaConditions() {}

  /** Fills SA fields and conditions from a reachable gateway; null when up, else why not. */
  static String observed(
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
      status.setIkeSa(copy(c.ikeSa()));
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
      ChildSaStatus entry = child == null ? new ChildSaStatus() : copy(child);
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
  static void keepLastKnown(IpsecPeerStatus previous, IpsecPeerStatus status) {
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

  private static <T> T copy(T value) {
    return value == null ? null : JSON.clone(value);
  }
}
