package dev.ipsec.operator.reconcile;

/**
 * What the gateway says about one peer.
 *
 * @param reachable at least one of the gateway's agents answers
 * @param problem why none answers
 * @param connection the connection as charon runs it, null when the agents do not know it (yet)
 * @param loadError why an agent could not load it
 */
public record PeerObservation(boolean reachable, String problem, AgentReport.Connection connection,
    String loadError) {

  static PeerObservation unreachable(String problem) {
    return new PeerObservation(false, problem, null, null);
  }

  static PeerObservation seen(AgentReport.Connection connection, String loadError) {
    return new PeerObservation(true, null, connection, loadError);
  }
}
