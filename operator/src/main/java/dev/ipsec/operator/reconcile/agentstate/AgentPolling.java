package dev.ipsec.operator.reconcile.agentstate;

import java.time.Duration;

/**
 * How the operator follows the agents.
 *
 * @param enabled follow the agents at all
 * @param longPollWait how long one long-poll may block on the agent
 * @param unreachableAfter how long an agent may fail before its peers turn Unknown (no flapping)
 * @param retryBackoff pause after a failed request
 * @param maxStateBytes the largest state document read from an agent; a longer answer is an error
 *     of that pod (8 MiB holds the state of about 6,000 single-tunnel peers)
 */
public record AgentPolling(
    boolean enabled,
    Duration longPollWait,
    Duration unreachableAfter,
    Duration retryBackoff,
    long maxStateBytes) {

  public static final long DEFAULT_MAX_STATE_BYTES = 8L * 1024 * 1024;

  public AgentPolling {
    if (maxStateBytes < 1024) {
      throw new IllegalArgumentException("an agent's state may take at least 1 KiB");
    }
  }

  public AgentPolling(
      boolean enabled, Duration longPollWait, Duration unreachableAfter, Duration retryBackoff) {
    this(enabled, longPollWait, unreachableAfter, retryBackoff, DEFAULT_MAX_STATE_BYTES);
  }

  public static AgentPolling defaults() {
    return new AgentPolling(
        true, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(2));
  }

  public static AgentPolling disabled() {
    return new AgentPolling(
        false, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(2));
  }

  public AgentPolling withMaxStateBytes(long bytes) {
    return new AgentPolling(enabled, longPollWait, unreachableAfter, retryBackoff, bytes);
  }
}
