package dev.ipsec.operator.api.v1alpha1;

/**
 * A reference to a Secret or ConfigMap by name, with the optional {@code namespace} that is only
 * there to be refused when it leaves the resource's own (see {@code CrossNamespaceReferences}).
 */
public interface NamespacedRef {

  String getName();

  String getNamespace();
}
