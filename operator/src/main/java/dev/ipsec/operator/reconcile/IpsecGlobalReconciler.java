package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.agentstate.GatewayPoller;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore;
import dev.ipsec.operator.reconcile.gateway.AgentTlsSecrets;
import dev.ipsec.operator.reconcile.gateway.ConfigShards;
import dev.ipsec.operator.reconcile.gateway.GatewayConfigWriter;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.gateway.GatewayDeployment;
import dev.ipsec.operator.reconcile.gateway.GatewayEventSources;
import dev.ipsec.operator.reconcile.gateway.GatewayInputAssembler;
import dev.ipsec.operator.reconcile.gateway.GatewayPods;
import dev.ipsec.operator.reconcile.peer.PeerInformers;
import dev.ipsec.operator.reconcile.peer.PeerReferences;
import dev.ipsec.operator.reconcile.status.GatewayStatusBuilder;
import dev.ipsec.operator.reconcile.status.Statuses;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.GatewayRenderer;
import dev.ipsec.operator.render.RenderedGateway;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An IpsecGlobal: renders its peers into sharded ConfigMaps and Secrets, runs the gateway
 * Deployment with its ServiceAccount, optional Service and its agents' TLS Secret, tells the pods
 * about new configuration, follows their agents and reports pods and peer totals. Only the pods it
 * owns count ({@link GatewayPods}).
 */
@ControllerConfiguration(name = "ipsecglobal")
public final class IpsecGlobalReconciler implements Reconciler<IpsecGlobal> {

  private final GatewayDefaults defaults;
  private final GatewayStateStore states;
  private final GatewayPoller poller;
  private final Clock clock;
  private final GatewayRenderer renderer = new GatewayRenderer();
  private final GatewayConfigWriter writer;
  private final AgentTlsSecrets agentTls;

  public IpsecGlobalReconciler(
      GatewayDefaults defaults,
      GatewayStateStore states,
      GatewayPoller poller,
      AgentTlsSecrets agentTls,
      Clock clock) {
    this.defaults = defaults;
    this.states = states;
    this.poller = poller;
    this.agentTls = agentTls;
    this.clock = clock;
    this.writer = new GatewayConfigWriter(defaults);
  }

  @Override
  public List<EventSource<?, IpsecGlobal>> prepareEventSources(
      EventSourceContext<IpsecGlobal> context) {
    return GatewayEventSources.all(context, states, poller);
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
    GatewayInputAssembler.Assembled assembled = assembler(context, ns).assemble(gateway, peers);
    RenderedGateway rendered = renderer.render(assembled.input());

    List<Pod> pods = GatewayPods.owned(gateway, context);
    String revision = null;
    int desiredReplicas = 0;
    List<FieldError> gatewayErrors = new ArrayList<>(rendered.gatewayErrors());
    if (gatewayErrors.isEmpty()) {
      revision = GatewayConfigWriter.revision(rendered, assembled.referenceVersions());
      desiredReplicas =
          Optional.ofNullable(GatewayDeployment.workload(gateway).getReplicas()).orElse(1);
      try {
        agentTls.ensure(gateway, context); // before the Deployment whose pods mount it
        writer.write(gateway, context, rendered, revision);
      } catch (ConfigShards.TooLargeException e) {
        gatewayErrors.add(new FieldError("spec", e.getMessage()));
      }
      GatewayConfigWriter.announce(context.getClient(), pods, revision);
      poller.follow(gatewayId, gateway.getMetadata().getUid(), pollTargets(pods));
    }

    int established = 0;
    for (String connection : rendered.connections().keySet()) {
      if (states
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
            gatewayErrors,
            rendered.peerErrors().size(),
            desiredReplicas,
            pods,
            states.reports(gatewayId),
            rendered.connections().size(),
            established,
            revision,
            clock);
    return Statuses.writeIfChanged(gateway, status, context);
  }

  /** The owned pods that run and have an IP: where the agents are. */
  private Set<GatewayPoller.Target> pollTargets(List<Pod> pods) {
    return pods.stream()
        .filter(
            p ->
                p.getStatus() != null
                    && p.getStatus().getPodIP() != null
                    && p.getMetadata().getDeletionTimestamp() == null)
        .map(
            p ->
                new GatewayPoller.Target(
                    p.getMetadata().getName(), p.getStatus().getPodIP(), defaults.agentPort()))
        .collect(Collectors.toSet());
  }

  /** Looks the peers' references up in the informers' caches, never through the API server. */
  private static GatewayInputAssembler assembler(Context<IpsecGlobal> context, String ns) {
    var ike = GatewayEventSources.get(context, IkeGroup.class, null);
    var esp = GatewayEventSources.get(context, EspGroup.class, null);
    var secrets =
        GatewayEventSources.get(context, Secret.class, GatewayEventSources.REFERENCED_SECRETS);
    var configMaps =
        GatewayEventSources.get(
            context, ConfigMap.class, GatewayEventSources.REFERENCED_CONFIGMAPS);
    return new GatewayInputAssembler(
        n -> ike.get(new ResourceID(n, ns)),
        n -> esp.get(new ResourceID(n, ns)),
        n -> secrets.get(new ResourceID(n, ns)),
        n -> configMaps.get(new ResourceID(n, ns)));
  }
}
