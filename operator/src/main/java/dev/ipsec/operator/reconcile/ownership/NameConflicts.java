package dev.ipsec.operator.reconcile.ownership;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The name conflicts one write pass of a gateway met, and the object it held back because of them
 * (the Deployment, while a pod would mount an object that is not the gateway's). One per pass, not
 * shared between threads.
 */
public final class NameConflicts {

  /** A kind and a name, as a pod spec refers to an object. */
  public record ObjectName(String kind, String name) {}

  private final List<NameConflict> conflicts = new ArrayList<>();
  private String heldBack;

  public void add(NameConflict conflict) {
    if (conflicts.stream()
        .noneMatch(c -> c.kind().equals(conflict.kind()) && c.name().equals(conflict.name()))) {
      conflicts.add(conflict);
    }
  }

  /** Every conflict, by kind and then name, so the same conflicts always read the same. */
  public List<NameConflict> all() {
    return conflicts.stream()
        .sorted(Comparator.comparing(NameConflict::kind).thenComparing(NameConflict::name))
        .toList();
  }

  public boolean isEmpty() {
    return conflicts.isEmpty();
  }

  /** True, and {@code object} recorded as held back, if any of {@code required} is in conflict. */
  public boolean holdBack(String object, Set<ObjectName> required) {
    boolean blocked =
        conflicts.stream().anyMatch(c -> required.contains(new ObjectName(c.kind(), c.name())));
    if (blocked) {
      heldBack = object;
    }
    return blocked;
  }

  /** The object not written because a conflict would have reached it ("Deployment gw-gateway"). */
  public Optional<String> heldBack() {
    return Optional.ofNullable(heldBack);
  }
}
