package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.agentstate.AgentTargets;
import dev.ipsec.operator.reconcile.agentstate.GatewayPoller;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore;
import dev.ipsec.operator.reconcile.gateway.AgentTlsSecrets;
import dev.ipsec.operator.reconcile.gateway.GatewayConfigWriter;
import dev.ipsec.operator.reconcile.gateway.GatewayDeployment;
import dev.ipsec.operator.reconcile.gateway.GatewayEventSources;
import dev.ipsec.operator.reconcile.gateway.GatewayFingerprint;
import dev.ipsec.operator.reconcile.gateway.GatewayObjects;
import dev.ipsec.operator.reconcile.gateway.GatewayPlacement;
import dev.ipsec.operator.reconcile.gateway.GatewayPods;
import dev.ipsec.operator.reconcile.gateway.LastKnownGood;
import dev.ipsec.operator.reconcile.gateway.LeftOutPeers;
import dev.ipsec.operator.reconcile.gateway.PeerGenerations;
import dev.ipsec.operator.reconcile.gateway.SettledGateways;
import dev.ipsec.operator.reconcile.ownership.NameConflicts;
import dev.ipsec.operator.reconcile.ownership.WriteFailures;
import dev.ipsec.operator.reconcile.peer.CacheThenServer;
import dev.ipsec.operator.reconcile.peer.GatewayInputAssembler;
import dev.ipsec.operator.reconcile.peer.PeerInformers;
import dev.ipsec.operator.reconcile.peer.PeerReferencedInformers;
import dev.ipsec.operator.reconcile.peer.PeerReferences;
import dev.ipsec.operator.reconcile.peer.ReferenceLookup;
import dev.ipsec.operator.reconcile.status.Conditions;
import dev.ipsec.operator.reconcile.status.FalseConditionRecheck;
import dev.ipsec.operator.reconcile.status.GatewayEvents;
import dev.ipsec.operator.reconcile.status.GatewayStatusBuilder;
import dev.ipsec.operator.reconcile.status.PodFailures;
import dev.ipsec.operator.reconcile.status.RefusedStatusWrites;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.GatewayRenderer;
import dev.ipsec.operator.render.RenderOptions;
import dev.ipsec.operator.render.RenderedGateway;
import dev.ipsec.operator.volume.ConfigVolumePlan;
import dev.ipsec.operator.volume.PlacementErrors;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An IpsecGlobal: renders its peers into sharded ConfigMaps and Secrets, runs the gateway
 * Deployment with its ServiceAccount, optional Service and its agents' TLS Secret, tells the pods
 * about new configuration, follows their agents and reports pods and peer totals. Only the pods it
 * owns count ({@link GatewayPods}). Peers that do not fit are left out, and told so through {@link
 * LeftOutPeers}; the others are written as usual. A peer that does not render or fit keeps its last
 * valid files running ({@link LastKnownGood}), and what the volume holds of each peer is told to
 * its reconciler through {@link PeerGenerations}.
 */
@ControllerConfiguration(name = "ipsecglobal")
public final class IpsecGlobalReconciler implements Reconciler<IpsecGlobal> {

  /**
   * How soon a gateway with name conflicts is reconciled again without an event: no informer sees
   * someone else's objects (Secrets and ConfigMaps are cached only when labelled as references), so
   * the name is looked up again until it is free. Conflicts are rare, and each look is a GET.
   */
  static final Duration CONFLICT_RECHECK = Duration.ofSeconds(15);

  /**
   * How soon a gateway whose writes the API server refused tries again, at first: nothing announces
   * that a Role came into effect or a webhook changed its mind. Then after as long as the refusal
   * has lasted, at most {@link #REFUSED_WRITE_LONGEST} ({@link FalseConditionRecheck}).
   */
  static final Duration REFUSED_WRITE_FIRST = Duration.ofSeconds(5);

  static final Duration REFUSED_WRITE_LONGEST = Duration.ofSeconds(60);

  private final ControllerServices shared;
  private final GatewayPoller poller;
  private final LastKnownGood lastKnownGood = new LastKnownGood();
  private final GatewayRenderer renderer =
      GatewayRenderer.remembering(RenderOptions.defaults(), GatewayPlacement::validate);
  private final GatewayConfigWriter writer;
  private final RefusedStatusWrites statusWrites;
  private final SettledGateways<Outcome> settled;
  private final Counter full;
  private final Counter statusOnly;

