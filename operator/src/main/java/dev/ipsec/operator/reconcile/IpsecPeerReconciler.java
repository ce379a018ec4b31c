package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateEventSource;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore;
import dev.ipsec.operator.reconcile.agentstate.PeerObservation;
import dev.ipsec.operator.reconcile.gateway.PeerRunningState;
import dev.ipsec.operator.reconcile.gateway.PeersChangedEventSource;
import dev.ipsec.operator.reconcile.peer.CacheThenServer;
import dev.ipsec.operator.reconcile.peer.GatewayInputAssembler;
import dev.ipsec.operator.reconcile.peer.IndexedPeerStore;
import dev.ipsec.operator.reconcile.peer.MissingReferenceRecheck;
import dev.ipsec.operator.reconcile.peer.PeerReferencedInformers;
import dev.ipsec.operator.reconcile.peer.PeerReferences;
import dev.ipsec.operator.reconcile.peer.PeerValidation;
import dev.ipsec.operator.reconcile.peer.ReferenceLookup;
import dev.ipsec.operator.reconcile.peer.ReferencedObjectEvents;
import dev.ipsec.operator.reconcile.status.Conditions;
import dev.ipsec.operator.reconcile.status.PeerEvents;
import dev.ipsec.operator.reconcile.status.PeerStartupRecheck;
import dev.ipsec.operator.reconcile.status.PeerStatusBuilder;
import dev.ipsec.operator.reconcile.status.RefusedStatusWrites;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.volume.ConfigVolumePlanner;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An IpsecPeer: resolves its gateway, groups and Secrets, validates it with the renderer's rules
 * and maps what the gateway's agents report to its conditions. An invalid spec whose previous
 * configuration keeps running shows that configuration's tunnels and generation ({@link
 * PeerRunningState}). A change of a group, Secret, ConfigMap or gateway reaches exactly the peers
 * that name it, through an index on the peer cache.
 */
@ControllerConfiguration(name = "ipsecpeer")
public final class IpsecPeerReconciler implements Reconciler<IpsecPeer> {

  static final String SECRETS = "peer-secrets";
  static final String CONFIGMAPS = "peer-configmaps";

  private final ControllerServices shared;
  private final PeerEvents transitions;
  private final PeerValidation validation;
  private final RefusedStatusWrites statusWrites;

  /**
   * The controller's own cache (given to JOSDK as its informer's store), so that "which peers name
   * X" never misses a peer whose status write is being stored at that moment.
   */
  private final IndexedPeerStore peers = new IndexedPeerStore();

  /** The store JOSDK's informer of this controller must use: see {@link #peers}. */
  IndexedPeerStore store() {
    return peers;
  }

  IpsecPeerReconciler(ControllerServices shared) {
    this.shared = shared;
    this.statusWrites = new RefusedStatusWrites(shared.events(), shared.clock());
    this.transitions = new PeerEvents(shared.clock());
    this.validation =
        new PeerValidation(new ConfigVolumePlanner(shared.defaults().maxShardBytes()));
  }

  @Override
  public List<EventSource<?, IpsecPeer>> prepareEventSources(
      EventSourceContext<IpsecPeer> context) {
    Function<String, Collection<IpsecPeer>> peersByKey = peers::byReference;
    return List.of(
        referenced(
            context,
            IpsecGlobal.class,
            // the gateway writes its status with every report of its agents (hundreds a second in
            // a fleet) and a peer reads only its spec: a status write must not reconcile every
            // peer of the gateway
            IpsecPeerReconciler::specOrDeletionChanged,
            PeerReferences::gatewayKey,
            refs -> refs.gateway().stream().toList()),
        // a group's status counts the peers that use it, and changes while a starting operator's
        // informers fill: each such write reconciled every peer of the group once more (10,000 at
        // once for a large gateway), though a peer reads only the group's spec
        referenced(
            context,
            IkeGroup.class,
            IpsecPeerReconciler::specOrDeletionChanged,
            PeerReferences::ikeGroupKey,
            refs -> refs.ikeGroup().stream().toList()),
        referenced(
            context,
            EspGroup.class,
            IpsecPeerReconciler::specOrDeletionChanged,
            PeerReferences::espGroupKey,
            PeerReferences::espGroups),
        // the shared cache's Secrets and ConfigMaps (CA certificates may come from ConfigMaps): the
        // reconcile reads them by name through a ReferenceLookup
        ReferencedObjectEvents.viaPeers(
            SECRETS,
            Secret.class,
            shared.referencedObjects(),
            PeerReferences::secretKey,
            peersByKey,
            PeerReferencedInformers::itself),
        ReferencedObjectEvents.viaPeers(
            CONFIGMAPS,
            ConfigMap.class,
            shared.referencedObjects(),
            PeerReferences::configMapKey,
            peersByKey,
            PeerReferencedInformers::itself),
        new GatewayStateEventSource<IpsecPeer>(
            "gateway-state",
            shared.stores().states(),
            change -> {
              String ns = change.gateway().namespace();
              Set<ResourceID> peers =
                  change.connections().stream()
                      .map(c -> new ResourceID(c, ns))
                      .collect(Collectors.toSet());
              if (change.everyPeer()) {
                // a loaded revision changes the running generation of peers no report names
                peersByKey.apply(PeerReferences.gatewayKey(ns, change.gateway().name())).stream()
                    .map(ResourceID::fromResource)
                    .forEach(peers::add);
              }
              return peers;
            }),
        PeersChangedEventSource.of(shared.stores().leftOut()),
        PeersChangedEventSource.of(shared.stores().generations()));
  }

