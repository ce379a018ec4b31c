package dev.ipsec.operator.reconcile.gateway;

import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.OWNED_CONFIGMAPS;
import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.OWNED_SECRETS;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.ownership.Hashing;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.ownership.OwnedResources;
import dev.ipsec.operator.render.RenderedGateway;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delivers a gateway's rendered configuration: names the revision, splits the files into shards,
 * writes the gateway's objects in the order the agent relies on, deletes what is no longer
 * rendered, and tells the pods that a new revision is there.
 */
public final class GatewayConfigWriter {

  private static final Pattern SHARD_INDEX = Pattern.compile("-(\\d+)$");

  private final GatewayDefaults defaults;

  public GatewayConfigWriter(GatewayDefaults defaults) {
    this.defaults = defaults;
  }

  /**
   * Writes every object of the gateway that differs from what is rendered.
   *
   * @throws ConfigShards.TooLargeException when the files do not fit the shards; nothing has been
   *     written then, since the shards are split before any object is touched
   */
  public void write(
      IpsecGlobal gateway,
      Context<IpsecGlobal> context,
      RenderedGateway rendered,
      String revision) {
    String ns = gateway.getMetadata().getNamespace();
    String name = gateway.getMetadata().getName();
    KubernetesClient client = context.getClient();
    var configMaps =
        new OwnedResources<>(
            client, GatewayEventSources.get(context, ConfigMap.class, OWNED_CONFIGMAPS));
    var secrets =
        new OwnedResources<>(client, GatewayEventSources.get(context, Secret.class, OWNED_SECRETS));

    Set<String> connections = rendered.connections().keySet();
    SortedMap<String, String> configFiles = new TreeMap<>(rendered.configFiles());
    String swanctlConf = configFiles.remove(GatewayObjects.SWANCTL_CONF);
    var configShards =
        ConfigShards.split(
            configFiles,
            connections,
            shardCount(configMaps.existing(ns, name), name + "-config-"),
            defaults.maxShardBytes(),
            ConfigShards::textSize);
    var secretShards =
        ConfigShards.split(
            rendered.secretFiles(),
            connections,
            shardCount(secrets.existing(ns, name), name + "-secrets-"),
            defaults.maxShardBytes(),
            ConfigShards::secretSize);
    String strongswanConf = rendered.strongswanConf().orElseThrow();

    new OwnedResources<>(client, GatewayEventSources.get(context, ServiceAccount.class, null))
        .ensure(GatewayObjects.serviceAccount(gateway));
    List<String> configMapNames = new ArrayList<>();
    configMaps.ensure(GatewayObjects.rootConfigMap(gateway, swanctlConf, revision));
    configMapNames.add(GatewayObjects.rootConfigMapName(name));
    configMaps.ensure(GatewayObjects.strongswanConfigMap(gateway, strongswanConf));
    configMapNames.add(GatewayObjects.strongswanConfigMapName(name));
    // highest index first: when the count doubles, a file moves from shard i to i + count, so it
    // is in its new shard before it leaves the old one and the agent never sees it vanish
    for (var shard : highestFirst(configShards)) {
      configMaps.ensure(GatewayObjects.configShard(gateway, shard));
      configMapNames.add(GatewayObjects.configShardName(name, shard.index()));
    }
    // the agent's TLS Secret is written by AgentTlsSecrets, and must survive the clean-up below
    List<String> secretNames = new ArrayList<>(List.of(GatewayObjects.agentTlsSecretName(name)));
    for (var shard : highestFirst(secretShards)) {
      secrets.ensure(GatewayObjects.secretShard(gateway, shard));
      secretNames.add(GatewayObjects.secretShardName(name, shard.index()));
    }
    new OwnedResources<>(client, GatewayEventSources.get(context, Deployment.class, null))
        .ensure(GatewayDeployment.deployment(gateway, defaults, Hashing.of(strongswanConf)));
    var services =
        new OwnedResources<>(client, GatewayEventSources.get(context, Service.class, null));
    var service = GatewayObjects.service(gateway);
    service.ifPresent(services::ensure);
    services.deleteOthers(
        ns, name, service.map(s -> List.of(s.getMetadata().getName())).orElse(List.of()));
    configMaps.deleteOthers(ns, name, configMapNames);
    secrets.deleteOthers(ns, name, secretNames);
  }

  /**
   * Annotates the gateway's pods with the new revision: an update of the pod makes the kubelet
   * refresh its projected volumes now instead of at its next periodic sync. A patch of the Pods,
   * never of the template, so nothing restarts.
   */
  public static void announce(KubernetesClient client, Collection<Pod> pods, String revision) {
    for (Pod pod : pods) {
      Map<String, String> annotations = pod.getMetadata().getAnnotations();
      String current = annotations == null ? null : annotations.get(Labels.CONFIG_REVISION);
      if (pod.getMetadata().getDeletionTimestamp() != null || revision.equals(current)) {
        continue;
      }
      String patch =
          "{\"metadata\":{\"annotations\":{\""
              + Labels.CONFIG_REVISION
              + "\":\""
              + revision
              + "\"}}}";
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }
  }

  /**
   * The revision of the configuration: rendered public files and fingerprints of referenced
   * objects.
   */
  public static String revision(
      RenderedGateway rendered, SortedMap<String, String> referenceVersions) {
    var digest = Hashing.digest();
    rendered
        .configFiles()
        .forEach(
            (path, text) -> {
              digest.update(path.getBytes(StandardCharsets.UTF_8));
              digest.update((byte) 0);
              digest.update(text.getBytes(StandardCharsets.UTF_8));
              digest.update((byte) 0);
            });
    rendered.strongswanConf().ifPresent(s -> digest.update(s.getBytes(StandardCharsets.UTF_8)));
    // secret files are represented by the versions of the Secrets they come from and their names:
    // a hash over secret values would let anyone who reads ConfigMaps test guesses of a weak PSK
    rendered.secretFiles().keySet().forEach(p -> digest.update(p.getBytes(StandardCharsets.UTF_8)));
    referenceVersions.forEach(
        (k, v) -> digest.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  /** How many shards exist (highest index + 1), so the count never shrinks by accident. */
  static int shardCount(Collection<? extends HasMetadata> existing, String prefix) {
    int count = 0;
    for (HasMetadata r : existing) {
      String n = r.getMetadata().getName();
      if (n.startsWith(prefix)) {
        Matcher m = SHARD_INDEX.matcher(n);
        if (m.find()) {
          count = Math.max(count, Integer.parseInt(m.group(1)) + 1);
        }
      }
    }
    return count;
  }

  private static <V> List<ConfigShards.Shard<V>> highestFirst(List<ConfigShards.Shard<V>> shards) {
    List<ConfigShards.Shard<V>> ordered = new ArrayList<>(shards);
    ordered.sort(Comparator.comparingInt((ConfigShards.Shard<V> s) -> s.index()).reversed());
    return ordered;
  }
}