  IpsecGlobalReconciler(
      ControllerServices shared,
      GatewayPoller poller,
      AgentTlsSecrets agentTls,
      MeterRegistry metrics) {
    this.shared = shared;
    this.settled = new SettledGateways<>(shared.clock());
    this.full = reconciles(metrics, "full");
    this.statusOnly = reconciles(metrics, "status");
    this.statusWrites = new RefusedStatusWrites(shared.events(), shared.clock());
    this.poller = poller;
    this.writer = new GatewayConfigWriter(shared.defaults(), agentTls, shared.clock());
  }

  @Override
  public List<EventSource<?, IpsecGlobal>> prepareEventSources(
      EventSourceContext<IpsecGlobal> context) {
    return GatewayEventSources.all(
        context,
        shared.stores().states(),
        poller,
        shared.referencedObjects(),
        id -> {
          shared.stores().leftOut().forget(id);
          lastKnownGood.forget(id);
          shared.stores().generations().forget(id);
          writer.forget(id);
          renderer.forget(id.namespace(), id.name());
          settled.forget(id);
        });
  }

  /**
   * How many of the reconciles went the full way (render, plan, write) and how many built the
   * status alone ({@link SettledGateways}).
   */
  private static Counter reconciles(MeterRegistry metrics, String path) {
    return Counter.builder("ipsec.operator.gateway.reconciles")
        .description("IpsecGlobal reconciles, by path: full (render, plan, write) or status only")
        .tag("path", path)
        .register(metrics);
  }

  @Override
  public UpdateControl<IpsecGlobal> reconcile(IpsecGlobal gateway, Context<IpsecGlobal> context) {
    String ns = gateway.getMetadata().getNamespace();
    String name = gateway.getMetadata().getName();
    var gatewayId = new GatewayStateStore.GatewayId(ns, name);
    List<IpsecPeer> peers =
        PeerInformers.byKey(context, PeerReferences.gatewayKey(ns, name)).stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .toList();
    // the fingerprint is taken before anything else is read from the caches: what a reconcile
    // reads afterwards may be newer, never older, so a change that lands in between makes the next
    // reconcile's fingerprint differ (a pod read before it and absent from it would be a pod that
    // the remembered outcome never announced the revision to)
    GatewayFingerprint inputs =
        GatewayFingerprint.of(
            context,
            gateway,
            peers,
            shared.referencedObjects(),
            shared.defaults(),
            shared.policy());
    List<Pod> pods = GatewayPods.owned(gateway, context);
    // most reconciles of a running gateway come from its agents' reports: when nothing else
    // changed since a full reconcile that settled, only the status can differ
    Optional<Outcome> unchanged = settled.unchanged(gatewayId, inputs);
    if (unchanged.isPresent()) {
      statusOnly.increment();
      return writeStatus(gateway, context, gatewayId, pods, unchanged.get());
    }
    full.increment();
    Outcome outcome = full(gateway, context, gatewayId, peers, pods);
    if (outcome.settled()) {
      settled.settled(gatewayId, inputs, outcome);
    } else {
      settled.unsettled(gatewayId);
    }
    return writeStatus(gateway, context, gatewayId, pods, outcome);
  }

  /**
   * What a gateway's status is made of besides its pods and its agents' reports: the outcome of a
   * full reconcile, kept by {@link SettledGateways} when it settled.
   *
   * @param settled everything written, nothing refused or in someone else's way, no peer kept on
   *     its last valid files and no reference missing: the same inputs give the same outcome
   */
  private record Outcome(
      List<FieldError> gatewayErrors,
      int invalidPeers,
      int desiredReplicas,
      Set<String> configured,
      String revision,
      NameConflicts conflicts,
      List<FieldError> denied,
      WriteFailures refused,
      boolean settled) {}

