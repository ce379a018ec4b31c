package dev.ipsec.operator.pki;

import static dev.ipsec.operator.pki.CertificateAuthorityTest.CLOCK;
import static dev.ipsec.operator.pki.CertificateAuthorityTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Renewal: once a third of the lifetime is left, and whenever the certificate is not valid now. */
class RenewalTest {

  final CertificateAuthority ca = CertificateAuthority.create("test CA", CLOCK);

  @Test
  void anAgentCertificateIsRenewedTenDaysBeforeItExpires() {
    X509Certificate certificate =
        ca.issue(CertificateRequest.agent("ns", "gw", List.of()), CLOCK).certificate();
    // lifetime: 30 days and the 5 minutes of clock skew; a third of it (10 days 100 s) is left
    // 20 days less 100 s after issue
    Duration threshold = Duration.ofDays(20).minusSeconds(100);

    assertThat(Renewal.isDue(certificate, NOW)).isFalse();
    assertThat(Renewal.isDue(certificate, NOW.plus(threshold).minusSeconds(1))).isFalse();
    assertThat(Renewal.isDue(certificate, NOW.plus(threshold).plusSeconds(1))).isTrue();
    assertThat(Renewal.isDue(certificate, NOW.plus(Duration.ofDays(31)))).as("expired").isTrue();
    assertThat(Renewal.isDue(certificate, NOW.minus(Duration.ofHours(1))))
        .as("not yet valid")
        .isTrue();
  }

  @Test
  void theOperatorsCertificateRenewsItselfWhenAskedAfterItsThreshold() {
    AtomicReference<Clock> clock = new AtomicReference<>(CLOCK);
    Clock moving =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public java.time.Instant instant() {
            return clock.get().instant();
          }
        };
    RenewingCertificate renewing = RenewingCertificate.operatorClient(ca, moving);

    IssuedCertificate first = renewing.current();
    clock.set(Clock.offset(CLOCK, Duration.ofDays(4)));
    assertThat(renewing.current()).as("still two thirds of 7 days left").isSameAs(first);
    clock.set(Clock.offset(CLOCK, Duration.ofDays(5)));
    IssuedCertificate second = renewing.current();

    assertThat(second).isNotSameAs(first);
    assertThat(second.certificate().getNotAfter().toInstant())
        .isEqualTo(NOW.plus(Duration.ofDays(12)));
    assertThat(first.certificate().getNotAfter().toInstant())
        .as("the old one is still valid while the new one is rolled out")
        .isAfter(NOW.plus(Duration.ofDays(5)));
  }
}
