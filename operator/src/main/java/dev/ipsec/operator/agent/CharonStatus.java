package dev.ipsec.operator.agent;

import java.time.Instant;

/**
 * What the agent knows about its charon.
 *
 * @param reachable the last probe succeeded
 * @param lastContact when charon last answered (null if never)
 * @param version strongSwan version from VICI {@code version}, e.g. {@code 5.9.8}
 * @param startedAt charon's own start time ({@code stats} {@code uptime.since})
 * @param restarts restarts seen since the agent started
 * @param configApplied the current configuration is loaded since charon's last start
 */
public record CharonStatus(boolean reachable, Instant lastContact, String version, String startedAt, long restarts, boolean configApplied) {}
