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
 * @param gatewayStatusEvery the least time between two IpsecGlobal reconciles that its agents'
 *     reports start: the first report of a quiet gateway starts one at once, the reports within
 *     this time after it one more at its end, which writes the state of the last ({@link
 *     CoalescingTrigger}); zero starts one per report
 */
public record AgentPolling(
    boolean enabled,
    Duration longPollWait,
    Duration unreachableAfter,
    Duration retryBackoff,
    long maxStateBytes,
    Duration gatewayStatusEvery) {

  public static final long DEFAULT_MAX_STATE_BYTES = 8L * 1024 * 1024;

  /**
   * A few hundred milliseconds: short enough that a person or a health check never waits for it,
   * long enough to fold a burst of reports (a pod's start, a rekey of many peers) into one status
   * write of the gateway.
   */
  public static final Duration DEFAULT_GATEWAY_STATUS_EVERY = Duration.ofMillis(300);

  public AgentPolling {
    if (maxStateBytes < 1024) {
      throw new IllegalArgumentException("an agent's state may take at least 1 KiB");
    }
    if (gatewayStatusEvery.isNegative()) {
      throw new IllegalArgumentException("a negative gateway status interval");
    }
  }

  public AgentPolling(
      boolean enabled, Duration longPollWait, Duration unreachableAfter, Duration retryBackoff) {
    this(
        enabled,
        longPollWait,
        unreachableAfter,
        retryBackoff,
        DEFAULT_MAX_STATE_BYTES,
        DEFAULT_GATEWAY_STATUS_EVERY);
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
    return new AgentPolling(
        enabled, longPollWait, unreachableAfter, retryBackoff, bytes, gatewayStatusEvery);
  }

  public AgentPolling withGatewayStatusEvery(Duration interval) {
    return new AgentPolling(
        enabled, longPollWait, unreachableAfter, retryBackoff, maxStateBytes, interval);
  }
}
