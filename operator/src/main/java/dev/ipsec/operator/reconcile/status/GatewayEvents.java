package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Events a gateway's status change deserves, once per transition: {@code NameConflict} when
 * objects that are not the operator's take the gateway's names (again whenever the set of them
 * changes), {@code NameConflictResolved} when the last of them is gone, and {@code ConfigPending}
 * when a pod's agent starts reporting a revision it cannot load.
 */
public final class GatewayEvents {

  /** An Event to record. */
  public record GatewayEvent(String type, String reason, String message) {}

  private GatewayEvents() {}

  public static List<GatewayEvent> between(IpsecGlobalStatus before, IpsecGlobalStatus after) {
    List<GatewayEvent> events = new ArrayList<>();
    Condition wasOwned = Conditions.find(conditions(before), ObjectsOwnedCondition.TYPE);
    Condition owned = Conditions.find(conditions(after), ObjectsOwnedCondition.TYPE);
    boolean wasConflict = wasOwned != null && Conditions.FALSE.equals(wasOwned.getStatus());
    if (owned != null && Conditions.FALSE.equals(owned.getStatus())) {
      if (!wasConflict || !Objects.equals(wasOwned.getMessage(), owned.getMessage())) {
        events.add(
            new GatewayEvent(
                EventRecorder.WARNING, ObjectsOwnedCondition.NAME_CONFLICT, owned.getMessage()));
      }
    } else if (wasConflict && owned != null && Conditions.TRUE.equals(owned.getStatus())) {
      events.add(
          new GatewayEvent(EventRecorder.NORMAL, "NameConflictResolved", owned.getMessage()));
    }
    Condition wasLoaded = Conditions.find(conditions(before), GatewayStatusBuilder.CONFIG_LOADED);
    Condition loaded = Conditions.find(conditions(after), GatewayStatusBuilder.CONFIG_LOADED);
    if (loaded != null
        && GatewayStatusBuilder.CONFIG_PENDING.equals(loaded.getReason())
        && (wasLoaded == null
            || !GatewayStatusBuilder.CONFIG_PENDING.equals(wasLoaded.getReason()))) {
      events.add(
          new GatewayEvent(
              EventRecorder.WARNING, GatewayStatusBuilder.CONFIG_PENDING, loaded.getMessage()));
    }
    return events;
  }

  private static List<Condition> conditions(IpsecGlobalStatus status) {
    return status == null || status.getConditions() == null ? List.of() : status.getConditions();
  }
}
