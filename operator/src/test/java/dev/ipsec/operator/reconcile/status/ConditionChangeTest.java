package dev.ipsec.operator.reconcile.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a condition's move between two statuses deserves a Warning, a Normal Event, or nothing. */
class ConditionChangeTest {

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource({
    // before (status/reason/message, '-' for absent), after, expected
    "-,            False/Denied/a,  FAILED",
    "True/Ok/x,    False/Denied/a,  FAILED",
    "Unknown/W/x,  False/Denied/a,  FAILED",
    "False/Denied/a, False/Denied/a, NONE",
    "False/Denied/a, False/Denied/b, FAILED",
    "False/Denied/a, False/Other/a,  FAILED",
    "False/Denied/a, True/Ok/x,      RECOVERED",
    "False/Denied/a, Unknown/W/x,    NONE",
    "False/Denied/a, -,              NONE",
    "True/Ok/x,    True/Ok/y,       NONE",
    "-,            True/Ok/x,       NONE",
    "Unknown/W/x,  True/Ok/x,       NONE",
  })
  void classifiesTheMove(String before, String after, ConditionChange expected) {
    assertThat(ConditionChange.between(condition(before), condition(after))).isEqualTo(expected);
  }

  private static Condition condition(String spec) {
    if (spec.equals("-")) {
      return null;
    }
    String[] parts = spec.split("/");
    return new Condition("Ready", parts[0], parts[1], parts[2]);
  }
}
