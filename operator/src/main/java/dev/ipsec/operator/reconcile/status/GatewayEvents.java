package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Events a gateway's status change deserves, once per transition: {@code NameConflict} when
 * objects that are not the operator's take the gateway's names (again whenever the set of them
 * changes), {@code NameConflictResolved} when the last of them is gone, {@code ConfigPending} when
 * a pod's agent starts reporting a revision it cannot load, {@code PolicyDenied} when the
 * operator's gateway policy refuses the spec (again when what it refuses changes) and {@code
 * PolicyAllowed} when it no longer does, and {@code ReplicaFailure} or {@code ContainerWaiting}
 * when the gateway's pods start failing for that reason.
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
    Condition wasReady = Conditions.find(conditions(before), GatewayStatusBuilder.READY);
    Condition ready = Conditions.find(conditions(after), GatewayStatusBuilder.READY);
    String wasReason = wasReady == null ? null : wasReady.getReason();
    String reason = ready == null ? null : ready.getReason();
    if (GatewayStatusBuilder.POLICY_DENIED.equals(reason)) {
      if (!reason.equals(wasReason) || !Objects.equals(wasReady.getMessage(), ready.getMessage())) {
        events.add(new GatewayEvent(EventRecorder.WARNING, reason, ready.getMessage()));
      }
    } else if (GatewayStatusBuilder.POLICY_DENIED.equals(wasReason) && ready != null) {
      events.add(
          new GatewayEvent(
              EventRecorder.NORMAL,
              "PolicyAllowed",
              "the gateway policy allows the spec; the Deployment is written again"));
    }
    // once per reason: the kubelet's back-off messages change while the cause stays the same
    if ((PodFailures.REPLICA_FAILURE.equals(reason) || PodFailures.CONTAINER_WAITING.equals(reason))
        && !reason.equals(wasReason)) {
      events.add(new GatewayEvent(EventRecorder.WARNING, reason, ready.getMessage()));
    }
    return events;
  }

  private static List<Condition> conditions(IpsecGlobalStatus status) {
    return status == null || status.getConditions() == null ? List.of() : status.getConditions();
  }
}
