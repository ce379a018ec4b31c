package dev.ipsec.operator.reconcile.gateway;

import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.OWNED_CONFIGMAPS;
import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.OWNED_SECRETS;
import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.REFERENCED_CONFIGMAPS;
import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.REFERENCED_SECRETS;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.ownership.CheckedVersions;
import dev.ipsec.operator.reconcile.ownership.NameConflicts;
import dev.ipsec.operator.reconcile.ownership.OwnedResources;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * One write pass over a gateway's objects: a writer per kind, all sharing what the operator has
 * already checked and the name conflicts the pass meets.
 *
 * <p>ConfigMaps and Secrets look names up in the caches of unlabelled objects as well (the ones
 * peers may refer to, watched with {@code managed-by!=ipsec-operator}): every object of those kinds
 * that is not the operator's is there, so a taken name is known without a request. The other kinds
 * have no such cache; the server's AlreadyExists answer tells instead.
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
    var unlabelled = GatewayEventSources.get(context, ConfigMap.class, REFERENCED_CONFIGMAPS);
    return new OwnedResources<>(
        context.getClient(),
        GatewayEventSources.get(context, ConfigMap.class, OWNED_CONFIGMAPS),
        unlabelled::get,
        checked,
        conflicts);
  }

  OwnedResources<Secret> secrets() {
    var unlabelled = GatewayEventSources.get(context, Secret.class, REFERENCED_SECRETS);
    return new OwnedResources<>(
        context.getClient(),
        GatewayEventSources.get(context, Secret.class, OWNED_SECRETS),
        unlabelled::get,
        checked,
        conflicts);
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
