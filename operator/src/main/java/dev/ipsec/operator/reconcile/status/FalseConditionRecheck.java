package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * How soon to look again at something that nothing will announce when it heals (an object created
 * without the label we watch, a Role that comes into effect): at first after {@code first}, then
 * after as long as the condition that reports it has been False (the delay doubles), at most {@code
 * longest}.
 *
 * <p>Computed from the condition's {@code lastTransitionTime}, not from a counter in memory:
 * nothing to forget when the resource is deleted, and the same after a restart.
 */
public final class FalseConditionRecheck {

  private FalseConditionRecheck() {}

  /**
   * @param condition the condition as it stands (null before the first status)
   */
  public static Duration after(Condition condition, Duration first, Duration longest, Clock clock) {
    if (condition == null || !Conditions.FALSE.equals(condition.getStatus())) {
      return first;
    }
    Duration falseFor;
    try {
      falseFor =
          Duration.between(Instant.parse(condition.getLastTransitionTime()), clock.instant());
    } catch (DateTimeParseException | NullPointerException e) {
      return first;
    }
    if (falseFor.compareTo(first) < 0) {
      return first;
    }
    return falseFor.compareTo(longest) > 0 ? longest : falseFor;
  }
}
