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
 * @param pending the newest revision the volume announces but does not yet hold completely, once it
 *     has stayed incomplete past the agent's bound; null while the view is complete or within it
 * @param ignoredFiles files in the volume that no manifest lists (a leftover of an old revision or
 *     someone else's object), once they have stayed past the same bound; never loaded
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
    List<String> failedFiles,
    ConfigPending pending,
    List<String> ignoredFiles) {

  public LoaderStatus {
    connections = List.copyOf(connections);
    secretsLoaded = List.copyOf(secretsLoaded);
    secretErrors = Map.copyOf(secretErrors);
    credentialErrors = Map.copyOf(credentialErrors);
    fileErrors = List.copyOf(fileErrors);
    failedFiles = List.copyOf(failedFiles);
    ignoredFiles = ignoredFiles == null ? List.of() : List.copyOf(ignoredFiles);
  }

  /** This status with the volume's part: what the loader's last look at the volume found. */
  public LoaderStatus withVolume(ConfigPending pending, List<String> ignoredFiles) {
    return new LoaderStatus(
        configRevision,
        lastApplied,
        connectionsLoaded,
        connections,
        secretsLoaded,
        secretErrors,
        credentialErrors,
        fileErrors,
        failedFiles,
        pending,
        ignoredFiles);
  }

  /**
   * A revision the agent does not load because the volume does not hold all of it yet (the kubelet
   * refreshes each projected object on its own), or holds a file whose digest does not match. The
   * previous complete revision stays loaded meanwhile.
   *
   * @param revision the revision the manifests announce (null when they disagree or cannot be read)
   * @param since when the agent first saw the view incomplete
   * @param missingFiles listed files that are absent
   * @param mismatchedFiles listed files whose content does not match the listed digest
   * @param reason one line for humans: what keeps the revision from loading
   */
  public record ConfigPending(
      String revision,
      Instant since,
      List<String> missingFiles,
      List<String> mismatchedFiles,
      String reason) {
    public ConfigPending {
      missingFiles = List.copyOf(missingFiles);
      mismatchedFiles = List.copyOf(mismatchedFiles);
    }

    /** This pending revision, first seen incomplete at {@code since}. */
    public ConfigPending withSince(Instant since) {
      return new ConfigPending(revision, since, missingFiles, mismatchedFiles, reason);
    }
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
