package dev.ipsec.operator.agent.http;

import dev.ipsec.operator.agent.wire.AgentState;
import java.time.Duration;

/** What the HTTP API serves: a revisioned state plus health and readiness. */
public interface AgentStateView {

  long revision();

  /**
   * Blocks until the revision exceeds {@code since} or {@code maxWait} passes; returns the
   * revision.
   */
  long awaitNewerThan(long since, Duration maxWait) throws InterruptedException;

  /** What the state document reports now; must hold no secret. */
  AgentState state();

  /** Null when live, else why not (the process is stuck or charon unreachable for too long). */
  String unhealthyReason();

  /** Null when ready, else why not (charon unreachable or the configuration not applied yet). */
  String notReadyReason();
}
