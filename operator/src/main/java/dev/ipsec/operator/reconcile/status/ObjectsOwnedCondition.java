package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.reconcile.ownership.NameConflict;
import dev.ipsec.operator.reconcile.ownership.NameConflicts;
import java.util.stream.Collectors;

/**
 * The {@code ObjectsOwned} condition of an IpsecGlobal: whether every name the gateway uses (and
 * every shard name its pods would mount) is free or the operator's. False, reason {@code
 * NameConflict}, names each object that is someone else's, by kind and name and whose its labels
 * say it is, never its content; the operator neither writes nor adopts such an object.
 */
final class ObjectsOwnedCondition {

  static final String TYPE = "ObjectsOwned";
  static final String NAME_CONFLICT = "NameConflict";

  private ObjectsOwnedCondition() {}

  /**
   * @param conflicts what the last write pass met, null when none ran (the gateway is invalid)
   */
  static void set(Conditions conditions, NameConflicts conflicts) {
    if (conflicts == null) {
      conditions.set(
          TYPE,
          Conditions.UNKNOWN,
          "NotChecked",
          "the gateway's objects are not written while its settings are invalid");
    } else if (conflicts.isEmpty()) {
      conditions.set(TYPE, true, "Owned", "every object of the gateway is the operator's");
    } else {
      conditions.set(TYPE, false, NAME_CONFLICT, message(conflicts));
    }
  }

  static String message(NameConflicts conflicts) {
    String objects =
        conflicts.all().stream().map(NameConflict::describe).collect(Collectors.joining(", "));
    return objects
        + ": the gateway's names, taken by objects that are not the operator's; they are left"
        + " alone"
        + conflicts
            .heldBack()
            .map(d -> ", and the " + d + " is not written while its pods would mount one of them")
            .orElse("")
        + ". Delete or rename them.";
  }
}