  /** Renders the peers, writes what differs from the plan and tells the pods about it. */
  private Outcome full(
      IpsecGlobal gateway,
      Context<IpsecGlobal> context,
      GatewayStateStore.GatewayId gatewayId,
      List<IpsecPeer> peers,
      List<Pod> pods) {
    String ns = gateway.getMetadata().getNamespace();
    ReferenceLookup references =
        new ReferenceLookup(context.getClient(), shared.referencedObjects(), ns);
    GatewayInputAssembler.Assembled assembled =
        assembler(context, ns, references).assemble(gateway, peers);
    RenderedGateway rendered = renderer.render(assembled.input());

    // the agents to follow are the pods that exist, whatever the spec says and before anything is
    // written: an invalid spec or a failed write must not keep a gone pod's address polled
    poller.follow(
        gatewayId,
        gateway.getMetadata().getUid(),
        AgentTargets.of(pods, shared.defaults().agentPort()));
    // the platform's policy, not the spec's author, decides what the pods may be
    List<FieldError> denied = shared.policy().check(gateway, shared.defaults());
    Optional<ConfigVolumePlan> plan = Optional.empty();
    int desiredReplicas = 0;
    NameConflicts conflicts = null; // none checked while nothing is written
    WriteFailures refused = new WriteFailures();
    boolean kept = false;
    if (rendered.gatewayErrors().isEmpty()) {
      conflicts = new NameConflicts();
      Map<String, Long> peerGenerations = new TreeMap<>();
      peers.forEach(
          p -> peerGenerations.put(p.getMetadata().getName(), p.getMetadata().getGeneration()));
      // a peer that does not render or fit keeps what the written volume holds of it
      LastKnownGood.Previous previous =
          lastKnownGood.previous(
              gatewayId,
              () -> writer.written(gateway, context, peerGenerations.keySet()),
              rendered,
              references::secret);
      plan =
          Optional.of(
              writer.write(
                  gateway,
                  context,
                  rendered,
                  previous,
                  assembled.referenceVersions(),
                  conflicts,
                  refused,
                  denied.isEmpty()));
      lastKnownGood.planned(gatewayId, plan.get(), previous);
      kept = !plan.get().carriedConnections().isEmpty() || !previous.revoked().isEmpty();
      shared
          .stores()
          .generations()
          .put(
              gatewayId,
              plan.get().revision(),
              PeerGenerations.of(plan.get(), peerGenerations, rendered, previous),
              previous.revoked(),
              peerGenerations.keySet());
      desiredReplicas =
          Optional.ofNullable(GatewayDeployment.workload(gateway).getReplicas()).orElse(1);
      GatewayConfigWriter.announce(context.getClient(), pods, plan.get().revision());
      // only a written plan changes who has room: an invalid IpsecGlobal leaves the volume as it
      // was
      shared.stores().leftOut().put(gatewayId, plan.get().leftOut(PlacementErrors.GATEWAY_FULL));
    }

    // without a plan nothing was written; the peers that render still count as configured
    Set<String> configured =
        plan.map(ConfigVolumePlan::placedConnections)
            .orElse(new TreeSet<>(rendered.connections().keySet()));
    int invalid = rendered.peerErrors().size() + plan.map(p -> p.leftOut().size()).orElse(0);
    boolean settled =
        plan.isPresent()
            && invalid == 0
            && !kept
            && conflicts.isEmpty()
            && refused.isEmpty()
            && references.missing().isEmpty()
            && writer.foreignShardsSettled(gateway, plan.get().revision());
    return new Outcome(
        rendered.gatewayErrors(),
        invalid,
        desiredReplicas,
        Set.copyOf(configured),
        plan.map(ConfigVolumePlan::revision).orElse(null),
        conflicts,
        denied,
        refused,
        settled);
  }

