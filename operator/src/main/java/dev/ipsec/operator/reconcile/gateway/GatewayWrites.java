package dev.ipsec.operator.reconcile.gateway;

import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.OWNED_CONFIGMAPS;
import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.OWNED_SECRETS;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.ownership.CheckedVersions;
import dev.ipsec.operator.reconcile.ownership.NameConflicts;
import dev.ipsec.operator.reconcile.ownership.OwnedResources;
import dev.ipsec.operator.reconcile.ownership.WriteFailures;
import dev.ipsec.operator.reconcile.ownership.WritePass;
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
  private final WritePass pass;

  GatewayWrites(
      Context<IpsecGlobal> context,
      CheckedVersions checked,
      NameConflicts conflicts,
      WriteFailures failures) {
    this.context = context;
    this.pass = new WritePass(context.getClient(), checked, conflicts, failures);
  }

  OwnedResources<ConfigMap> configMaps() {
    return withServerLookup(ConfigMap.class, OWNED_CONFIGMAPS);
  }

  OwnedResources<Secret> secrets() {
    return withServerLookup(Secret.class, OWNED_SECRETS);
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
        pass, GatewayEventSources.get(context, type, null), id -> Optional.empty());
  }

  /**
   * A kind the pods project by name: someone else's object under a name is read from the server.
   */
  private <R extends HasMetadata> OwnedResources<R> withServerLookup(
      Class<R> type, String ownedSource) {
    return new OwnedResources<>(
        pass, GatewayEventSources.get(context, type, ownedSource), byServer(type));
  }
}
