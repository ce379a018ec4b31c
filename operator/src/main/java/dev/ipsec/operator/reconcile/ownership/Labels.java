package dev.ipsec.operator.reconcile.ownership;

import dev.ipsec.operator.api.v1alpha1.ApiGroup;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Labels and annotations the operator puts on what it owns, and reads back. */
public final class Labels {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "ipsec-operator";
  public static final String NAME = "app.kubernetes.io/name";
  public static final String GATEWAY_NAME_VALUE = "ipsec-gateway";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String INSTANCE = "app.kubernetes.io/instance";

  /** The IpsecGlobal an object belongs to. */
  public static final String GATEWAY = "ipsec.dev/gateway";

  /**
   * Hash of the desired state an owned object was written from. Not what decides a write (an edit
   * can keep it: {@link ResourceDrift} compares content), but what tells a revert of someone else's
   * edit from an update of the desired state, and what {@link CheckedVersions} keys on.
   */
  public static final String DESIRED_HASH = "ipsec.dev/desired-hash";

  /** On gateway pods: the configuration revision last announced, so the kubelet resyncs volumes. */
  public static final String CONFIG_REVISION = "ipsec.dev/config-revision";

  /** On the pod template: hash of strongswan.conf, which charon reads only at start. */
  public static final String STRONGSWAN_CONF_HASH = "ipsec.dev/strongswan-conf-hash";

  /**
   * Selector of everything the operator owns (equality form: the mock server knows no set forms).
   */
  public static final String OWNED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

  /**
   * On a user's Secret or ConfigMap: an IpsecPeer refers to it. The operator sets it (a merge patch
   * of this one label) the first time it reads the object, so that the object's later changes reach
   * it through the one informer that selects this label, and nothing else of the cluster's Secrets
   * is ever cached. Users may set it themselves, so that an object created after its peer is seen
   * at once. Never removed by the operator: a stale label only costs one cached object.
   */
  public static final String REFERENCED = ApiGroup.GROUP + "/referenced";

  public static final String REFERENCED_VALUE = "true";

  /**
   * The index of the informers of owned objects by gateway ({@link #gatewayIndexKeys}): a gateway's
   * objects are an index lookup, not a scan of every owned object of the namespace, which at 500
   * gateways made each reconcile O(gateways).
   */
  public static final String GATEWAY_INDEX = "gateway";

  /** The {@link #GATEWAY_INDEX} key of a gateway's objects. */
  public static String gatewayIndexKey(String namespace, String gateway) {
    return namespace + "/" + gateway;
  }

  /** The {@link #GATEWAY_INDEX} keys of an object: its gateway's, or none. */
  public static List<String> gatewayIndexKeys(HasMetadata resource) {
    return gatewayOf(resource)
        .map(g -> List.of(gatewayIndexKey(resource.getMetadata().getNamespace(), g)))
        .orElse(List.of());
  }

  /** Selector of the Secrets and ConfigMaps that are cached as peers' references. */
  public static final String REFERENCED_SELECTOR = REFERENCED + "=" + REFERENCED_VALUE;

  private Labels() {}

  /** The labels of every object owned by one gateway. */
  public static Map<String, String> gatewayLabels(String gateway, String component) {
    return Map.of(
        MANAGED_BY, MANAGED_BY_VALUE,
        NAME, GATEWAY_NAME_VALUE,
        INSTANCE, gateway,
        COMPONENT, component,
        GATEWAY, gateway);
  }

  /** The labels that select one gateway's pods (stable: a Deployment selector is immutable). */
  public static Map<String, String> podSelector(String gateway) {
    return Map.of(NAME, GATEWAY_NAME_VALUE, GATEWAY, gateway);
  }

  /** Whether the operator owns {@code resource} (a rendered shard, never a peer's reference). */
  public static boolean isOwned(HasMetadata resource) {
    Map<String, String> labels = resource.getMetadata().getLabels();
    return labels != null && MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY));
  }

  /** Whether {@code resource} carries {@link #REFERENCED}. */
  public static boolean isMarkedReferenced(HasMetadata resource) {
    Map<String, String> labels = resource.getMetadata().getLabels();
    return labels != null && REFERENCED_VALUE.equals(labels.get(REFERENCED));
  }

  public static Optional<String> gatewayOf(HasMetadata resource) {
    Map<String, String> labels = resource.getMetadata().getLabels();
    return Optional.ofNullable(labels == null ? null : labels.get(GATEWAY));
  }

  public static Optional<String> desiredHash(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(DESIRED_HASH));
  }
}
