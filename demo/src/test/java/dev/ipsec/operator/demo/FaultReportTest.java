package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one line per fault and what makes {@code demo --chaos --once} fail. */
class FaultReportTest {

  @Test
  void aCleanRecoveryWithinItsBoundPassesAndSaysSoInOneLine() {
    FaultReport report =
        new FaultReport(
            ChaosFault.CHARON_KILL,
            Optional.of(Duration.ofMillis(2400)),
            true,
            4,
            List.of("ipsecpeers/site-a 2x", "ipsecpeers/site-b 2x"),
            2,
            List.of("TunnelDown site-b", "TunnelUp site-b"),
            List.of(),
            List.of());

    assertThat(report.passed()).isTrue();
    assertThat(report.line())
        .isEqualTo(
            "  ok   charon-kill       Ready again after 2.4 s (bound 45 s); pings pass through both"
                + " tunnels; 4 status writes (ipsecpeers/site-a 2x, ipsecpeers/site-b 2x), 2 Events"
                + " (TunnelDown site-b, TunnelUp site-b); no churn; nothing lost")
        .doesNotContain("\n");
  }

  @Test
  void overItsBoundWithChurnALossFailedPingsOrNoRecoveryFails() {
    assertThat(report(Optional.of(Duration.ofSeconds(61)), true, List.of(), List.of()).passed())
        .as("over the bound")
        .isFalse();
    assertThat(report(Optional.of(Duration.ofSeconds(1)), false, List.of(), List.of()).passed())
        .as("pings failed")
        .isFalse();
    FaultReport churned =
        report(Optional.of(Duration.ofSeconds(1)), true, List.of("status of x 1x"), List.of());
    assertThat(churned.passed()).isFalse();
    assertThat(churned.line()).startsWith("  FAIL operator-kill").contains("churn: status of x 1x");
    FaultReport lost =
        report(
            Optional.of(Duration.ofSeconds(1)), true, List.of(), List.of("IpsecPeer a not Ready"));
    assertThat(lost.passed()).isFalse();
    assertThat(lost.line()).endsWith("lost: IpsecPeer a not Ready");
    FaultReport never = report(Optional.empty(), false, List.of(), List.of());
    assertThat(never.passed()).isFalse();
    assertThat(never.line()).contains("NOT Ready again (bound 60 s); pings FAIL");
  }

  private static FaultReport report(
      Optional<Duration> recovered, boolean pings, List<String> churn, List<String> lost) {
    return new FaultReport(
        ChaosFault.OPERATOR_KILL, recovered, pings, 0, List.of(), 0, List.of(), churn, lost);
  }
}
