package dev.ipsec.operator.reconcile.ownership;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Whether an existing object is the gateway's own, which the operator may write over. */
final class Ownership {

  private Ownership() {}

  /**
   * The gateway's: labelled as the operator's for the same gateway as {@code desired}, or, its
   * labels removed, under the same controller (the gateway's uid: only the gateway's own objects
   * name it, and an object that does is one the gateway's deletion removes anyway).
   */
  static boolean isOurs(HasMetadata live, HasMetadata desired) {
    Map<String, String> labels = live.getMetadata().getLabels();
    if (labels != null
        && Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY))
        && Labels.gatewayOf(desired).isPresent()
        && Labels.gatewayOf(desired).equals(Labels.gatewayOf(live))) {
      return true;
    }
    Optional<String> controller = controllerUid(desired);
    return controller.isPresent() && controller.equals(controllerUid(live));
  }

  private static Optional<String> controllerUid(HasMetadata r) {
    List<OwnerReference> owners = r.getMetadata().getOwnerReferences();
    return owners == null
        ? Optional.empty()
        : owners.stream()
            .filter(o -> Boolean.TRUE.equals(o.getController()))
            .map(OwnerReference::getUid)
            .filter(Objects::nonNull)
            .findFirst();
  }
}