  /**
   * Whether an update of an object a peer reads only the spec of can change the peer: a new
   * generation, or its deletion starting (a peer ignores an object being deleted).
   */
  private static <R extends HasMetadata> boolean specOrDeletionChanged(R newObject, R oldObject) {
    return !Objects.equals(
            newObject.getMetadata().getGeneration(), oldObject.getMetadata().getGeneration())
        || !Objects.equals(
            newObject.getMetadata().getDeletionTimestamp(),
            oldObject.getMetadata().getDeletionTimestamp());
  }

  /**
   * An informer for a kind peers refer to: secondary to primary through the peer index, primary to
   * secondary from the peer's spec (so a new peer finds its references at once).
   */
  private <R extends HasMetadata> InformerEventSource<R, IpsecPeer> referenced(
      EventSourceContext<IpsecPeer> context,
      Class<R> type,
      OnUpdateFilter<R> onUpdate,
      BiFunction<String, String, String> indexKey,
      Function<PeerReferences, Collection<String>> names) {
    var builder =
        PeerReferencedInformers.of(
                type,
                IpsecPeer.class,
                indexKey,
                key -> peers.byReference(key),
                PeerReferencedInformers::itself)
            .withPrimaryToSecondaryMapper(
                (PrimaryToSecondaryMapper<IpsecPeer>)
                    peer -> PeerReferencedInformers.named(peer, names));
    if (onUpdate != null) {
      builder.withOnUpdateFilter(onUpdate);
    }
    return new InformerEventSource<>(builder.build(), context);
  }

