package dev.ipsec.operator.reconcile.gateway;

import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.configShardName;
import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.secretShardName;

import dev.ipsec.operator.reconcile.ownership.OwnedResources;
import dev.ipsec.operator.volume.ConfigShards;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Collection;
import java.util.Set;

/**
 * Reports objects that have a shard's name but are not the gateway's. The pod template projects
 * every possible shard, {@code <gw>-config-0..31} and {@code <gw>-secrets-0..31}, as optional
 * sources, so such an object lands in the gateway's configuration volume even though the operator
 * never writes it. The agent loads no file that no manifest lists, and says so; the gateway's
 * status says whose the object is, so that it can be removed.
 */
final class ForeignShards {

  private ForeignShards() {}

  /**
   * Records a conflict for each shard name, other than those just written, that an object of
   * someone else holds.
   *
   * @return true when every such name is free (none held, none refused to be looked up)
   */
  static boolean report(
      String namespace,
      String gateway,
      OwnedResources<ConfigMap> configMaps,
      Collection<String> configMapsWritten,
      OwnedResources<Secret> secrets,
      Collection<String> secretsWritten) {
    Set<String> writtenConfigMaps = Set.copyOf(configMapsWritten);
    Set<String> writtenSecrets = Set.copyOf(secretsWritten);
    boolean allFree = true;
    for (int i = 0; i < ConfigShards.MAX_SHARDS; i++) {
      String config = configShardName(gateway, i);
      if (!writtenConfigMaps.contains(config)) {
        allFree &= configMaps.reportForeign(namespace, config, gateway);
      }
      String secret = secretShardName(gateway, i);
      if (!writtenSecrets.contains(secret)) {
        allFree &= secrets.reportForeign(namespace, secret, gateway);
      }
    }
    return allFree;
  }
}
