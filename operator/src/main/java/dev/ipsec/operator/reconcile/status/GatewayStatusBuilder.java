package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.ConfigPendingStatus;
import dev.ipsec.operator.api.v1alpha1.GatewayPodStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import dev.ipsec.operator.api.v1alpha1.PeerTotals;
import dev.ipsec.operator.reconcile.agentstate.AgentReport;
import dev.ipsec.operator.reconcile.ownership.NameConflicts;
import dev.ipsec.operator.reconcile.ownership.WriteFailures;
import dev.ipsec.operator.render.FieldError;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An IpsecGlobal's status from its rendering, its pods and their agents' reports. Pure. */
public final class GatewayStatusBuilder {

  public static final String VALID = Conditions.VALID;
  public static final String READY = "Ready";
  public static final String CONFIG_LOADED = "ConfigLoaded";
  public static final String OBJECTS_OWNED = ObjectsOwnedCondition.TYPE;
  public static final String OBJECTS_WRITTEN = ObjectsWrittenCondition.TYPE;

  /** ConfigLoaded's reason while a pod's agent reports a revision it cannot load completely. */
  public static final String CONFIG_PENDING = "ConfigPending";

  /** File names a condition message lists before it says "and N more". */
  static final int FILES_IN_MESSAGE = 5;

  /** Ready's reason while the operator's gateway policy refuses what the spec asks of its pods. */
  public static final String POLICY_DENIED = "PolicyDenied";

  /** Ready's reason when every pod the Deployment asks for is ready. */
  public static final String PODS_READY = "PodsReady";

  /** Ready's reason (Unknown) while pods are created or start and nothing is known to be wrong. */
  public static final String PODS_STARTING = "PodsStarting";

  /** Ready's reason (Unknown) while pods of an older and a newer template run side by side. */
  public static final String ROLLING_UPDATE = "RollingUpdate";

  /** Ready's reason (False) when the spec asks for no pod: on purpose, but no tunnel runs. */
  public static final String SCALED_TO_ZERO = "ScaledToZero";

  /** The label the Deployment controller gives the pods of one template. */
  static final String POD_TEMPLATE_HASH = "pod-template-hash";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private GatewayStatusBuilder() {}

  /**
   * What stands between the spec and running pods, besides name conflicts.
   *
   * @param deployment the name of the gateway's Deployment
   * @param policyDenied the fields the operator's gateway policy refuses: the Deployment is then
   *     neither created nor updated
   * @param failure why pods are missing or stuck, in the cluster's words ({@link PodFailures})
   * @param writes the requests about the gateway's objects the API server refused
   */
  public record Rollout(
      String deployment,
      List<FieldError> policyDenied,
      Optional<PodFailures.Failure> failure,
      WriteFailures writes) {

    public Rollout {
      policyDenied = List.copyOf(policyDenied);
    }

    /** Nothing refused by the API server. */
    public Rollout(
        String deployment, List<FieldError> policyDenied, Optional<PodFailures.Failure> failure) {
      this(deployment, policyDenied, failure, new WriteFailures());
    }

    public static Rollout unhindered(String deployment) {
      return new Rollout(deployment, List.of(), Optional.empty());
    }
  }

