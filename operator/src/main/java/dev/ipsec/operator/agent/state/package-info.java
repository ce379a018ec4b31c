/**
 * SA state of the gateway, for the agent's HTTP state API and metrics.
 *
 * <ul>
 *   <li>{@link dev.ipsec.operator.agent.state.SaStateTracker}: turns {@code list-sas} polls and
 *       VICI events into revisioned {@link dev.ipsec.operator.agent.wire.StateSnapshot}s ({@code
 *       snapshot()}, {@code awaitNewerThan(revision, maxWait)} for the long-poll) and monotonic
 *       {@link dev.ipsec.operator.agent.state.TrafficCounters} for metrics.
 *   <li>{@link dev.ipsec.operator.agent.state.SaStateMonitor}: feeds a tracker from a live charon
 *       (event subscription plus polling) and reports charon restarts.
 * </ul>
 *
 * <p>The snapshot is the {@code sas} part of the state document ({@link
 * dev.ipsec.operator.agent.wire.AgentStateDocument}) served at {@code GET /v1/state}.
 *
 * <pre>{@code
 * SaStateTracker tracker = new SaStateTracker();
 * SaStateMonitor monitor =
 *     new SaStateMonitor(client, tracker, Duration.ofSeconds(5), () -> reloadExecutor.submit(fullReload)).start();
 * tracker.setConfiguredConnections(loadedConnectionNames);  // after each apply
 * // GET /v1/state?since=N&wait=S:
 * StateSnapshot s = tracker.awaitNewerThan(N, Duration.ofSeconds(S));
 * }</pre>
 */
package dev.ipsec.operator.agent.state;
