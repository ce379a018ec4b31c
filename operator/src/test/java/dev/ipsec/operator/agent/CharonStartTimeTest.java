package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CharonStartTimeTest {

  @Test
  void startTimesWithinTheJitterOfCharonsRoundingAreTheSameStart() {
    assertThat(GatewayAgent.sameStart("Nov 26 23:24:57 2026", "Nov 26 23:24:58 2026")).isTrue();
    assertThat(GatewayAgent.sameStart("Nov  6 23:59:59 2026", "Nov 07 00:00:00 2026")).isTrue();
    assertThat(GatewayAgent.sameStart("Nov 26 23:24:57 2026", "Nov 26 23:25:01 2026")).isFalse();
    assertThat(GatewayAgent.sameStart("garbled", "garbled")).isTrue();
    assertThat(GatewayAgent.sameStart("garbled", "other")).isFalse();
    assertThat(GatewayAgent.sameStart("Nov 26 23:24:57 2026", null)).isFalse();
  }
}