  /**
   * Builds the status from {@code outcome}, the pods and the agents' reports, writes it when it
   * changed and tells its news; asks again when something nothing announces is due.
   */
  private UpdateControl<IpsecGlobal> writeStatus(
      IpsecGlobal gateway,
      Context<IpsecGlobal> context,
      GatewayStateStore.GatewayId gatewayId,
      List<Pod> pods,
      Outcome outcome) {
    String ns = gateway.getMetadata().getNamespace();
    String name = gateway.getMetadata().getName();
    int established = 0;
    for (String connection : outcome.configured()) {
      if (shared
          .stores()
          .states()
          .observe(gatewayId, connection)
          .map(o -> o.connection() != null && o.connection().established())
          .orElse(false)) {
        established++;
      }
    }
    IpsecGlobalStatus status =
        GatewayStatusBuilder.build(
            gateway.getStatus(),
            gateway.getMetadata().getGeneration(),
            outcome.gatewayErrors(),
            outcome.invalidPeers(),
            outcome.desiredReplicas(),
            pods,
            shared.stores().states().reports(gatewayId),
            outcome.configured().size(),
            established,
            outcome.revision(),
            outcome.conflicts(),
            new GatewayStatusBuilder.Rollout(
                GatewayObjects.workloadName(name),
                outcome.denied(),
                PodFailures.of(deployment(context, ns, name), pods),
                outcome.refused()),
            shared.clock());
    Duration unknownFor = shared.stores().states().untilFirstReport(gatewayId);
    if (!unknownFor.isZero()) {
      status = GatewayStatusBuilder.withPreviousAgentFacts(gateway.getStatus(), status);
    }
    List<GatewayEvents.GatewayEvent> news = GatewayEvents.between(gateway.getStatus(), status);
    UpdateControl<IpsecGlobal> control = UpdateControl.noUpdate();
    Optional<Duration> statusRefused = statusWrites.writeIfChanged(gateway, status, context);
    if (statusRefused.isPresent()) {
      // told as an Event; what the status would have told waits for the write that succeeds
      return control.rescheduleAfter(statusRefused.get());
    }
    // after the write, as for peers: a failed write must not tell its news twice
    for (GatewayEvents.GatewayEvent e : news) {
      shared.events().record(gateway, e.type(), e.reason(), e.message());
    }
    List<Duration> askAgain = new ArrayList<>();
    if (!unknownFor.isZero()) {
      // without a report by then, the agents are taken as silent
      askAgain.add(unknownFor);
    }
    if (outcome.conflicts() != null && !outcome.conflicts().isEmpty()) {
      // no informer watches the objects that are not the operator's: someone else's object under
      // one of the gateway's names is looked at again until it is gone
      askAgain.add(CONFLICT_RECHECK);
    }
    if (!outcome.refused().isEmpty()) {
      // no event tells that the server would now take the write: try again, less and less often
      askAgain.add(
          FalseConditionRecheck.after(
              Conditions.find(status.getConditions(), GatewayStatusBuilder.OBJECTS_WRITTEN),
              REFUSED_WRITE_FIRST,
              REFUSED_WRITE_LONGEST,
              shared.clock()));
    }
    return askAgain.stream()
        .min(Comparator.naturalOrder())
        .map(control::rescheduleAfter)
        .orElse(control);
  }

  /** The gateway's Deployment as the cache has it, with the status the controller-manager wrote. */
  private static Optional<Deployment> deployment(
      Context<IpsecGlobal> context, String ns, String name) {
    return GatewayEventSources.get(context, Deployment.class, null)
        .get(new ResourceID(GatewayObjects.workloadName(name), ns));
  }

  /**
   * Looks the peers' groups up in the informers' caches, their Secrets and ConfigMaps through
   * {@code references} (the shared cache; a GET only for one not labelled yet, which then is).
   */
  private static GatewayInputAssembler assembler(
      Context<IpsecGlobal> context, String ns, ReferenceLookup references) {
    var ikeCache = GatewayEventSources.get(context, IkeGroup.class, null);
    var espCache = GatewayEventSources.get(context, EspGroup.class, null);
    // as for the peer: a group its informer has not seen yet is asked of the API server
    var ike =
        CacheThenServer.of(
            n -> ikeCache.get(new ResourceID(n, ns)), context.getClient(), IkeGroup.class, ns);
    var esp =
        CacheThenServer.of(
            n -> espCache.get(new ResourceID(n, ns)), context.getClient(), EspGroup.class, ns);
    return new GatewayInputAssembler(
        ike::find,
        esp::find,
        n -> references.secret(n).filter(PeerReferencedInformers::notDeleting),
        n -> references.configMap(n).filter(PeerReferencedInformers::notDeleting));
  }
}
