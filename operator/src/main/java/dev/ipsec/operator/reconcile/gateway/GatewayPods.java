package dev.ipsec.operator.reconcile.gateway;

import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.workloadName;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pods that are really the gateway's: labels can be copied by anyone who may create a pod, so a
 * pod counts only when its controller chain leads to the gateway's own Deployment, by uid: Pod →
 * ReplicaSet → the Deployment the operator wrote, whose controller is the IpsecGlobal. Only these
 * pods are polled, counted in the status and told about new configuration.
 */
public final class GatewayPods {

  private GatewayPods() {}

  /** The gateway's pods among those its informers hold. */
  public static List<Pod> owned(IpsecGlobal gateway, Context<IpsecGlobal> context) {
    Optional<Deployment> deployment =
        GatewayEventSources.get(context, Deployment.class, null)
            .get(
                new ResourceID(
                    workloadName(gateway.getMetadata().getName()),
                    gateway.getMetadata().getNamespace()));
    return ownedBy(
        gateway,
        deployment.orElse(null),
        context.getSecondaryResources(ReplicaSet.class),
        context.getSecondaryResources(Pod.class));
  }

  /** The pods controlled by a ReplicaSet that the gateway's Deployment controls. */
  static List<Pod> ownedBy(
      IpsecGlobal gateway,
      Deployment deployment,
      Collection<ReplicaSet> replicaSets,
      Collection<Pod> pods) {
    if (deployment == null || !controlledBy(deployment, gateway)) {
      return List.of();
    }
    Set<String> ownReplicaSets =
        replicaSets.stream()
            .filter(rs -> controlledBy(rs, deployment))
            .map(rs -> rs.getMetadata().getUid())
            .filter(Objects::nonNull)
            .collect(Collectors.toSet());
    return pods.stream()
        .filter(
            pod ->
                controller(pod)
                    .filter(ref -> "ReplicaSet".equals(ref.getKind()))
                    .map(OwnerReference::getUid)
                    .filter(ownReplicaSets::contains)
                    .isPresent())
        .toList();
  }

  private static boolean controlledBy(HasMetadata object, HasMetadata owner) {
    String uid = owner.getMetadata().getUid();
    return uid != null
        && controller(object)
            .filter(ref -> owner.getKind().equals(ref.getKind()) && uid.equals(ref.getUid()))
            .isPresent();
  }

  private static Optional<OwnerReference> controller(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return refs == null
        ? Optional.empty()
        : refs.stream().filter(ref -> Boolean.TRUE.equals(ref.getController())).findFirst();
  }
}
