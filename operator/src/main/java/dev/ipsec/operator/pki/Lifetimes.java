package dev.ipsec.operator.pki;

import java.time.Duration;

/**
 * How long the certificates of the operator-agent channel live. Each end-entity certificate is
 * renewed when a third of its lifetime is left ({@link Renewal}), so a renewal that fails (API
 * server down, operator not running) has days to succeed before anything expires.
 */
public final class Lifetimes {

  /** The CA: long, because replacing it means reissuing every agent certificate at once. */
  public static final Duration CA = Duration.ofDays(3650);

  /** An agent's server certificate, stored in its gateway's Secret: renewed after 20 days. */
  public static final Duration AGENT_CERTIFICATE = Duration.ofDays(30);

  /** The operator's client certificate, held in memory only: renewed after about 4.7 days. */
  public static final Duration OPERATOR_CERTIFICATE = Duration.ofDays(7);

  /**
   * How far back a certificate's notBefore is set: the clocks of the operator's node and the
   * gateway's node may differ a little, and a certificate must not look "not yet valid".
   */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private Lifetimes() {}
}
