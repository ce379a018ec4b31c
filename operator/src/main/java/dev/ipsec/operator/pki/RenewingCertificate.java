package dev.ipsec.operator.pki;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * A certificate that is issued again when it is {@linkplain Renewal#isDue due}, checked whenever it
 * is asked for: the operator's client certificate, which lives in memory only and needs no timer of
 * its own because the operator asks for it before every poll.
 */
public final class RenewingCertificate {

  private final Supplier<IssuedCertificate> issue;
  private final Clock clock;
  private IssuedCertificate current;

  public RenewingCertificate(Supplier<IssuedCertificate> issue, Clock clock) {
    this.issue = issue;
    this.clock = clock;
  }

  /** The operator's client certificate from {@code ca}. */
  public static RenewingCertificate operatorClient(CertificateAuthority ca, Clock clock) {
    return new RenewingCertificate(() -> ca.issue(CertificateRequest.operator(), clock), clock);
  }

  /** The current certificate, a new one when the last is due for renewal. */
  public synchronized IssuedCertificate current() {
    if (current == null || Renewal.isDue(current.certificate(), clock.instant())) {
      current = issue.get();
    }
    return current;
  }
}
