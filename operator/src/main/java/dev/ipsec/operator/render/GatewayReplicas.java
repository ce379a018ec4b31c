package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import java.util.List;

/**
 * How many pods a gateway may run: at most one. Every pod would load the same connections with the
 * same identities, initiate the same tunnels and answer for the same addresses, so two pods fight
 * over each SA. Until an active/standby mode exists (one pod initiates, the other waits), a second
 * pod is refused instead of left to fight the first. The CRD's schema says the same; this check
 * holds for objects stored before it did. Zero stops the gateway.
 */
final class GatewayReplicas {

  static final int MAX = 1;

  private GatewayReplicas() {}

  static List<FieldError> validate(IpsecGlobal gateway) {
    Integer replicas =
        gateway.getSpec() == null || gateway.getSpec().getGateway() == null
            ? null
            : gateway.getSpec().getGateway().getReplicas();
    if (replicas == null || (replicas >= 0 && replicas <= MAX)) {
      return List.of();
    }
    return List.of(
        new FieldError(
            "spec.gateway.replicas",
            "must be 0 or 1, not "
                + replicas
                + ": every pod would initiate the same tunnels (active/standby does not exist"
                + " yet)"));
  }
}
