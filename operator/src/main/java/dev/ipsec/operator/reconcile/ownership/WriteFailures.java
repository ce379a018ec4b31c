package dev.ipsec.operator.reconcile.ownership;

import dev.ipsec.operator.reconcile.ownership.NameConflicts.ObjectName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The requests of one write pass over a gateway's objects that the API server refused, and the
 * objects held back because of them (an object whose write would only be safe after a failed one:
 * the root ConfigMap after its shards, the Deployment after what its pods mount). One per pass, not
 * shared between threads.
 */
public final class WriteFailures {

  private final List<WriteFailure> failures = new ArrayList<>();
  private final List<ObjectName> heldBack = new ArrayList<>();

  public void add(WriteFailure failure) {
    failures.add(failure);
  }

  /** Records {@code object} as not written because a refusal came before it. */
  public void holdBack(ObjectName object) {
    if (!heldBack.contains(object)) {
      heldBack.add(object);
    }
  }

  /** Whether a request about any of {@code objects} was refused, or any of them held back. */
  public boolean anyOf(Set<ObjectName> objects) {
    return failures.stream().anyMatch(f -> objects.contains(new ObjectName(f.kind(), f.name())))
        || heldBack.stream().anyMatch(objects::contains);
  }

  /** Every refusal, by kind, then name, then verb, so the same refusals always read the same. */
  public List<WriteFailure> all() {
    return failures.stream()
        .sorted(
            Comparator.comparing(WriteFailure::kind)
                .thenComparing(WriteFailure::name)
                .thenComparing(WriteFailure::verb))
        .toList();
  }

  /** The objects held back, by kind and then name. */
  public List<ObjectName> heldBack() {
    return heldBack.stream()
        .sorted(Comparator.comparing(ObjectName::kind).thenComparing(ObjectName::name))
        .toList();
  }

  /** True when the server refused nothing (nothing is then held back either). */
  public boolean isEmpty() {
    return failures.isEmpty();
  }
}
