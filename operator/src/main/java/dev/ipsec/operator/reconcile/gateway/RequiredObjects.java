package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.reconcile.ownership.NameConflicts.ObjectName;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The objects a gateway pod cannot start without, read from the pod template itself: its service
 * account and every ConfigMap and Secret it mounts that is not optional. While one of these names
 * belongs to someone else, a pod would mount that object, so the Deployment is not written.
 * Optional sources (the shards) are not among them: a pod starts without them, and the agent loads
 * no file that no manifest lists.
 */
final class RequiredObjects {

  private RequiredObjects() {}

  static Set<ObjectName> of(Deployment deployment) {
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Set<ObjectName> required =
        new TreeSet<>(Comparator.comparing(ObjectName::kind).thenComparing(ObjectName::name));
    if (pod.getServiceAccountName() != null) {
      required.add(new ObjectName("ServiceAccount", pod.getServiceAccountName()));
    }
    for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
      if (v.getConfigMap() != null && !isTrue(v.getConfigMap().getOptional())) {
        required.add(new ObjectName("ConfigMap", v.getConfigMap().getName()));
      }
      if (v.getSecret() != null && !isTrue(v.getSecret().getOptional())) {
        required.add(new ObjectName("Secret", v.getSecret().getSecretName()));
      }
      if (v.getProjected() != null) {
        for (VolumeProjection p : v.getProjected().getSources()) {
          if (p.getConfigMap() != null && !isTrue(p.getConfigMap().getOptional())) {
            required.add(new ObjectName("ConfigMap", p.getConfigMap().getName()));
          }
          if (p.getSecret() != null && !isTrue(p.getSecret().getOptional())) {
            required.add(new ObjectName("Secret", p.getSecret().getName()));
          }
        }
      }
    }
    return required;
  }

  private static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }
}
