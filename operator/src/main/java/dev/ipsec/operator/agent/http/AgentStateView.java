package dev.ipsec.operator.agent.http;

import dev.ipsec.operator.agent.wire.AgentState;
import java.util.function.LongConsumer;

/** What the HTTP endpoints serve: a revisioned state plus health and readiness. */
public interface AgentStateView {

  long revision();

  /** Calls {@code listener} with the new revision after every change, from the changing thread. */
  void onNewRevision(LongConsumer listener);

  /** What the state document reports now; must hold no secret. */
  AgentState state();

  /** Null when live, else why not (the process is stuck or charon unreachable for too long). */
  String unhealthyReason();

  /** Null when ready, else why not (charon unreachable or the configuration not applied yet). */
  String notReadyReason();
}