  /**
   * @param gatewayErrors problems of the IpsecGlobal itself
   * @param invalidPeers peers left out of the configuration
   * @param desiredReplicas pods the Deployment asks for
   * @param pods the gateway's pods
   * @param reports the agents' reports by pod
   * @param configured peers rendered into the configuration
   * @param established of those, the ones with an established IKE SA
   * @param revision the configuration revision the operator wrote
   * @param conflicts the name conflicts the write pass met, null when it did not run
   * @param rollout what the policy refused and why pods are stuck
   */
  public static IpsecGlobalStatus build(
      IpsecGlobalStatus previous,
      Long generation,
      List<FieldError> gatewayErrors,
      int invalidPeers,
      int desiredReplicas,
      List<Pod> pods,
      List<AgentReport> reports,
      int configured,
      int established,
      String revision,
      NameConflicts conflicts,
      Rollout rollout,
      Clock clock) {
    IpsecGlobalStatus status = new IpsecGlobalStatus();
    Conditions conditions = Conditions.forNewStatus(status, previous, generation, clock);
    conditions.setValid(
        gatewayErrors,
        invalidPeers == 0
            ? "the gateway and all its peers render"
            : invalidPeers + " peers are invalid and left out (see their Valid condition)");

    Map<String, AgentReport> byPod =
        reports.stream()
            .collect(Collectors.toMap(AgentReport::pod, Function.identity(), (a, b) -> a));
    List<GatewayPodStatus> podStatuses = new ArrayList<>();
    int ready = 0;
    int loaded = 0;
    for (Pod pod :
        pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
      GatewayPodStatus s = new GatewayPodStatus();
      s.setName(pod.getMetadata().getName());
      boolean isReady = podReady(pod);
      s.setReady(isReady);
      ready += isReady ? 1 : 0;
      AgentReport r = byPod.get(pod.getMetadata().getName());
      if (r != null) {
        s.setStrongswanVersion(r.strongswanVersion());
        s.setConfigRevision(r.configRevision());
        s.setConnectionsLoaded(r.connectionsLoaded());
        s.setLoadErrors(new ArrayList<>(r.loadErrors()));
        s.setPending(r.pending());
        s.setIgnoredFiles(new ArrayList<>(r.ignoredFiles()));
        if (revision != null && revision.equals(r.configRevision())) {
          loaded++;
        }
      }
      podStatuses.add(s);
    }
    status.setPods(podStatuses);
    status.setReadyPods(ready + "/" + desiredReplicas);
    PeerTotals totals = new PeerTotals();
    totals.setConfigured(configured);
    totals.setEstablished(established);
    status.setPeers(totals);
    status.setPeerSummary(established + "/" + configured);

    ObjectsOwnedCondition.set(conditions, gatewayErrors.isEmpty() ? conflicts : null);
    ObjectsWrittenCondition.set(conditions, gatewayErrors.isEmpty() ? rollout.writes() : null);
    if (gatewayErrors.isEmpty()) {
      List<String> pending = pendingPods(podStatuses);
      boolean allLoaded = !pods.isEmpty() && loaded == pods.size();
      if (!pending.isEmpty()) {
        conditions.set(CONFIG_LOADED, false, CONFIG_PENDING, String.join("; ", pending));
      } else {
        conditions.set(
            CONFIG_LOADED,
            allLoaded,
            allLoaded ? "Loaded" : "Pending",
            allLoaded
                ? "every pod runs configuration " + revision
                : loaded + " of " + pods.size() + " pods run configuration " + revision);
      }
      boolean allReady = desiredReplicas > 0 && ready >= desiredReplicas;
      if (!rollout.policyDenied().isEmpty()) {
        conditions.set(
            READY,
            false,
            POLICY_DENIED,
            rollout.policyDenied().stream()
                    .map(FieldError::toString)
                    .collect(Collectors.joining("; "))
                + "; Deployment "
                + rollout.deployment()
                + " is not created or updated (pods that run keep the last allowed spec)");
      } else if (!rollout.writes().isEmpty()) {
        // what the cluster runs is not what the spec says until the refused writes go through
        conditions.set(
            READY,
            false,
            ObjectsWrittenCondition.NOT_WRITTEN,
            ready
                + " of "
                + desiredReplicas
                + " gateway pods ready; the API server refused writes of the gateway's objects"
                + " (see "
                + OBJECTS_WRITTEN
                + ")");
      } else if (desiredReplicas == 0) {
        conditions.set(
            READY,
            false,
            SCALED_TO_ZERO,
            "the gateway is scaled to zero (spec.gateway.replicas: 0): no pod runs its tunnels");
      } else if (!allReady && conflicts != null && conflicts.heldBack().isPresent()) {
        conditions.set(
            READY,
            false,
            ObjectsOwnedCondition.NAME_CONFLICT,
            conflicts.heldBack().get()
                + " is not written while its pods would mount an object that is not the"
                + " operator's (see "
                + OBJECTS_OWNED
                + ")");
      } else if (!allReady && rollout.failure().isPresent()) {
        conditions.set(
            READY,
            false,
            rollout.failure().get().reason(),
            ready
                + " of "
                + desiredReplicas
                + " gateway pods ready: "
                + rollout.failure().get().message());
      } else if (allReady) {
        conditions.set(
            READY, true, PODS_READY, ready + " of " + desiredReplicas + " gateway pods ready");
      } else {
        // nothing is known to be wrong: pods that start or roll are news to wait for, not a
        // failure (GitOps tools show False as Degraded, Unknown as Progressing)
        conditions.set(
            READY,
            Conditions.UNKNOWN,
            starting(pods),
            startingMessage(ready, desiredReplicas, pods));
      }
    } else {
      conditions.set(READY, false, "Invalid", "the gateway settings are invalid");
    }
    status.setConditions(conditions.build());
    return status;
  }

