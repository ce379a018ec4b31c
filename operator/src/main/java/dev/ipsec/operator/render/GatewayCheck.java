package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import java.util.List;

/**
 * A check of an IpsecGlobal's spec that needs more than this package may know (the core Kubernetes
 * types of its pods' placement): its errors make the gateway invalid, as the renderer's own do.
 */
@FunctionalInterface
public interface GatewayCheck {

  GatewayCheck NONE = gateway -> List.of();

  List<FieldError> check(IpsecGlobal gateway);
}