  @Override
  public UpdateControl<IpsecPeer> reconcile(IpsecPeer peer, Context<IpsecPeer> context) {
    String ns = peer.getMetadata().getNamespace();
    // what the informers have not seen yet is asked of the API server: a peer applied together
    // with its gateway and groups is not invalid for the moment their informers lag
    Optional<IpsecGlobal> gateway = gatewayOf(peer, context);
    Map<String, IkeGroup> ikeCached = byName(context.getSecondaryResources(IkeGroup.class));
    Map<String, EspGroup> espCached = byName(context.getSecondaryResources(EspGroup.class));
    var ike =
        CacheThenServer.of(
            n -> Optional.ofNullable(ikeCached.get(n)), context.getClient(), IkeGroup.class, ns);
    var esp =
        CacheThenServer.of(
            n -> Optional.ofNullable(espCached.get(n)), context.getClient(), EspGroup.class, ns);
    ReferenceLookup lookup =
        new ReferenceLookup(context.getClient(), shared.referencedObjects(), ns);
    // the same gathering as the gateway's: what is valid here renders there
    GatewayInputAssembler lookups =
        new GatewayInputAssembler(
            ike::find,
            esp::find,
            n -> lookup.secret(n).filter(PeerReferencedInformers::notDeleting),
            n -> lookup.configMap(n).filter(PeerReferencedInformers::notDeleting));

    PeerValidation.Result result = validation.validate(peer, gateway, lookups);
    validation.forgetGone(key -> context.getPrimaryCache().get(resourceId(key)).isPresent());
    List<FieldError> errors = new ArrayList<>(result.errors());
    Optional<GatewayStateStore.GatewayId> gatewayId =
        gateway.map(g -> new GatewayStateStore.GatewayId(ns, g.getMetadata().getName()));
    if (errors.isEmpty() && gatewayId.isPresent()) {
      shared
          .stores()
          .leftOut()
          .verdict(
              gatewayId.get(),
              peer.getMetadata().getName(),
              peer.getStatus() == null
                  ? null
                  : Conditions.find(peer.getStatus().getConditions(), Conditions.VALID))
          .ifPresent(errors::add);
    }
    boolean disabled = peer.getSpec() != null && Boolean.TRUE.equals(peer.getSpec().getDisable());
    Optional<PeerObservation> observation =
        gatewayId.flatMap(id -> shared.stores().states().observe(id, peer.getMetadata().getName()));
    // an invalid spec may leave the previous configuration running: the status shows what runs
    PeerRunningState.Outcome running =
        PeerRunningState.of(
            peer,
            errors,
            result.connection(),
            gatewayId,
            shared.stores().generations(),
            gatewayId.map(shared.stores().states()::reports).orElse(List.of()));
    Optional<String> gatewayRefused = gateway.flatMap(this::refused);
    IpsecPeerStatus status =
        PeerStatusBuilder.build(
            peer.getStatus(),
            peer.getMetadata().getGeneration(),
            running.errors(),
            disabled,
            running.running(),
            observation,
            gatewayRefused,
            shared.clock());

    Condition validBefore =
        peer.getStatus() == null
            ? null
            : Conditions.find(peer.getStatus().getConditions(), Conditions.VALID);
    if (PeerStatusBuilder.differsBeyondTimers(status, peer.getStatus())) {
      // whole, see Statuses.writeIfChanged; a refusal is told on the peer as an Event instead
      Optional<Duration> refused = statusWrites.write(peer, status, context);
      if (refused.isPresent()) {
        // what this status would have told waits for the write that succeeds
        return UpdateControl.<IpsecPeer>noUpdate().rescheduleAfter(refused.get());
      }
    }
    // only after the write: a write that fails is retried with the whole reconcile, which would
    // tell the same news again (peer still holds the status before)
    for (PeerEvents.PeerEvent e : transitions.between(key(peer), peer.getStatus(), status)) {
      shared.events().record(peer, e.type(), e.reason(), e.message());
    }
    List<Duration> askAgain = new ArrayList<>();
    if (!lookup.missing().isEmpty()) {
      // an object that does not exist yet has no label to be watched by: ask again
      askAgain.add(MissingReferenceRecheck.after(validBefore, shared.clock()));
    }
    if (observation.map(PeerObservation::awaitingFirstReport).orElse(false)
        && PeerStartupRecheck.needed(
            status,
            peer.getMetadata().getGeneration(),
            running.errors(),
            disabled,
            running.running(),
            gatewayRefused,
            shared.clock())) {
      // the gateway's first report reconciles this peer; without one by then, it is silent, and
      // what the status carried over from before this operator started is no longer true
      askAgain.add(shared.stores().states().untilFirstReport(gatewayId.orElseThrow()));
    }
    return askAgain.stream()
        .min(Comparator.naturalOrder())
        .map(after -> UpdateControl.<IpsecPeer>noUpdate().rescheduleAfter(after))
        .orElseGet(UpdateControl::noUpdate);
  }

  /**
   * The peer's IpsecGlobal: from the informer, else from the API server ({@link CacheThenServer}).
   */
  private static Optional<IpsecGlobal> gatewayOf(IpsecPeer peer, Context<IpsecPeer> context) {
    var server =
        CacheThenServer.of(
            name -> context.getSecondaryResource(IpsecGlobal.class),
            context.getClient(),
            IpsecGlobal.class,
            peer.getMetadata().getNamespace());
    return PeerReferences.of(peer).gateway().flatMap(server::find);
  }

  /**
   * Why the gateway runs no pods, when the gateway policy refuses it: the same check as its own.
   */
  private Optional<String> refused(IpsecGlobal gateway) {
    List<FieldError> denied = shared.policy().check(gateway, shared.defaults());
    return denied.isEmpty()
        ? Optional.empty()
        : Optional.of(
            "IpsecGlobal "
                + gateway.getMetadata().getName()
                + " is refused by the operator's gateway policy ("
                + denied.stream().map(FieldError::toString).collect(Collectors.joining("; "))
                + "): no gateway pod of it serves this peer");
  }

  private static String key(IpsecPeer peer) {
    return PeerValidation.key(peer);
  }

  /** The peer of a {@link PeerValidation#key}: namespace/name. */
  private static ResourceID resourceId(String key) {
    int slash = key.indexOf('/');
    return new ResourceID(key.substring(slash + 1), key.substring(0, slash));
  }

  private static <R extends HasMetadata> Map<String, R> byName(Set<R> resources) {
    return resources.stream()
        .filter(Predicate.not(r -> r.getMetadata().getDeletionTimestamp() != null))
        .collect(
            Collectors.toMap(r -> r.getMetadata().getName(), Function.identity(), (a, b) -> a));
  }
}
