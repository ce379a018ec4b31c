package dev.ipsec.operator.agent.wire;

import java.time.Instant;
import java.util.Map;
import java.util.SortedSet;

/**
 * What the agent knows about its charon.
 *
 * @param reachable the last probe succeeded
 * @param lastContact when charon last answered (null if never)
 * @param version strongSwan version from VICI {@code version}, e.g. {@code 5.9.8}
 * @param startedAt charon's own start time ({@code stats} {@code uptime.since})
 * @param restarts restarts seen since the agent started
 * @param configApplied the current configuration is loaded since charon's last start
 * @param algorithms what charon's plugins implement ({@code get-algorithms}, read once per charon
 *     start), by section; empty until charon first answered
 */
public record CharonStatus(
    boolean reachable,
    Instant lastContact,
    String version,
    String startedAt,
    long restarts,
    boolean configApplied,
    Map<String, SortedSet<String>> algorithms) {

  public CharonStatus {
    algorithms = Map.copyOf(algorithms);
  }
}
