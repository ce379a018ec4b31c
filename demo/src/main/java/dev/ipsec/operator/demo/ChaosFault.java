package dev.ipsec.operator.demo;

import dev.ipsec.operator.reconcile.OperatorClient;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The faults {@code demo --chaos} injects, one at a time, each with what a user may see of it and
 * the time it must recover in (docs/reliability.md).
 */
public enum ChaosFault {
  /** SIGKILL of the operator's JVM, and a new one started, as a new operator pod. */
  OPERATOR_KILL("operator-kill", Visibility.NOTHING, Duration.ofSeconds(60)) {
    @Override
    BooleanSupplier inject(LocalCluster cluster, String gateway) {
      cluster.killAndReplaceOperator();
      return cluster::operatorReady;
    }
  },
  /** SIGKILL of one gateway's agent container; the kubelet stand-in restarts it. */
  AGENT_KILL("agent-kill", Visibility.ONE_OUTAGE, Duration.ofSeconds(60)) {
    @Override
    BooleanSupplier inject(LocalCluster cluster, String gateway) {
      return killContainer(cluster, gateway, "agent");
    }
  },
  /** SIGKILL of one gateway's charon container; the kubelet stand-in restarts it. */
  CHARON_KILL("charon-kill", Visibility.ONE_OUTAGE, Duration.ofSeconds(45)) {
    @Override
    BooleanSupplier inject(LocalCluster cluster, String gateway) {
      return killContainer(cluster, gateway, "charon");
    }
  },
  /** The API server stopped and started again on its port with its store. */
  API_SERVER_RESTART("apiserver-restart", Visibility.NOTHING, Duration.ofSeconds(30)) {
    @Override
    BooleanSupplier inject(LocalCluster cluster, String gateway) {
      ApiRequestLog log = cluster.apiRequests();
      Set<String> watchedBefore = operatorWatches(log.all());
      int mark = log.size();
      cluster.restartApiServer();
      // back when the operator watches again everything it watched before
      return () -> operatorWatches(log.since(mark)).containsAll(watchedBefore);
    }
  },
  /** One gateway's pod deleted; its ReplicaSet starts a new pod, with a new name and IP. */
  POD_DELETE("pod-delete", Visibility.ONE_OUTAGE, Duration.ofSeconds(60)) {
    @Override
    BooleanSupplier inject(LocalCluster cluster, String gateway) {
      Pod deleted = cluster.gatewayPod(gateway);
      cluster.deleteGatewayPod(gateway);
      return () -> {
        Pod pod = cluster.gatewayPod(gateway);
        return !pod.getMetadata().getName().equals(deleted.getMetadata().getName())
            && pod.getStatus() != null
            && pod.getStatus().getPodIP() != null
            && !pod.getStatus().getPodIP().equals(deleted.getStatus().getPodIP())
            && ready(cluster, pod);
      };
    }
  };

  /** What a user may see of a fault. */
  public enum Visibility {
    /**
     * Nothing: the tunnels stay up, so no status is written and no Event recorded; every write or
     * Event is spurious.
     */
    NOTHING,
    /**
     * A real outage of one gateway's component: writes and Events are expected, but each peer's
     * Ready goes down and comes back at most once, each Event reason appears at most once per
     * object, and no write leaves an object as it was.
     */
    ONE_OUTAGE
  }

  private static final String OPERATOR_AGENT = OperatorClient.PRODUCT + "/";

  private final String label;
  private final Visibility visibility;
  private final Duration bound;

  ChaosFault(String label, Visibility visibility, Duration bound) {
    this.label = label;
    this.visibility = visibility;
    this.bound = bound;
  }

  /**
   * Injects the fault on {@code gateway} (where it has one); returns whether the component it hit
   * is back (every peer Ready and the pings are checked besides).
   */
  abstract BooleanSupplier inject(LocalCluster cluster, String gateway);

  /** The name printed and given to {@code --once}'s failure. */
  public String label() {
    return label;
  }

  public Visibility visibility() {
    return visibility;
  }

  /** Within how long every peer must be Ready and the pings pass again. */
  public Duration bound() {
    return bound;
  }

  private static BooleanSupplier killContainer(
      LocalCluster cluster, String gateway, String container) {
    int restartsBefore = cluster.kubelet().containerRestarts();
    cluster.killContainer(gateway, container);
    return () ->
        cluster.kubelet().containerRestarts() > restartsBefore
            && ready(cluster, cluster.gatewayPod(gateway));
  }

  /**
   * The pod's containers run and pass their readiness probes now, and its Pod object says Ready:
   * the object alone may still show the readiness from before the fault.
   */
  private static boolean ready(LocalCluster cluster, Pod pod) {
    return cluster.runtime().isReady(pod) && podReady(pod);
  }

  /**
   * The resources the operator (by its User-Agent) has opened watches on among {@code requests}.
   */
  private static Set<String> operatorWatches(List<ApiRequest> requests) {
    return requests.stream()
        .filter(r -> r.verb().equals("watch") && r.userAgent().startsWith(OPERATOR_AGENT))
        .map(r -> r.group() + "/" + r.resource())
        .collect(Collectors.toSet());
  }

  private static boolean podReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
