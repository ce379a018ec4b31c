package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.reconcile.ownership.NameConflicts.ObjectName;
import dev.ipsec.operator.reconcile.ownership.WriteFailure;
import dev.ipsec.operator.reconcile.ownership.WriteFailures;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code ObjectsWritten} condition of an IpsecGlobal: whether the API server took every write
 * of the gateway's objects. False names each refused request (kind, name, verb, the server's code,
 * reason and message, never a Secret's content, see {@link WriteFailure}) and what waits for it;
 * the reason says what kind of refusal the first one is ({@code Forbidden}, {@code Invalid}, {@code
 * AdmissionDenied}, {@code ApiError}), so an RBAC gap reads differently from a webhook's veto. The
 * message depends only on the refusals, so a retry that meets the same ones changes nothing in the
 * status and records no second Event.
 */
final class ObjectsWrittenCondition {

  static final String TYPE = "ObjectsWritten";

  /** Ready's reason while a refused write keeps the gateway from its spec. */
  static final String NOT_WRITTEN = "ObjectsNotWritten";

  /** Refusals a message lists before it says "and N more". */
  static final int FAILURES_IN_MESSAGE = 5;

  private ObjectsWrittenCondition() {}

  /**
   * @param failures what the last write pass was refused, null when none ran (the gateway is
   *     invalid)
   */
  static void set(Conditions conditions, WriteFailures failures) {
    if (failures == null) {
      conditions.set(
          TYPE,
          Conditions.UNKNOWN,
          "NotChecked",
          "the gateway's objects are not written while its settings are invalid");
    } else if (failures.isEmpty()) {
      conditions.set(TYPE, true, "Written", "the API server took every write of the gateway");
    } else {
      conditions.set(TYPE, false, failures.all().get(0).reason(), message(failures));
    }
  }

  static String message(WriteFailures failures) {
    List<WriteFailure> all = failures.all();
    String refused =
        all.stream()
            .limit(FAILURES_IN_MESSAGE)
            .map(WriteFailure::describe)
            .collect(Collectors.joining("; "));
    if (all.size() > FAILURES_IN_MESSAGE) {
      refused += "; and " + (all.size() - FAILURES_IN_MESSAGE) + " more";
    }
    List<ObjectName> heldBack = failures.heldBack();
    String waiting =
        heldBack.isEmpty()
            ? ""
            : ". Not written until then: "
                + heldBack.stream()
                    .map(o -> o.kind() + " " + o.name())
                    .collect(Collectors.joining(", "));
    return refused + waiting + ". Retried with back-off.";
  }
}
