package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.Condition;
import java.util.Objects;

/**
 * How one condition moved between two statuses, as far as Events care: a Warning is due when it
 * turns False or, already False, says something else (another reason or message), so a retry that
 * meets the same failure records nothing; a Normal Event is due when it is True again after being
 * False. Unknown in between counts as neither.
 */
public enum ConditionChange {
  /** Newly False, or False for another reason or with another message. */
  FAILED,
  /** True after being False. */
  RECOVERED,
  /** Nothing an Event should report. */
  NONE;

  /** The change from {@code before} to {@code after}; either may be null (not present). */
  public static ConditionChange between(Condition before, Condition after) {
    boolean wasFalse = before != null && Conditions.FALSE.equals(before.getStatus());
    if (after != null && Conditions.FALSE.equals(after.getStatus())) {
      boolean same =
          wasFalse
              && Objects.equals(before.getReason(), after.getReason())
              && Objects.equals(before.getMessage(), after.getMessage());
      return same ? NONE : FAILED;
    }
    if (wasFalse && after != null && Conditions.TRUE.equals(after.getStatus())) {
      return RECOVERED;
    }
    return NONE;
  }
}
