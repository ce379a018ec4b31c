package dev.ipsec.operator.reconcile.gateway;

import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.OWNED_CONFIGMAPS;
import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.OWNED_SECRETS;
import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.REFERENCED_CONFIGMAPS;
import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.REFERENCED_SECRETS;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.ownership.CheckedVersions;
import dev.ipsec.operator.reconcile.ownership.NameConflicts;
import dev.ipsec.operator.reconcile.ownership.OwnedResources;
import dev.ipsec.operator.reconcile.ownership.WritePass;
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
  private final WritePass pass;

  GatewayWrites(Context<IpsecGlobal> context, CheckedVersions checked, NameConflicts conflicts) {
    this.context = context;
    this.pass = new WritePass(context.getClient(), checked, conflicts);
  }

  OwnedResources<ConfigMap> configMaps() {
    return withUnlabelledCache(ConfigMap.class, OWNED_CONFIGMAPS, REFERENCED_CONFIGMAPS);
  }

  OwnedResources<Secret> secrets() {
    return withUnlabelledCache(Secret.class, OWNED_SECRETS, REFERENCED_SECRETS);
  }

  /** A kind of which the operator watches only its own objects. */
  <R extends HasMetadata> OwnedResources<R> of(Class<R> type) {
    return new OwnedResources<>(
        pass, GatewayEventSources.get(context, type, null), id -> Optional.empty());
  }

  /** A kind peers refer to, whose unlabelled objects the operator watches too. */
  private <R extends HasMetadata> OwnedResources<R> withUnlabelledCache(
      Class<R> type, String ownedSource, String unlabelledSource) {
    var unlabelled = GatewayEventSources.get(context, type, unlabelledSource);
    return new OwnedResources<>(
        pass, GatewayEventSources.get(context, type, ownedSource), unlabelled::get);
  }
}
