package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import dev.ipsec.operator.reconcile.ownership.CheckedVersions;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.ownership.NameConflicts;
import dev.ipsec.operator.reconcile.ownership.NameConflicts.ObjectName;
import dev.ipsec.operator.reconcile.ownership.WriteFailures;
import dev.ipsec.operator.render.RenderedGateway;
import dev.ipsec.operator.volume.ConfigShards;
import dev.ipsec.operator.volume.ConfigVolumePlan;
import dev.ipsec.operator.volume.ConfigVolumePlanner;
import dev.ipsec.operator.volume.PreviousRenderings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delivers a gateway's configuration volume to the API server: has it planned ({@link
 * ConfigVolumePlanner}, the pure part it shares with {@code render --volume-dir}), writes the
 * gateway's objects in the order the agent relies on, deletes what is no longer planned, and tells
 * the pods that a new revision is there.
 */
public final class GatewayConfigWriter {

  private static final Pattern SHARD_INDEX = Pattern.compile("-(\\d+)$");

  private final GatewayDefaults defaults;
  private final AgentTlsSecrets agentTls;
  private final ConfigVolumePlanner planner;
  private final CheckedVersions checked = new CheckedVersions();
  private final ForeignShardChecks foreignShards;

  public GatewayConfigWriter(GatewayDefaults defaults, AgentTlsSecrets agentTls, Clock clock) {
    this.defaults = defaults;
    this.agentTls = agentTls;
    this.planner = new ConfigVolumePlanner(defaults.maxShardBytes());
    this.foreignShards = new ForeignShardChecks(clock);
  }

  /** The gateway was deleted: what was looked up of its names no longer stands. */
  public void forget(GatewayId gateway) {
    foreignShards.forget(gateway);
  }

