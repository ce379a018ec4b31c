package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.ResourceStatus;
import dev.ipsec.operator.render.FieldError;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Builds a condition list from the previous one: a condition keeps its {@code lastTransitionTime}
 * unless its status flips, and the list is sorted by type, so recomputing an unchanged state gives
 * an equal list and no status patch.
 */
public final class Conditions {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  /** The condition every resource reports from its validation. */
  public static final String VALID = "Valid";

  private final List<Condition> previous;
  private final long generation;
  private final Clock clock;
  private final List<Condition> result = new ArrayList<>();

  private Conditions(List<Condition> previous, long generation, Clock clock) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.clock = clock;
  }

  /**
   * The conditions of {@code status}, just made for a resource at {@code generation}: the status
   * records that generation as observed, and conditions keep their transition times from {@code
   * previous} (null before the first status).
   */
  public static Conditions forNewStatus(
      ResourceStatus status, ResourceStatus previous, Long generation, Clock clock) {
    status.setObservedGeneration(generation);
    return new Conditions(
        previous == null ? null : previous.getConditions(),
        generation == null ? 0L : generation,
        clock);
  }

  public Conditions set(String type, boolean status, String reason, String message) {
    return set(type, status ? TRUE : FALSE, reason, message);
  }

  public Conditions set(String type, String status, String reason, String message) {
    // metav1.Condition requires a message; an empty one says nothing more than the reason
    Condition c = new Condition(type, status, reason, message == null ? "" : message);
    c.setObservedGeneration(generation);
    Condition old = find(previous, type);
    c.setLastTransitionTime(
        old != null && Objects.equals(old.getStatus(), status)
            ? old.getLastTransitionTime()
            : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    result.removeIf(r -> r.getType().equals(type));
    result.add(c);
    return this;
  }

  /**
   * Sets {@link #VALID} from a validation: true with {@code validMessage} when there are no errors,
   * otherwise false with every error, so all resources word the condition the same way. The reason
   * is the errors' own when they all share one ({@code TooLarge}); else the first error's when that
   * one is not {@link FieldError#INVALID} (a revocation, {@code SecretDeleted}, comes first and
   * outweighs the spec's own errors); else {@link FieldError#INVALID}.
   */
  public Conditions setValid(List<FieldError> errors, String validMessage) {
    if (errors.isEmpty()) {
      return set(VALID, true, "Valid", validMessage);
    }
    String first = errors.get(0).reason();
    return set(
        VALID,
        false,
        first,
        errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
  }

  public List<Condition> build() {
    List<Condition> sorted = new ArrayList<>(result);
    sorted.sort(Comparator.comparing(Condition::getType));
    return sorted;
  }

  public static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    Condition c = find(conditions, type);
    return c != null && TRUE.equals(c.getStatus());
  }
}
