package dev.ipsec.operator.reconcile.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * A peer with a missing reference looks again after 5 s, then as long as it was invalid, ≤ 60 s.
 */
class MissingReferenceRecheckTest {

  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void firstAfterFiveSecondsThenDoublingUpToAMinute() {
    assertThat(MissingReferenceRecheck.after(null, CLOCK)).isEqualTo(Duration.ofSeconds(5));
    assertThat(after(Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
    assertThat(after(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    assertThat(after(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
    assertThat(after(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(20));
    assertThat(after(Duration.ofSeconds(40))).isEqualTo(Duration.ofSeconds(40));
    assertThat(after(Duration.ofSeconds(80))).isEqualTo(Duration.ofSeconds(60));
    assertThat(after(Duration.ofDays(3))).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aValidOrUnreadableConditionStartsOver() {
    Condition valid = new Condition("Valid", "True", "Valid", "");
    valid.setLastTransitionTime(NOW.minusSeconds(600).toString());
    assertThat(MissingReferenceRecheck.after(valid, CLOCK)).isEqualTo(Duration.ofSeconds(5));
    Condition garbled = new Condition("Valid", "False", "Invalid", "");
    garbled.setLastTransitionTime("yesterday");
    assertThat(MissingReferenceRecheck.after(garbled, CLOCK)).isEqualTo(Duration.ofSeconds(5));
  }

  private static Duration after(Duration invalidFor) {
    Condition invalid = new Condition("Valid", "False", "Invalid", "");
    invalid.setLastTransitionTime(NOW.minus(invalidFor).toString());
    return MissingReferenceRecheck.after(invalid, CLOCK);
  }
}
