package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.GatewayPodStatus;
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
 * when the gateway's pods start failing for that reason, {@code ConfigRejected} when charon in a
 * pod refuses items of the configuration (again when what it refuses changes) and {@code
 * ConfigAccepted} when it takes them all, and the API server's refusals of the gateway's objects
 * ({@code Forbidden}, {@code Invalid}, {@code AdmissionDenied}, {@code ApiError}, again when what
 * is refused changes) and {@code ObjectsWritten} once they are all written.
 */
public final class GatewayEvents {

  /** An Event to record. */
  public record GatewayEvent(String type, String reason, String message) {}

  private GatewayEvents() {}

  public static List<GatewayEvent> between(IpsecGlobalStatus before, IpsecGlobalStatus after) {
    List<GatewayEvent> events = new ArrayList<>();
    Condition owned = Conditions.find(conditions(after), ObjectsOwnedCondition.TYPE);
    switch (ConditionChange.between(
        Conditions.find(conditions(before), ObjectsOwnedCondition.TYPE), owned)) {
      case FAILED ->
          events.add(
              new GatewayEvent(
                  EventRecorder.WARNING, ObjectsOwnedCondition.NAME_CONFLICT, owned.getMessage()));
      case RECOVERED ->
          events.add(
              new GatewayEvent(EventRecorder.NORMAL, "NameConflictResolved", owned.getMessage()));
      case NONE -> {}
    }
    events.addAll(writeEvents(before, after));
    events.addAll(rejectionEvents(before, after));
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

  /**
   * A Warning named after the refusal ({@code Forbidden}, {@code Invalid}, {@code AdmissionDenied},
   * {@code ApiError}) when the API server starts refusing writes, or refuses others; {@code
   * ObjectsWritten} once it takes them all again. A retry refused the same way leaves the condition
   * as it was, so it records nothing.
   */
  private static List<GatewayEvent> writeEvents(IpsecGlobalStatus before, IpsecGlobalStatus after) {
    Condition now = Conditions.find(conditions(after), ObjectsWrittenCondition.TYPE);
    return switch (ConditionChange.between(
        Conditions.find(conditions(before), ObjectsWrittenCondition.TYPE), now)) {
      case FAILED ->
          List.of(new GatewayEvent(EventRecorder.WARNING, now.getReason(), now.getMessage()));
      case RECOVERED ->
          List.of(
              new GatewayEvent(
                  EventRecorder.NORMAL, ObjectsWrittenCondition.TYPE, now.getMessage()));
      case NONE -> List.of();
    };
  }

  /** The reason of the Warning when charon refuses items of a revision the agent loads. */
  public static final String CONFIG_REJECTED = "ConfigRejected";

  /**
   * {@code ConfigRejected} when a pod's charon starts refusing configuration items (a connection,
   * secret or certificate its plugins cannot take) or refuses others; {@code ConfigAccepted} once
   * no pod refuses any. The peers concerned say which of theirs in their own status.
   */
  private static List<GatewayEvent> rejectionEvents(
      IpsecGlobalStatus before, IpsecGlobalStatus after) {
    String was = rejections(before);
    String now = rejections(after);
    if (!now.isEmpty() && !now.equals(was)) {
      return List.of(new GatewayEvent(EventRecorder.WARNING, CONFIG_REJECTED, now));
    }
    if (now.isEmpty() && !was.isEmpty() && after != null && after.getPods() != null) {
      return List.of(
          new GatewayEvent(
              EventRecorder.NORMAL, "ConfigAccepted", "charon takes the whole configuration"));
    }
    return List.of();
  }

  /** What charon refuses, pod by pod; empty when nothing. */
  private static String rejections(IpsecGlobalStatus status) {
    if (status == null || status.getPods() == null) {
      return "";
    }
    List<String> refused = new ArrayList<>();
    for (GatewayPodStatus pod : status.getPods()) {
      if (pod.getLoadErrors() != null && !pod.getLoadErrors().isEmpty()) {
        refused.add(
            "pod " + pod.getName() + ": charon refuses " + String.join(", ", pod.getLoadErrors()));
      }
    }
    return String.join("; ", refused);
  }

  private static List<Condition> conditions(IpsecGlobalStatus status) {
    return status == null || status.getConditions() == null ? List.of() : status.getConditions();
  }
}
