package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.reconcile.status.FalseConditionRecheck;
import java.time.Clock;
import java.time.Duration;

/**
 * How soon a peer that names a Secret or ConfigMap that does not exist looks again. Only objects
 * labelled {@code ipsec.dev/referenced=true} are watched, and one that does not exist yet cannot
 * carry the label, so its creation reaches no informer: the peer asks the server again, at first
 * after {@link #FIRST}, then after as long as the peer has been invalid (the delay doubles), at
 * most {@link #LONGEST} ({@link FalseConditionRecheck}, from the {@code Valid} condition). An
 * object created with the label is seen at once.
 */
public final class MissingReferenceRecheck {

  public static final Duration FIRST = Duration.ofSeconds(5);
  public static final Duration LONGEST = Duration.ofSeconds(60);

  private MissingReferenceRecheck() {}

  /**
   * @param valid the peer's {@code Valid} condition as it stands (null before the first status)
   */
  public static Duration after(Condition valid, Clock clock) {
    return FalseConditionRecheck.after(valid, FIRST, LONGEST, clock);
  }
}
