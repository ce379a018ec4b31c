package dev.ipsec.operator.agent.wire;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The loader's side of the agent state: which configuration revision is applied, which connections
 * are loaded and which items failed. Names and fingerprints only, never secret values.
 *
 * @param configRevision revision of the configuration last applied (null before the first apply)
 * @param lastApplied when the last apply finished
 * @param connectionsLoaded number of connections loaded in charon by this agent
 * @param connections every known connection with its loaded fingerprint and last error
 * @param secretsLoaded ids of the shared secrets loaded
 * @param secretErrors error per secret id
 * @param credentialErrors error per credential file
 * @param fileErrors parse errors that belong to no single connection or secret
 * @param failedFiles files that did not parse (their items keep their last good state)
 */
public record LoaderStatus(
    String configRevision,
    Instant lastApplied,
    int connectionsLoaded,
    List<Connection> connections,
    List<String> secretsLoaded,
    Map<String, String> secretErrors,
    Map<String, String> credentialErrors,
    List<String> fileErrors,
    List<String> failedFiles) {

  public LoaderStatus {
    connections = List.copyOf(connections);
    secretsLoaded = List.copyOf(secretsLoaded);
    secretErrors = Map.copyOf(secretErrors);
    credentialErrors = Map.copyOf(credentialErrors);
    fileErrors = List.copyOf(fileErrors);
    failedFiles = List.copyOf(failedFiles);
  }

  /**
   * @param loaded charon holds a version loaded by this agent
   * @param fingerprint fingerprint of the loaded version
   * @param current the loaded version is the one the files ask for
   * @param error the last read or load error, or null
   */
  public record Connection(
      String name, boolean loaded, String fingerprint, boolean current, String error) {}
}
