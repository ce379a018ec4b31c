package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.reconcile.ownership.ClusterMessages;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Why a gateway's pods do not come up, in the words of the controller-manager and the kubelet: the
 * Deployment's {@code ReplicaFailure} (Pod Security admission, a quota, a missing ServiceAccount),
 * a deadline the rollout passed, a pod the scheduler cannot place, a container waiting for a reason
 * that will not go away by itself (an image that cannot be pulled, a crash loop, a configuration
 * the kubelet cannot build). Without this the gateway would only say "0 of 1 gateway pods ready".
 *
 * <p>The messages are the API server's and the kubelet's: they name objects, images and policies,
 * never Secret contents. They are cut short and freed of control characters all the same, since
 * they end up in a condition and an Event. Pure.
 */
public final class PodFailures {

  /** The reason of Ready when one of these explains why pods are missing or not ready. */
  public static final String REPLICA_FAILURE = "ReplicaFailure";

  /** The reason of Ready when a container of a gateway pod waits for one of {@link #STUCK}. */
  public static final String CONTAINER_WAITING = "ContainerWaiting";

  /** Waiting reasons that do not clear by waiting: the pod needs someone to act. */
  static final Set<String> STUCK =
      Set.of(
          "ImagePullBackOff",
          "ErrImagePull",
          "ErrImageNeverPull",
          "InvalidImageName",
          "CrashLoopBackOff",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError");

  /** At most this many problems are listed; the rest are counted. */
  static final int LISTED = 3;

  /** A problem: the reason for Ready and a line that says what and where. */
  public record Failure(String reason, String message) {}

  private PodFailures() {}

  /**
   * The problems of a gateway's Deployment and pods, the Deployment's first (they explain pods that
   * do not exist), then each pod's by name; empty when nothing is stuck.
   */
  public static Optional<Failure> of(Optional<Deployment> deployment, List<Pod> pods) {
    List<String> lines = new ArrayList<>();
    String reason = null;
    for (DeploymentCondition c : deploymentConditions(deployment)) {
      if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())) {
        lines.add(
            "Deployment: ReplicaFailure ("
                + ClusterMessages.oneLine(c.getReason())
                + "): "
                + ClusterMessages.oneLine(c.getMessage()));
        reason = REPLICA_FAILURE;
      } else if ("Progressing".equals(c.getType())
          && "False".equals(c.getStatus())
          && "ProgressDeadlineExceeded".equals(c.getReason())) {
        lines.add(
            "Deployment: ProgressDeadlineExceeded: " + ClusterMessages.oneLine(c.getMessage()));
        reason = reason == null ? REPLICA_FAILURE : reason;
      }
    }
    for (Pod pod :
        pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
      if (pod.getStatus() == null) {
        continue;
      }
      String name = pod.getMetadata().getName();
      for (PodCondition c : nullSafe(pod.getStatus().getConditions())) {
        if ("PodScheduled".equals(c.getType())
            && "False".equals(c.getStatus())
            && "Unschedulable".equals(c.getReason())) {
          lines.add("pod " + name + ": Unschedulable: " + ClusterMessages.oneLine(c.getMessage()));
          reason = reason == null ? CONTAINER_WAITING : reason;
        }
      }
      for (ContainerStatus s :
          Stream.concat(
                  nullSafe(pod.getStatus().getInitContainerStatuses()).stream(),
                  nullSafe(pod.getStatus().getContainerStatuses()).stream())
              .toList()) {
        var waiting = s.getState() == null ? null : s.getState().getWaiting();
        if (waiting != null && STUCK.contains(waiting.getReason())) {
          lines.add(
              "pod "
                  + name
                  + " container "
                  + s.getName()
                  + ": "
                  + waiting.getReason()
                  + (waiting.getMessage() == null || waiting.getMessage().isBlank()
                      ? ""
                      : ": " + ClusterMessages.oneLine(waiting.getMessage())));
          reason = reason == null ? CONTAINER_WAITING : reason;
        }
      }
    }
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    String message = String.join("; ", lines.subList(0, Math.min(LISTED, lines.size())));
    if (lines.size() > LISTED) {
      message += "; and " + (lines.size() - LISTED) + " more";
    }
    return Optional.of(new Failure(reason, message));
  }

  private static List<DeploymentCondition> deploymentConditions(Optional<Deployment> deployment) {
    return deployment
        .filter(d -> d.getStatus() != null)
        .map(d -> nullSafe(d.getStatus().getConditions()))
        .orElse(List.of());
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
