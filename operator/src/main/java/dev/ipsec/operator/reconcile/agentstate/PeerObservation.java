package dev.ipsec.operator.reconcile.agentstate;

import java.util.Map;
import java.util.Set;

/**
 * What the gateway says about one peer.
 *
 * @param reachable at least one of the gateway's agents answers
 * @param problem why none answers
 * @param connection the connection as charon runs it, null when the agents do not know it (yet)
 * @param loadError why an agent could not load it
 * @param charonAlgorithms what every reachable pod's charon implements, by {@code get-algorithms}
 *     section; empty when no agent said
 * @param awaitingFirstReport this operator has not heard from the gateway's agents since it
 *     started, and may still ({@link GatewayStateStore#untilFirstReport}): nothing is known, which
 *     is not the same as nothing being up
 */
public record PeerObservation(
    boolean reachable,
    String problem,
    AgentReport.Connection connection,
    String loadError,
    Map<String, Set<String>> charonAlgorithms,
    boolean awaitingFirstReport) {

  static PeerObservation unreachable(String problem) {
    return new PeerObservation(false, problem, null, null, Map.of(), false);
  }

  static PeerObservation beforeFirstReport() {
    return new PeerObservation(false, null, null, null, Map.of(), true);
  }

  static PeerObservation seen(
      AgentReport.Connection connection,
      String loadError,
      Map<String, Set<String>> charonAlgorithms) {
    return new PeerObservation(true, null, connection, loadError, charonAlgorithms, false);
  }
}
