package dev.ipsec.operator.reconcile.agentstate;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/** Which of a gateway's pods have an agent to follow: those with an IP that are not going away. */
public final class AgentTargets {

  private AgentTargets() {}

  public static Set<GatewayPoller.Target> of(Collection<Pod> pods, int agentPort) {
    return pods.stream()
        .filter(
            p ->
                p.getStatus() != null
                    && p.getStatus().getPodIP() != null
                    && p.getMetadata().getDeletionTimestamp() == null)
        .map(
            p ->
                new GatewayPoller.Target(
                    p.getMetadata().getName(), p.getStatus().getPodIP(), agentPort))
        .collect(Collectors.toSet());
  }
}
