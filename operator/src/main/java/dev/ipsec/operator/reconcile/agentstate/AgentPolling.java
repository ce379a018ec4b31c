package dev.ipsec.operator.reconcile.agentstate;

import java.time.Duration;

/**
 * How the operator follows the agents.
 *
 * @param enabled follow the agents at all
 * @param longPollWait how long one long-poll may block on the agent
 * @param unreachableAfter how long an agent may fail before its peers turn Unknown (no flapping)
 * @param retryBackoff pause after a failed request
 */
public record AgentPolling(
    boolean enabled, Duration longPollWait, Duration unreachableAfter, Duration retryBackoff) {

  public static AgentPolling defaults() {
    return new AgentPolling(
        true, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(2));
  }

  public static AgentPolling disabled() {
    return new AgentPolling(
        false, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(2));
  }
}
