package dev.ipsec.operator.pki;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * When a certificate is replaced: once less than a third of its lifetime is left, or when it is not
 * valid at all now. Renewal overlaps: the old certificate stays valid while the new one is rolled
 * out, so no connection is refused during the change.
 */
public final class Renewal {

  /** Renew when the time left falls below lifetime / {@code RENEW_WHEN_LEFT_BELOW_DIVISOR}. */
  public static final int RENEW_WHEN_LEFT_BELOW_DIVISOR = 3;

  private Renewal() {}

  public static boolean isDue(X509Certificate certificate, Instant now) {
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (now.isBefore(notBefore) || !now.isBefore(notAfter)) {
      return true;
    }
    Duration lifetime = Duration.between(notBefore, notAfter);
    Duration left = Duration.between(now, notAfter);
    return left.compareTo(lifetime.dividedBy(RENEW_WHEN_LEFT_BELOW_DIVISOR)) < 0;
  }
}
