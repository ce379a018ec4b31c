package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.api.v1alpha1.ChildSaStatus;
import dev.ipsec.operator.api.v1alpha1.ConfigPendingStatus;
import dev.ipsec.operator.api.v1alpha1.DeadPeerDetectionStatus;
import dev.ipsec.operator.api.v1alpha1.FailureStatus;
import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.api.v1alpha1.RekeyStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the operator last learnt from one gateway pod's agent, already in the API's status types
 * ({@link AgentReports} makes it from the agent's state document).
 *
 * @param pod the gateway pod
 * @param reachable the last exchange with the agent gave a state this operator reads (or failed for
 *     less than the grace)
 * @param problem why the agent gives no usable state (unreachable, or speaking another state
 *     schema), null when reachable
 * @param agentRevision the agent's state revision, for the next long-poll
 * @param strongswanVersion what charon reports
 * @param charonAlgorithms what charon's plugins implement, by {@code get-algorithms} section; empty
 *     when the agent did not say
 * @param configRevision revision of the configuration the agent has loaded
 * @param connectionsLoaded connections loaded in charon
 * @param loadErrors load errors of the configuration, by item
 * @param pending a newer revision the agent does not load yet (files missing or not matching their
 *     manifest), null when there is none
 * @param ignoredFiles files in the volume that no manifest lists, never loaded
 * @param connections SA state by connection name (= IpsecPeer name)
 */
public record AgentReport(
    String pod,
    boolean reachable,
    String problem,
    long agentRevision,
    String strongswanVersion,
    Map<String, Set<String>> charonAlgorithms,
    String configRevision,
    Integer connectionsLoaded,
    List<String> loadErrors,
    ConfigPendingStatus pending,
    List<String> ignoredFiles,
    Map<String, Connection> connections) {

  public AgentReport {
    charonAlgorithms = charonAlgorithms == null ? Map.of() : Map.copyOf(charonAlgorithms);
    loadErrors = loadErrors == null ? List.of() : List.copyOf(loadErrors);
    ignoredFiles = ignoredFiles == null ? List.of() : List.copyOf(ignoredFiles);
    connections = connections == null ? Map.of() : Map.copyOf(connections);
  }

  public static AgentReport unreachable(String pod, String problem, AgentReport last) {
    return last == null
        ? new AgentReport(
            pod, false, problem, 0, null, Map.of(), null, null, List.of(), null, List.of(),
            Map.of())
        : new AgentReport(
            pod,
            false,
            problem,
            last.agentRevision,
            last.strongswanVersion,
            last.charonAlgorithms,
            last.configRevision,
            last.connectionsLoaded,
            last.loadErrors,
            last.pending,
            last.ignoredFiles,
            last.connections);
  }

  /**
   * One connection as charon runs it.
   *
   * @param ikeSa the IKE SA, null when there is none
   * @param children the CHILD SAs by child name
   * @param loadError why the agent could not load this connection, null when loaded
   */
  public record Connection(
      IkeSaStatus ikeSa,
      List<ChildSaStatus> children,
      DeadPeerDetectionStatus deadPeerDetection,
      RekeyStatus rekeys,
      FailureStatus lastFailure,
      String loadError) {

    public Connection {
      children = children == null ? List.of() : List.copyOf(children);
    }

    public boolean established() {
      return ikeSa != null && "ESTABLISHED".equalsIgnoreCase(ikeSa.getState());
    }
  }
}