  /**
   * The status with what {@code previous} said of the agents: a new operator (or leader) that has
   * not heard from them yet knows no less of the pods than Kubernetes tells, and nothing of what
   * their agents loaded or how many peers are up, which is no news about either.
   */
  public static IpsecGlobalStatus withPreviousAgentFacts(
      IpsecGlobalStatus previous, IpsecGlobalStatus status) {
    if (previous == null) {
      return status;
    }
    Map<String, GatewayPodStatus> before = new HashMap<>();
    if (previous.getPods() != null) {
      previous.getPods().forEach(p -> before.put(p.getName(), p));
    }
    List<GatewayPodStatus> pods = new ArrayList<>();
    for (GatewayPodStatus pod : status.getPods()) {
      // the pod and its readiness are Kubernetes' news; what its agent had loaded is as it was
      GatewayPodStatus was = before.get(pod.getName());
      GatewayPodStatus kept = was == null ? pod : JSON.clone(was);
      kept.setReady(pod.getReady());
      pods.add(kept);
    }
    status.setPods(pods);
    if (previous.getPeers() != null && previous.getPeers().getEstablished() != null) {
      int established = previous.getPeers().getEstablished();
      status.getPeers().setEstablished(established);
      status.setPeerSummary(established + "/" + status.getPeers().getConfigured());
    }
    Condition loaded = Conditions.find(previous.getConditions(), CONFIG_LOADED);
    if (loaded != null) {
      List<Condition> conditions = new ArrayList<>(status.getConditions());
      conditions.replaceAll(c -> CONFIG_LOADED.equals(c.getType()) ? loaded : c);
      status.setConditions(conditions);
    }
    return status;
  }

  /** One line per pod whose agent reports a pending revision: what is missing or mismatched. */
  private static List<String> pendingPods(List<GatewayPodStatus> pods) {
    List<String> lines = new ArrayList<>();
    for (GatewayPodStatus pod : pods) {
      ConfigPendingStatus p = pod.getPending();
      if (p == null) {
        continue;
      }
      StringBuilder line =
          new StringBuilder("pod ")
              .append(pod.getName())
              .append(": revision ")
              .append(p.getRevision() == null ? "(unknown)" : p.getRevision())
              .append(" pending");
      if (!p.getMissingFiles().isEmpty()) {
        line.append(", missing ").append(files(p.getMissingFiles()));
      }
      if (!p.getMismatchedFiles().isEmpty()) {
        line.append(", not matching its manifest ").append(files(p.getMismatchedFiles()));
      }
      if (p.getReason() != null) {
        line.append(" (").append(p.getReason()).append(')');
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static String files(List<String> names) {
    return names.size() <= FILES_IN_MESSAGE
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, FILES_IN_MESSAGE))
            + " and "
            + (names.size() - FILES_IN_MESSAGE)
            + " more";
  }

  /**
   * {@link #ROLLING_UPDATE} when pods of more than one template run, else {@link #PODS_STARTING}.
   */
  private static String starting(List<Pod> pods) {
    return templates(pods) > 1 ? ROLLING_UPDATE : PODS_STARTING;
  }

  private static String startingMessage(int ready, int desiredReplicas, List<Pod> pods) {
    String count = ready + " of " + desiredReplicas + " gateway pods ready; ";
    long templates = templates(pods);
    if (templates > 1) {
      return count + "rolling update: pods of " + templates + " templates run side by side";
    }
    return count + (pods.isEmpty() ? "waiting for the pods to be created" : "pods starting");
  }

  private static long templates(List<Pod> pods) {
    return pods.stream()
        .map(p -> p.getMetadata().getLabels())
        .map(labels -> labels == null ? null : labels.get(POD_TEMPLATE_HASH))
        .filter(java.util.Objects::nonNull)
        .distinct()
        .count();
  }

  static boolean podReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
