package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.render.RenderedGateway.RenderedConnection;

/**
 * What the gateway runs of a peer, as far as the operator knows, for its status.
 *
 * @param kind whose configuration is written for the peer
 * @param connection the connection that runs: the spec's ({@link Kind#CURRENT}) or the kept files'
 *     ({@link Kind#KEPT}); its CHILD SA names are the tunnels the status lists
 * @param keptGeneration the generation the kept files were rendered from ({@link Kind#KEPT})
 * @param runningGeneration {@code status.runningGeneration}: the generation the agents report
 *     loaded, or the previous value while that is unknown
 */
public record RunningConfig(
    Kind kind, RenderedConnection connection, Long keptGeneration, Long runningGeneration) {

  /** Whose configuration the gateway's volume holds for the peer. */
  public enum Kind {
    /** The spec's own rendering (or, for a disabled peer, nothing by choice). */
    CURRENT,
    /** A previous valid rendering, kept running while the spec is invalid or does not fit. */
    KEPT,
    /** Nothing: the spec never rendered, its configuration was revoked, or it found no room. */
    NONE,
    /** Not known yet: the gateway was not planned since the operator started. */
    UNKNOWN
  }

  public static RunningConfig current(RenderedConnection connection, Long runningGeneration) {
    return new RunningConfig(Kind.CURRENT, connection, null, runningGeneration);
  }
}
