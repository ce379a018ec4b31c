package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.agent.wire.AgentState;
import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.agent.wire.AgentStateJson;
import dev.ipsec.operator.agent.wire.CharonStatus;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.agent.wire.UnsupportedStateSchemaException;
import dev.ipsec.operator.api.v1alpha1.ConfigPendingStatus;
import dev.ipsec.operator.render.CredentialNames;
import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An agent's state document ({@code GET /v1/state}) as the operator uses it: an {@link AgentReport}
 * in the API's status types, with every load error listed for the gateway and attributed to its
 * peer where it has one.
 */
public final class AgentReports {

  private AgentReports() {}

  /**
   * Binds and maps the body of {@code GET /v1/state}.
   *
   * @throws UnsupportedStateSchemaException when the agent speaks another state schema than this
   *     operator
   * @throws IOException when the body is no state document
   */
  public static AgentReport read(String pod, byte[] body) throws IOException {
    return from(pod, AgentStateJson.read(body));
  }

  public static AgentReport from(String pod, AgentStateDocument document) {
    AgentState state = document.state();
    LoaderStatus loader = state.loader();
    CharonStatus charon = state.charon();

    Map<String, String> errorsByConnection = new TreeMap<>();
    for (LoaderStatus.Connection c : loader.connections()) {
      if (c.error() != null) {
        errorsByConnection.put(c.name(), c.error());
      }
    }
    List<String> loadErrors = new ArrayList<>();
    errorsByConnection.forEach((name, error) -> loadErrors.add(name + ": " + error));
    loadErrors.addAll(loader.fileErrors());
    Set<String> connectionNames =
        loader.connections().stream()
            .map(LoaderStatus.Connection::name)
            .collect(Collectors.toSet());
    for (Refusal refusal : refusals(loader)) {
      loadErrors.add(refusal.message());
      // a refused key, certificate or secret belongs to the peer it was rendered for: without it
      // the peer would only ever show its IKE SA down
      CredentialNames.ownerOf(refusal.name(), connectionNames)
          .ifPresent(
              connection ->
                  errorsByConnection.merge(connection, refusal.message(), (a, b) -> a + "; " + b));
    }

    Map<String, AgentReport.Connection> connections = new TreeMap<>();
    state
        .sas()
        .connections()
        .forEach(
            (name, c) ->
                connections.put(name, SaStatuses.connection(c, errorsByConnection.get(name))));
    // a connection charon never loaded has no SA state, only its error
    errorsByConnection.forEach(
        (name, error) ->
            connections.putIfAbsent(
                name, new AgentReport.Connection(null, List.of(), null, null, null, error)));

    return new AgentReport(
        pod,
        true,
        null,
        document.revision(),
        charon.version(),
        new TreeMap<String, Set<String>>(charon.algorithms()),
        loader.configRevision(),
        loader.connectionsLoaded(),
        loadErrors,
        pending(loader.pending()),
        loader.ignoredFiles(),
        connections);
  }

  /** The agent's pending revision as status: file names and one line, no content. */
  static ConfigPendingStatus pending(LoaderStatus.ConfigPending pending) {
    if (pending == null) {
      return null;
    }
    ConfigPendingStatus status = new ConfigPendingStatus();
    status.setRevision(pending.revision());
    status.setSince(
        pending.since() == null
            ? null
            : pending.since().truncatedTo(ChronoUnit.SECONDS).toString());
    status.setMissingFiles(new ArrayList<>(pending.missingFiles()));
    status.setMismatchedFiles(new ArrayList<>(pending.mismatchedFiles()));
    status.setReason(pending.reason());
    return status;
  }

  /**
   * A secret or credential file charon refused: {@code item} as listed, {@code name} as rendered.
   */
  private record Refusal(String item, String name, String error) {
    String message() {
      return item + ": " + error;
    }
  }

  private static List<Refusal> refusals(LoaderStatus loader) {
    List<Refusal> refusals = new ArrayList<>();
    loader
        .secretErrors()
        .forEach((id, error) -> refusals.add(new Refusal("secret " + id, id, error)));
    loader
        .credentialErrors()
        .forEach((file, error) -> refusals.add(new Refusal(file, file, error)));
    refusals.sort(Comparator.comparing(Refusal::item));
    return refusals;
  }
}
