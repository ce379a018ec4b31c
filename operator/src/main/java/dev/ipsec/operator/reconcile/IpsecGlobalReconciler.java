package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.render.GatewayRenderer;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.RenderedGateway;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An IpsecGlobal: renders its peers into sharded ConfigMaps and Secrets, runs the gateway
 * Deployment with its ServiceAccount and optional Service, tells the pods about new
 * configuration, follows their agents and reports pods and peer totals.
 */
@ControllerConfiguration(name = "ipsecglobal",
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public final class IpsecGlobalReconciler implements Reconciler<IpsecGlobal> {

  static final String REFERENCED_SECRETS = "referenced-secrets";
  static final String REFERENCED_CONFIGMAPS = "referenced-configmaps";
  static final String OWNED_SECRETS = "owned-secrets";
  static final String OWNED_CONFIGMAPS = "owned-configmaps";

  private final GatewayDefaults defaults;
  private final GatewayStateStore states;
  private final GatewayPoller poller;
  private final Clock clock;
  private final GatewayRenderer renderer = new GatewayRenderer();

  public IpsecGlobalReconciler(GatewayDefaults defaults, GatewayStateStore states, GatewayPoller poller,
      Clock clock) {
    this.defaults = defaults;
    this.states = states;
    this.poller = poller;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, IpsecGlobal>> prepareEventSources(EventSourceContext<IpsecGlobal> context) {
    InformerEventSource<IpsecPeer, IpsecGlobal> peers = PeerInformers.indexed(context,
        peer -> PeerReferences.of(peer).gateway()
            .map(g -> Set.of(new ResourceID(g, peer.getMetadata().getNamespace())))
            .orElse(Set.of()));
    List<EventSource<?, IpsecGlobal>> sources = new ArrayList<>();
    sources.add(peers);
    sources.add(viaPeers(context, peers, IkeGroup.class, null, PeerReferences::ikeGroupKey));
    sources.add(viaPeers(context, peers, EspGroup.class, null, PeerReferences::espGroupKey));
    sources.add(viaPeers(context, peers, Secret.class, REFERENCED_SECRETS, PeerReferences::secretKey));
    sources.add(viaPeers(context, peers, ConfigMap.class, REFERENCED_CONFIGMAPS, PeerReferences::configMapKey));
    sources.add(owned(context, ConfigMap.class, OWNED_CONFIGMAPS));
    sources.add(owned(context, Secret.class, OWNED_SECRETS));
    sources.add(owned(context, Deployment.class, null));
    sources.add(owned(context, ServiceAccount.class, null));
    sources.add(owned(context, Service.class, null));
    sources.add(owned(context, Pod.class, null));
    sources.add(new GatewayStateEventSource<IpsecGlobal>("gateway-state", states,
        change -> Set.of(new ResourceID(change.gateway().name(), change.gateway().namespace()))));
    sources.add(new GatewayDeletionListener(poller));
    return sources;
  }

  /** A kind peers refer to: its change reaches the gateways of the peers that name it. */
  private static <R extends HasMetadata> InformerEventSource<R, IpsecGlobal> viaPeers(
      EventSourceContext<IpsecGlobal> context, InformerEventSource<IpsecPeer, IpsecGlobal> peers,
      Class<R> type, String name, java.util.function.BiFunction<String, String, String> indexKey) {
    var builder = InformerEventSourceConfiguration.from(type, IpsecGlobal.class)
        .withSecondaryToPrimaryMapper(r -> peers.byIndex(PeerReferences.INDEX,
                indexKey.apply(r.getMetadata().getNamespace(), r.getMetadata().getName())).stream()
            .flatMap(p -> PeerReferences.of(p).gateway().stream()
                .map(g -> new ResourceID(g, p.getMetadata().getNamespace())))
            .collect(Collectors.toSet()))
        .withNamespacesInheritedFromController();
    if (name != null) {
      builder.withName(name);
    }
    if (type == Secret.class || type == ConfigMap.class) {
      // the rendered shards are never references (and are cached by the owned-object informers)
      builder.withLabelSelector(Labels.NOT_OWNED_SELECTOR);
    }
    return new InformerEventSource<>(builder.build(), context);
  }

  /** Objects the operator made for a gateway, found by label, mapped back by label. */
  private static <R extends HasMetadata> InformerEventSource<R, IpsecGlobal> owned(
      EventSourceContext<IpsecGlobal> context, Class<R> type, String name) {
    var builder = InformerEventSourceConfiguration.from(type, IpsecGlobal.class)
        .withLabelSelector(type == Pod.class
            ? Labels.NAME + "=" + Labels.GATEWAY_NAME_VALUE
            : Labels.OWNED_SELECTOR)
        .withSecondaryToPrimaryMapper(r -> Labels.gatewayOf(r)
            .map(g -> Set.of(new ResourceID(g, r.getMetadata().getNamespace())))
            .orElse(Set.of()))
        .withNamespacesInheritedFromController();
    if (name != null) {
      builder.withName(name);
    }
    return new InformerEventSource<>(builder.build(), context);
  }

  @Override
  public UpdateControl<IpsecGlobal> reconcile(IpsecGlobal gateway, Context<IpsecGlobal> context) {
    String ns = gateway.getMetadata().getNamespace();
    String name = gateway.getMetadata().getName();
    var gatewayId = new GatewayStateStore.GatewayId(ns, name);
    List<IpsecPeer> peers = PeerInformers.byKey(context, PeerReferences.gatewayKey(ns, name)).stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
    InformerEventSource<Secret, IpsecGlobal> referencedSecrets = source(context, Secret.class, REFERENCED_SECRETS);
    InformerEventSource<ConfigMap, IpsecGlobal> referencedConfigMaps =
        source(context, ConfigMap.class, REFERENCED_CONFIGMAPS);
    InformerEventSource<IkeGroup, IpsecGlobal> ike = source(context, IkeGroup.class, null);
    InformerEventSource<EspGroup, IpsecGlobal> esp = source(context, EspGroup.class, null);
    var assembler = new GatewayInputAssembler(
        n -> ike.get(new ResourceID(n, ns)),
        n -> esp.get(new ResourceID(n, ns)),
        n -> referencedSecrets.get(new ResourceID(n, ns)),
        n -> referencedConfigMaps.get(new ResourceID(n, ns)));
    GatewayInputAssembler.Assembled assembled = assembler.assemble(gateway, peers);
    RenderedGateway rendered = renderer.render(assembled.input());

    List<Pod> pods = new ArrayList<>(context.getSecondaryResources(Pod.class));
    String revision = null;
    int desiredReplicas = 0;
    List<FieldError> gatewayErrors = new ArrayList<>(rendered.gatewayErrors());
    if (gatewayErrors.isEmpty()) {
      revision = revision(rendered, assembled.referenceVersions());
      desiredReplicas = Optional.ofNullable(GatewayObjects.workload(gateway).getReplicas()).orElse(1);
      try {
        applyDependents(gateway, context, rendered, revision);
      } catch (ConfigShards.TooLargeException e) {
        // nothing was written: the shards are split before any object is touched
        gatewayErrors.add(new FieldError("spec", e.getMessage()));
      }
      nudge(context, pods, revision);
      poller.follow(gatewayId, gateway.getMetadata().getUid(), pods.stream()
          .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null
              && p.getMetadata().getDeletionTimestamp() == null)
          .map(p -> new GatewayPoller.Target(p.getMetadata().getName(), p.getStatus().getPodIP(),
              defaults.agentPort()))
          .collect(Collectors.toSet()));
    }

    int established = 0;
    for (String connection : rendered.connections().keySet()) {
      if (states.observe(gatewayId, connection)
          .map(o -> o.connection() != null && o.connection().established()).orElse(false)) {
        established++;
      }
    }
    IpsecGlobalStatus status = GatewayStatusBuilder.build(gateway.getStatus(),
        gateway.getMetadata().getGeneration(), gatewayErrors, rendered.peerErrors().size(),
        desiredReplicas, pods, states.reports(gatewayId), rendered.connections().size(), established,
        revision, clock);
    return Statuses.writeIfChanged(gateway, status, context);
  }

  /** Writes what differs; true when the configuration files changed. */
  private boolean applyDependents(IpsecGlobal gateway, Context<IpsecGlobal> context,
      RenderedGateway rendered, String revision) {
    String ns = gateway.getMetadata().getNamespace();
    String name = gateway.getMetadata().getName();
    var client = context.getClient();
    OwnedResources<ConfigMap> configMaps = new OwnedResources<>(client, source(context, ConfigMap.class, OWNED_CONFIGMAPS));
    OwnedResources<Secret> secrets = new OwnedResources<>(client, source(context, Secret.class, OWNED_SECRETS));
    OwnedResources<Deployment> deployments = new OwnedResources<>(client, source(context, Deployment.class, null));
    OwnedResources<ServiceAccount> accounts = new OwnedResources<>(client, source(context, ServiceAccount.class, null));
    OwnedResources<Service> services = new OwnedResources<>(client, source(context, Service.class, null));

    Set<String> connections = rendered.connections().keySet();
    SortedMap<String, String> configFiles = new TreeMap<>(rendered.configFiles());
    String swanctlConf = configFiles.remove(GatewayObjects.SWANCTL_CONF);
    var configShards = ConfigShards.split(configFiles, connections,
        shardCount(configMaps.existing(ns, name), name + "-config-"), defaults.maxShardBytes(), ConfigShards::textSize);
    var secretShards = ConfigShards.split(rendered.secretFiles(), connections,
        shardCount(secrets.existing(ns, name), name + "-secrets-"), defaults.maxShardBytes(), ConfigShards::secretSize);
    String strongswanConf = rendered.strongswanConf().orElseThrow();

    boolean changed = false;
    accounts.ensure(GatewayObjects.serviceAccount(gateway));
    List<String> configMapNames = new ArrayList<>();
    changed |= configMaps.ensure(GatewayObjects.rootConfigMap(gateway, swanctlConf, revision));
    configMapNames.add(GatewayObjects.rootConfigMapName(name));
    configMaps.ensure(GatewayObjects.strongswanConfigMap(gateway, strongswanConf));
    configMapNames.add(GatewayObjects.strongswanConfigMapName(name));
    // highest index first: when the count doubles, a file moves from shard i to i + count, so it
    // is in its new shard before it leaves the old one and the agent never sees it vanish
    for (var shard : highestFirst(configShards)) {
      changed |= configMaps.ensure(GatewayObjects.configShard(gateway, shard));
      configMapNames.add(GatewayObjects.configShardName(name, shard.index()));
    }
    List<String> secretNames = new ArrayList<>();
    for (var shard : highestFirst(secretShards)) {
      changed |= secrets.ensure(GatewayObjects.secretShard(gateway, shard));
      secretNames.add(GatewayObjects.secretShardName(name, shard.index()));
    }
    deployments.ensure(GatewayObjects.deployment(gateway, defaults, Hashing.of(strongswanConf)));
    var service = GatewayObjects.service(gateway);
    service.ifPresent(services::ensure);
    services.deleteOthers(ns, name, service.map(s -> List.of(s.getMetadata().getName())).orElse(List.of()));
    changed |= configMaps.deleteOthers(ns, name, configMapNames);
    changed |= secrets.deleteOthers(ns, name, secretNames);
    return changed;
  }

  /**
   * Annotates the gateway's pods with the new revision: an update of the pod makes the kubelet
   * refresh its projected volumes now instead of at its next periodic sync. A patch of the Pods,
   * never of the template, so nothing restarts.
   */
  private static void nudge(Context<IpsecGlobal> context, List<Pod> pods, String revision) {
    for (Pod pod : pods) {
      Map<String, String> annotations = pod.getMetadata().getAnnotations();
      String current = annotations == null ? null : annotations.get(Labels.CONFIG_REVISION);
      if (pod.getMetadata().getDeletionTimestamp() != null || revision.equals(current)) {
        continue;
      }
      String patch = "{\"metadata\":{\"annotations\":{\"" + Labels.CONFIG_REVISION + "\":\"" + revision + "\"}}}";
      context.getClient().pods().inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }
  }

  /** The revision of the configuration: rendered public files and fingerprints of referenced objects. */
  static String revision(RenderedGateway rendered, SortedMap<String, String> referenceVersions) {
    var digest = Hashing.digest();
    rendered.configFiles().forEach((path, text) -> {
      digest.update(path.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(text.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    });
    rendered.strongswanConf().ifPresent(s -> digest.update(s.getBytes(StandardCharsets.UTF_8)));
    // secret files are represented by the versions of the Secrets they come from and their names:
    // a hash over secret values would let anyone who reads ConfigMaps test guesses of a weak PSK
    rendered.secretFiles().keySet().forEach(p -> digest.update(p.getBytes(StandardCharsets.UTF_8)));
    referenceVersions.forEach((k, v) -> digest.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
    return java.util.HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  private static final Pattern SHARD_INDEX = Pattern.compile("-(\\d+)$");

  private static <V> List<ConfigShards.Shard<V>> highestFirst(List<ConfigShards.Shard<V>> shards) {
    List<ConfigShards.Shard<V>> ordered = new ArrayList<>(shards);
    ordered.sort(java.util.Comparator.comparingInt((ConfigShards.Shard<V> s) -> s.index()).reversed());
    return ordered;
  }

  /** How many shards exist (highest index + 1), so the count never shrinks by accident. */
  static int shardCount(java.util.Collection<? extends HasMetadata> existing, String prefix) {
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

  @SuppressWarnings("unchecked")
  private static <R extends HasMetadata> InformerEventSource<R, IpsecGlobal> source(Context<IpsecGlobal> context, Class<R> type, String name) {
    return (InformerEventSource<R, IpsecGlobal>) (name == null
        ? context.eventSourceRetriever().getEventSourceFor(type)
        : context.eventSourceRetriever().getEventSourceFor(type, name));
  }
}
