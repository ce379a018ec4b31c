package dev.ipsec.operator.agent.state;

/**
 * Bytes and packets through one child of one connection since the agent started, summed over every
 * CHILD SA of that child (rekeys start a new SA with fresh counters; these totals never go down).
 * Kept out of {@link dev.ipsec.operator.agent.wire.StateSnapshot} on purpose: they change all the
 * time, so they belong in metrics, not in a revisioned state.
 */
public record TrafficCounters(
    String connection,
    String child,
    long bytesIn,
    long bytesOut,
    long packetsIn,
    long packetsOut) {}