  /**
   * Writes every object of the gateway that differs from the plan, in this order: the shards
   * (highest index first), the root Secret, the root ConfigMap, the agent's TLS Secret, then the
   * Deployment (whose pods mount both volumes) and Service; last, deletes what the plan no longer
   * holds. The root ConfigMap's manifest is the commit point of a revision: when it names the
   * revision, every file it lists is already written, and the files of the previous revision are
   * deleted only after it.
   *
   * <p>No object is written over one of someone else's that has its name, and the Deployment is not
   * written while its pods would mount such an object: each is recorded in {@code conflicts}
   * instead, with the foreign objects under shard names the pods would mount.
   *
   * <p>A request the API server refuses (403, 422, an admission denial: {@link WriteFailures})
   * stops no other object whose write does not depend on it: the shards are written whatever
   * another shard's fate, the ServiceAccount, Service and agent TLS Secret whatever the volume's.
   * Held back are the root ConfigMap after a refused shard or root Secret (it would name a revision
   * not wholly written), the deletion of shards no longer planned until the root ConfigMap that no
   * longer lists them is written, and the Deployment while an object its pods require could not be
   * written (its template would point at a strongswan.conf or Secret the cluster does not have).
   *
   * <p>Without {@code deploymentAllowed} (the gateway policy refuses what the spec asks of its
   * pods) the Deployment is neither created nor updated: pods that run keep the last allowed
   * template, and the configuration they load is written as usual.
   *
   * @return the plan, with the peers that did not fit
   */
  public ConfigVolumePlan write(
      IpsecGlobal gateway,
      Context<IpsecGlobal> context,
      RenderedGateway rendered,
      PreviousRenderings previous,
      SortedMap<String, String> referenceVersions,
      NameConflicts conflicts,
      WriteFailures failures,
      boolean deploymentAllowed) {
    String ns = gateway.getMetadata().getNamespace();
    String name = gateway.getMetadata().getName();
    var owned = new GatewayWrites(context, checked, conflicts, failures);
    var configMaps = owned.configMaps();
    var secrets = owned.secrets();
    ConfigVolumePlan plan =
        planner.plan(
            rendered,
            previous,
            referenceVersions,
            shardCount(configMaps.existing(ns, name), name + "-config-"),
            shardCount(secrets.existing(ns, name), name + "-secrets-"));
    String strongswanConf = rendered.strongswanConf().orElseThrow();

    owned.of(ServiceAccount.class).ensure(GatewayObjects.serviceAccount(gateway));
    List<String> configMapNames = new ArrayList<>();
    configMaps.ensure(GatewayObjects.strongswanConfigMap(gateway, strongswanConf));
    configMapNames.add(GatewayObjects.strongswanConfigMapName(name));
    // highest index first: when the count doubles, a file moves from shard i to i + count, so it
    // is in its new shard before it leaves the old one and the agent never sees it vanish
    for (var shard : highestFirst(plan.configShards())) {
      configMaps.ensure(GatewayObjects.configShard(gateway, shard));
      configMapNames.add(GatewayObjects.configShardName(name, shard.index()));
    }
    List<String> secretNames = new ArrayList<>();
    for (var shard : highestFirst(plan.secretShards())) {
      secrets.ensure(GatewayObjects.secretShard(gateway, shard));
      secretNames.add(GatewayObjects.secretShardName(name, shard.index()));
    }
    secrets.ensure(GatewayObjects.rootSecret(gateway, plan.rootSecret()));
    secretNames.add(GatewayObjects.rootSecretName(name));
    // the commit point: only over a volume whose every shard and root Secret is written
    ObjectName root = new ObjectName("ConfigMap", GatewayObjects.rootConfigMapName(name));
    // strongswan.conf is not part of it: charon reads that, not the agent
    Set<ObjectName> volume = new HashSet<>();
    configMapNames.stream()
        .filter(n -> !n.equals(GatewayObjects.strongswanConfigMapName(name)))
        .forEach(n -> volume.add(new ObjectName("ConfigMap", n)));
    secretNames.forEach(n -> volume.add(new ObjectName("Secret", n)));
    if (failures.anyOf(volume)) {
      failures.holdBack(root);
    } else {
      configMaps.ensure(GatewayObjects.rootConfigMap(gateway, plan.rootConfigMap()));
    }
    boolean committed = !failures.anyOf(Set.of(root));
    configMapNames.add(GatewayObjects.rootConfigMapName(name));
    secrets.ensure(agentTls.desired(gateway, context));
    secretNames.add(GatewayObjects.agentTlsSecretName(name));
    Deployment deployment =
        GatewayDeployment.deployment(
            gateway,
            defaults,
            ConfigManifest.sha256(strongswanConf.getBytes(StandardCharsets.UTF_8)));
    Set<ObjectName> required = RequiredObjects.of(deployment);
    if (deploymentAllowed
        && !conflicts.holdBack("Deployment " + deployment.getMetadata().getName(), required)) {
      if (failures.anyOf(required)) {
        failures.holdBack(new ObjectName("Deployment", deployment.getMetadata().getName()));
      } else {
        owned.of(Deployment.class).ensure(deployment);
      }
    }
    var services = owned.of(Service.class);
    var service = GatewayObjects.service(gateway);
    service.ifPresent(services::ensure);
    services.deleteOthers(
        ns, name, service.map(s -> List.of(s.getMetadata().getName())).orElse(List.of()));
    if (committed) {
      // the files of the previous revision go only after the root that no longer lists them
      configMaps.deleteOthers(ns, name, configMapNames);
      secrets.deleteOthers(ns, name, secretNames);
    }
    // someone else's object under an unused shard name: looked up only when the volume changed
    // since a look found none (ForeignShardChecks), not on every agent report
    GatewayId id = new GatewayId(ns, name);
    String uid = gateway.getMetadata().getUid();
    long generation = Optional.ofNullable(gateway.getMetadata().getGeneration()).orElse(0L);
    if (foreignShards.due(id, uid, generation, plan.revision())) {
      foreignShards.looked(
          id,
          uid,
          generation,
          plan.revision(),
          ForeignShards.report(ns, name, configMaps, configMapNames, secrets, secretNames));
    }
    return plan;
  }

  /**
   * Whether the last look at the gateway's unused shard names found them all free for this revision
   * and still stands ({@link ForeignShardChecks}): a look that found someone else's object, or that
   * the server refused, leaves the next reconcile to look again.
   */
  public boolean foreignShardsSettled(IpsecGlobal gateway, String revision) {
    return !foreignShards.due(
        new GatewayId(gateway.getMetadata().getNamespace(), gateway.getMetadata().getName()),
        gateway.getMetadata().getUid(),
        Optional.ofNullable(gateway.getMetadata().getGeneration()).orElse(0L),
        revision);
  }

  /**
   * The peer files of the gateway's volume as written, from the caches of its own shards: what a
   * peer that cannot be rendered now keeps running ({@link LastKnownGood}).
   */
  public WrittenPeerFiles written(
      IpsecGlobal gateway, Context<IpsecGlobal> context, Set<String> peers) {
    String ns = gateway.getMetadata().getNamespace();
    String name = gateway.getMetadata().getName();
    var owned = new GatewayWrites(context, checked, new NameConflicts(), new WriteFailures());
    return WrittenPeerFiles.of(
        name, owned.configMaps().existing(ns, name), owned.secrets().existing(ns, name), peers);
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
