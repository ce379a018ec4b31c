package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.agentstate.GatewayPoller;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateEventSource;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.peer.PeerInformers;
import dev.ipsec.operator.reconcile.peer.PeerReferencedInformers;
import dev.ipsec.operator.reconcile.peer.PeerReferences;
import dev.ipsec.operator.reconcile.peer.ReferencedObjectCache;
import dev.ipsec.operator.reconcile.peer.ReferencedObjectEvents;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What wakes an IpsecGlobal up, and how its reconciler finds those caches again: its peers (indexed
 * by what they name), the groups, Secrets and ConfigMaps they name, every object the operator owns
 * for the gateway (by label), its pods and their ReplicaSets (to check the pods' owner chain), its
 * agents' state, and its deletion (to stop following the agents). Secrets and ConfigMaps come from
 * two places, told apart by name: the references, from the {@link ReferencedObjectCache} both
 * controllers share (only objects labelled {@code ipsec.dev/referenced=true}), and the owned
 * objects (only ours). Someone else's object under one of the gateway's names is in neither: it is
 * found by the server's answer ({@link GatewayWrites}).
 */
public final class GatewayEventSources {

  static final String REFERENCED_SECRETS = "referenced-secrets";
  static final String REFERENCED_CONFIGMAPS = "referenced-configmaps";
  static final String OWNED_SECRETS = "owned-secrets";
  static final String OWNED_CONFIGMAPS = "owned-configmaps";

  private GatewayEventSources() {}

  public static List<EventSource<?, IpsecGlobal>> all(
      EventSourceContext<IpsecGlobal> context,
      GatewayStateStore states,
      GatewayPoller poller,
      ReferencedObjectCache referencedObjects,
      Consumer<GatewayStateStore.GatewayId> forgetDeleted) {
    InformerEventSource<IpsecPeer, IpsecGlobal> peers =
        PeerInformers.indexed(
            context, peer -> PeerReferencedInformers.gatewayOf(peer).collect(Collectors.toSet()));
    Function<String, Collection<IpsecPeer>> peersByKey =
        key -> peers.byIndex(PeerReferences.INDEX, key);
    return List.of(
        peers,
        viaPeers(context, peers, IkeGroup.class, PeerReferences::ikeGroupKey),
        viaPeers(context, peers, EspGroup.class, PeerReferences::espGroupKey),
        // referenced Secrets and ConfigMaps, from the cache both controllers share
        ReferencedObjectEvents.viaPeers(
            REFERENCED_SECRETS,
            Secret.class,
            referencedObjects,
            PeerReferences::secretKey,
            peersByKey,
            PeerReferencedInformers::gatewayOf),
        ReferencedObjectEvents.viaPeers(
            REFERENCED_CONFIGMAPS,
            ConfigMap.class,
            referencedObjects,
            PeerReferences::configMapKey,
            peersByKey,
            PeerReferencedInformers::gatewayOf),
        owned(context, ConfigMap.class, OWNED_CONFIGMAPS, GatewayObjectNames::gatewayOfConfigMap),
        owned(context, Secret.class, OWNED_SECRETS, GatewayObjectNames::gatewayOfSecret),
        owned(context, Deployment.class, null, null),
        owned(context, ServiceAccount.class, null, null),
        owned(context, Service.class, null, null),
        owned(context, ReplicaSet.class, null, null),
        owned(context, Pod.class, null, null),
        // every report may change the gateway's one status: at most one reconcile per interval
        new GatewayStateEventSource<IpsecGlobal>(
            "gateway-state",
            states,
            change -> Set.of(new ResourceID(change.gateway().name(), change.gateway().namespace())),
            poller.gatewayStatusEvery()),
        new GatewayDeletionListener(poller, forgetDeleted));
  }

  /** The informer of {@code type} (by name where a kind has two) that {@link #all} registered. */
  @SuppressWarnings("unchecked")
  public static <R extends HasMetadata> InformerEventSource<R, IpsecGlobal> get(
      Context<IpsecGlobal> context, Class<R> type, String name) {
    var retriever = context.eventSourceRetriever();
    return (InformerEventSource<R, IpsecGlobal>)
        (name == null
            ? retriever.getEventSourceFor(type)
            : retriever.getEventSourceFor(type, name));
  }

  /** A kind peers refer to: its change reaches the gateways of the peers that name it. */
  private static <R extends HasMetadata> InformerEventSource<R, IpsecGlobal> viaPeers(
      EventSourceContext<IpsecGlobal> context,
      InformerEventSource<IpsecPeer, IpsecGlobal> peers,
      Class<R> type,
      BiFunction<String, String, String> indexKey) {
    return new InformerEventSource<>(
        PeerReferencedInformers.of(
                type,
                IpsecGlobal.class,
                indexKey,
                key -> peers.byIndex(PeerReferences.INDEX, key),
                PeerReferencedInformers::gatewayOf)
            .build(),
        context);
  }

  /**
   * Objects the operator made for a gateway, found by label, mapped back by label; with {@code
   * gatewayByName} also to the gateway whose name they have (another gateway's object taking or
   * leaving it).
   */
  private static <R extends HasMetadata> InformerEventSource<R, IpsecGlobal> owned(
      EventSourceContext<IpsecGlobal> context,
      Class<R> type,
      String name,
      Function<String, Optional<String>> gatewayByName) {
    var builder =
        InformerEventSourceConfiguration.from(type, IpsecGlobal.class)
            .withLabelSelector(
                // pods and their ReplicaSets carry the pod template's labels
                type == Pod.class || type == ReplicaSet.class
                    ? Labels.NAME + "=" + Labels.GATEWAY_NAME_VALUE
                    : Labels.OWNED_SELECTOR)
            .withSecondaryToPrimaryMapper(
                r -> {
                  Set<ResourceID> primaries = new HashSet<>();
                  Labels.gatewayOf(r)
                      .ifPresent(
                          g -> primaries.add(new ResourceID(g, r.getMetadata().getNamespace())));
                  byName(r, gatewayByName).ifPresent(primaries::add);
                  return primaries;
                })
            .withNamespacesInheritedFromController();
    if (name != null) {
      builder.withName(name);
    }
    InformerEventSource<R, IpsecGlobal> source =
        new InformerEventSource<>(builder.build(), context);
    // a gateway's objects by index: OwnedResources.existing in every reconcile
    source.addIndexers(Map.of(Labels.GATEWAY_INDEX, Labels::gatewayIndexKeys));
    return source;
  }

  private static Optional<ResourceID> byName(
      HasMetadata r, Function<String, Optional<String>> gatewayByName) {
    return gatewayByName == null
        ? Optional.empty()
        : gatewayByName
            .apply(r.getMetadata().getName())
            .map(g -> new ResourceID(g, r.getMetadata().getNamespace()));
  }
}
