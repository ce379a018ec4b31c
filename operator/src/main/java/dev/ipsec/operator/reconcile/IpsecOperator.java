package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.RenewingCertificate;
import dev.ipsec.operator.reconcile.agentstate.AgentClient;
import dev.ipsec.operator.reconcile.agentstate.GatewayPoller;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore;
import dev.ipsec.operator.reconcile.gateway.AgentTlsSecrets;
import dev.ipsec.operator.reconcile.gateway.LeftOutPeers;
import dev.ipsec.operator.reconcile.gateway.PeerGenerations;
import dev.ipsec.operator.reconcile.peer.ReferencedObjectCache;
import dev.ipsec.operator.reconcile.status.EventRecorder;
import dev.ipsec.operator.threads.LaneQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way to start the operator, shared by {@code ipsec-operator run} and the tests: takes a
 * client, registers every reconciler and starts JOSDK.
 *
 * <p>Patches are plain JSON patches, never server-side apply, in production as in tests: one mode
 * for the whole project (mixing modes on a live resource breaks field ownership).
 */
public final class IpsecOperator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IpsecOperator.class);

  /**
   * How often every resource is reconciled even without an event, so that drift the informers
   * cannot see (an agent's state, a lost event) is caught; the same for all four controllers.
   */
  static final Duration RESYNC = Duration.ofMinutes(10);

  /**
   * How long a starting operator (or a new leader) waits for a gateway's agents before it writes
   * that gateway's and its peers' status from what it has: a first poll takes a second or two.
   */
  static final Duration STARTUP_BOUND = Duration.ofSeconds(30);

  private final Operator operator;
  private final GatewayPoller poller;
  private final ControllerServices shared;
  private final LaneQueue reconcileLanes;

  private IpsecOperator(
      Operator operator,
      GatewayPoller poller,
      ControllerServices shared,
      LaneQueue reconcileLanes) {
    this.operator = operator;
    this.poller = poller;
    this.shared = shared;
    this.reconcileLanes = reconcileLanes;
  }

  /**
   * Builds, registers and starts the operator on {@code client}; the client stays open on stop.
   * First reads (or creates) the operator's CA, which every gateway's agent certificate and the
   * operator's own client certificate come from.
   */
  public static IpsecOperator start(KubernetesClient client, OperatorSettings settings) {
    return start(client, settings, Clock.systemUTC());
  }

  public static IpsecOperator start(
      KubernetesClient client, OperatorSettings settings, Clock clock) {
    CertificateAuthority ca = settings.caSecret().loadOrCreate(client, clock);
    LaneQueue reconcileLanes = new LaneQueue(ControllerLanes::of);
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(settings.metrics()))
                  .withReconciliationTerminationTimeout(Duration.ofSeconds(10))
                  // not JOSDK's 50: see OperatorSettings.defaultReconcileThreads
                  .withConcurrentReconciliationThreads(settings.reconcileThreads())
                  // a lane per controller: see ControllerLanes
                  .withExecutorService(
                      ControllerLanes.pool(settings.reconcileThreads(), reconcileLanes));
              settings
                  .leaderElection()
                  .ifPresent(
                      le ->
                          o.withLeaderElectionConfiguration(
                              LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                                      le.leaseName())
                                  .withLeaseNamespace(le.leaseNamespace())
                                  .withIdentity(le.identity())
                                  .withExitOnStopLeading(le.exitOnStopLeading())
                                  .withLeaseDuration(le.timings().leaseDuration())
                                  .withRenewDeadline(le.timings().renewDeadline())
                                  .withRetryPeriod(le.timings().retryPeriod())
                                  .build()));
            });
    GatewayStateStore states = new GatewayStateStore(clock, STARTUP_BOUND);
    EventRecorder events = new EventRecorder(client, clock);
    GatewayPoller poller =
        new GatewayPoller(
            states,
            settings.agentPolling(),
            clock,
            new AgentClient(RenewingCertificate.operatorClient(ca, clock), ca, clock));
    poller.rehearseFirstHandshake();
    // one cache of referenced Secrets and ConfigMaps for both controllers, synced before either
    // starts: only objects labelled ipsec.dev/referenced=true
    ReferencedObjectCache referencedObjects =
        ReferencedObjectCache.start(client, settings.namespaces());
    register(operator, settings, new IkeGroupReconciler(clock, events));
    register(operator, settings, new EspGroupReconciler(clock, events));
    ControllerServices shared =
        new ControllerServices(
            referencedObjects,
            new GatewayStores(states, new LeftOutPeers(), new PeerGenerations()),
            settings.gateway(),
            settings.gatewayPolicy(),
            events,
            clock);
    IpsecPeerReconciler peers = new IpsecPeerReconciler(shared);
    register(operator, settings, peers, c -> c.withItemStore(peers.store()));
    register(
        operator,
        settings,
        new IpsecGlobalReconciler(
            shared, poller, new AgentTlsSecrets(ca, clock), settings.metrics()));
    operator.start();
    LOG.info(
        "ipsec-operator started, watching {}",
        settings.namespaces().isEmpty() ? "all namespaces" : settings.namespaces());
    return new IpsecOperator(operator, poller, shared, reconcileLanes);
  }

  private static <R extends HasMetadata> void register(
      Operator operator, OperatorSettings settings, Reconciler<R> reconciler) {
    register(operator, settings, reconciler, c -> {});
  }

  private static <R extends HasMetadata> void register(
      Operator operator,
      OperatorSettings settings,
      Reconciler<R> reconciler,
      Consumer<ControllerConfigurationOverrider<R>> own) {
    Consumer<ControllerConfigurationOverrider<R>> configuration =
        c -> {
          own.accept(c);
          c.withReconciliationMaxInterval(RESYNC);
          if (settings.namespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(settings.namespaces());
          }
        };
    operator.register(reconciler, configuration);
  }

  public RuntimeInfo runtimeInfo() {
    return operator.getRuntimeInfo();
  }

  public GatewayStateStore gatewayStates() {
    return shared.stores().states();
  }

  /** The controllers whose reconciles went through the pool's lanes: for tests. */
  public Set<String> reconcileLanesSeen() {
    return reconcileLanes.lanesSeen();
  }

  /** The cache of referenced Secrets and ConfigMaps: for tests and the benchmark. */
  public ReferencedObjectCache referencedObjects() {
    return shared.referencedObjects();
  }

  @Override
  public void close() {
    poller.close();
    operator.stop();
    shared.referencedObjects().close();
  }
}
