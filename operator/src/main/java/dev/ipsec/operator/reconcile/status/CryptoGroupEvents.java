package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.CryptoGroupStatus;
import java.util.List;

/**
 * The Events an IkeGroup's or EspGroup's status change deserves, once per transition: a Warning
 * when its proposals become invalid (again when what is wrong changes), with how many peers use the
 * group, since those are the peers that stop taking changes; a Normal {@code Valid} when the group
 * is valid again.
 */
public final class CryptoGroupEvents {
  /** The Warning's reason when a group's spec does not validate. */
  public static final String INVALID_PROPOSALS = "InvalidProposals";

  /** An Event to record. */
  public record GroupEvent(String type, String reason, String message) {}

  private CryptoGroupEvents() {}

  public static List<GroupEvent> between(CryptoGroupStatus before, CryptoGroupStatus after) {
    Condition now = valid(after);
    return switch (ConditionChange.between(valid(before), now)) {
      case FAILED ->
          List.of(
              new GroupEvent(
                  EventRecorder.WARNING,
                  INVALID_PROPOSALS,
                  now.getMessage()
                      + "; "
                      + users(after)
                      + ": they keep running their last valid configuration"));
      case RECOVERED ->
          List.of(
              new GroupEvent(
                  EventRecorder.NORMAL,
                  Conditions.VALID,
                  "the group is valid again (" + after.getProposals() + "); " + users(after)));
      case NONE -> List.of();
    };
  }

  private static String users(CryptoGroupStatus status) {
    int usedBy = status.getUsedBy() == null ? 0 : status.getUsedBy();
    return "used by " + usedBy + (usedBy == 1 ? " peer" : " peers");
  }

  private static Condition valid(CryptoGroupStatus status) {
    return status == null || status.getConditions() == null
        ? null
        : Conditions.find(status.getConditions(), Conditions.VALID);
  }
}
