package dev.ipsec.operator.reconcile.gateway;

import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.OWNED_CONFIGMAPS;
import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.OWNED_SECRETS;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.ownership.CheckedVersions;
import dev.ipsec.operator.reconcile.ownership.NameConflicts;
import dev.ipsec.operator.reconcile.ownership.OwnedResources;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;
import java.util.function.Function;

/**
 * One write pass over a gateway's objects: a writer per kind, all sharing what the operator has
 * already checked and the name conflicts the pass meets.
 *
 * <p>No kind has a cache of objects that are not the operator's (the Secrets and ConfigMaps peers
 * refer to are cached only once labelled as references, and the cluster's other Secrets never): the
 * server's AlreadyExists answer to a create tells that a name is taken, and a name the gateway does
 * not write now (a shard past the count in use) is looked up with a GET of ConfigMaps and Secrets,
 * the kinds a gateway's pods project by name ({@link ForeignShards}).
 */
final class GatewayWrites {

  private final Context<IpsecGlobal> context;
  private final CheckedVersions checked;
  private final NameConflicts conflicts;

  GatewayWrites(Context<IpsecGlobal> context, CheckedVersions checked, NameConflicts conflicts) {
    this.context = context;
    this.checked = checked;
    this.conflicts = conflicts;
  }

  OwnedResources<ConfigMap> configMaps() {
    return new OwnedResources<>(
        context.getClient(),
        GatewayEventSources.get(context, ConfigMap.class, OWNED_CONFIGMAPS),
        byServer(ConfigMap.class),
        checked,
        conflicts);
  }

  OwnedResources<Secret> secrets() {
    return new OwnedResources<>(
        context.getClient(),
        GatewayEventSources.get(context, Secret.class, OWNED_SECRETS),
        byServer(Secret.class),
        checked,
        conflicts);
  }

  /**
   * An object not in the cache of the operator's own, as the server has it: the one way to see
   * someone else's object under a gateway's name without caching every object of the kind.
   */
  private <R extends HasMetadata> Function<ResourceID, Optional<R>> byServer(Class<R> type) {
    return id ->
        Optional.ofNullable(
            context
                .getClient()
                .resources(type)
                .inNamespace(id.getNamespace().orElseThrow())
                .withName(id.getName())
                .get());
  }

  /** A kind of which the operator watches only its own objects. */
  <R extends HasMetadata> OwnedResources<R> of(Class<R> type) {
    return new OwnedResources<>(
        context.getClient(),
        GatewayEventSources.get(context, type, null),
        id -> Optional.empty(),
        checked,
        conflicts);
  }
}
