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
 */
public record PeerObservation(
    boolean reachable,
    String problem,
    AgentReport.Connection connection,
    String loadError,
    Map<String, Set<String>> charonAlgorithms) {

  static PeerObservation unreachable(String problem) {
    return new PeerObservation(false, problem, null, null, Map.of());
  }

  static PeerObservation seen(
      AgentReport.Connection connection,
      String loadError,
      Map<String, Set<String>> charonAlgorithms) {
    return new PeerObservation(true, null, connection, loadError, charonAlgorithms);
  }
}
