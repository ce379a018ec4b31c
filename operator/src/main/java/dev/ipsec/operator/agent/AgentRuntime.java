package dev.ipsec.operator.agent;

import dev.ipsec.operator.agent.http.AgentStateView;
import dev.ipsec.operator.agent.http.ProbeServer;
import dev.ipsec.operator.agent.http.StateApiServer;
import dev.ipsec.operator.agent.metrics.LoaderMetrics;
import dev.ipsec.operator.agent.metrics.SaMetrics;
import dev.ipsec.operator.agent.metrics.StateApiMetrics;
import dev.ipsec.operator.agent.state.SaStateMonitor;
import dev.ipsec.operator.agent.state.SaStateTracker;
import dev.ipsec.operator.agent.tls.ReloadingServerTls;
import dev.ipsec.operator.agent.wire.AgentState;
import dev.ipsec.operator.agent.wire.CharonStatus;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.agent.wire.StateSnapshot;
import dev.ipsec.operator.metrics.ProcessMeters;
import dev.ipsec.operator.vici.ViciClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole gateway agent, wired: the loader ({@link GatewayAgent}), SA state tracking ({@link
 * SaStateMonitor} feeding a {@link SaStateTracker}), metrics, the state API (over TLS with its
 * certificate reloaded on change, {@link ReloadingServerTls}) and the plain port of probes and
 * metrics. What {@code ipsec-operator agent} runs, and what tests start in-process next to a
 * charon.
 *
 * <p>The loader and the state monitor use separate VICI clients, so a long {@code list-sas} never
 * delays a configuration change and vice versa.
 */
public final class AgentRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AgentRuntime.class);

  private final ViciClient loaderClient;
  private final ViciClient stateClient;
  private final StateRevision revision = new StateRevision();
  private final SaStateTracker tracker;
  private final GatewayAgent agent;
  private final SaStateMonitor monitor;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SaMetrics saMetrics;
  private final Thread revisionBridge;
  private final Clock clock;
  // set by serve(), once the loader runs; read by close() and the address accessors
  private volatile Optional<ReloadingServerTls> tls = Optional.empty();
  private volatile StateApiServer stateApi;
  private volatile ProbeServer probes;
  private volatile boolean closed;

  private AgentRuntime(
      AgentSettings settings, Path viciSocket, Duration statePollInterval, Clock clock)
      throws IOException {
    this.clock = clock;
    this.loaderClient = new ViciClient(viciSocket);
    this.stateClient = new ViciClient(viciSocket);
    this.tracker = new SaStateTracker(clock);
    this.agent =
        new GatewayAgent(settings, loaderClient, revision, clock)
            .keepInitiatorsTrying(tracker::snapshot);
    agent.onApply(
        result ->
            tracker.setConfiguredConnections(
                agent.loaderStatus().connections().stream()
                    .filter(LoaderStatus.Connection::loaded)
                    .map(LoaderStatus.Connection::name)
                    .toList()));
    new LoaderMetrics(agent, registry);
    this.saMetrics = new SaMetrics(registry, tracker);
    this.monitor =
        new SaStateMonitor(stateClient, tracker, statePollInterval, agent::requestFullLoad);
    this.revisionBridge = new Thread(this::bridgeTrackerRevisions, "state-revision-bridge");
    this.revisionBridge.setDaemon(true);
  }

  /**
   * Starts everything; charon need not be up yet (the loader waits for it). Fails when the TLS
   * files do not read, or when the state API would be plain HTTP on a non-loopback address.
   */
  public static AgentRuntime start(
      AgentSettings settings, Path viciSocket, AgentEndpoints endpoints, Duration statePollInterval)
      throws IOException {
    return start(settings, viciSocket, endpoints, statePollInterval, Clock.systemUTC());
  }

  /**
   * The same on {@code clock}: for tests that act on the agent through time.
   *
   * <p>The loader starts first: reaching charon and the first load, which a new gateway's tunnels
   * wait for, run on the agent's loop while this thread reads the TLS files and opens the ports
   * (issue 17: they took a third of a second and more before the loader began). What the state API
   * serves is only the state, so it may come up a little after the first load; a start that fails
   * stops the loader again.
   */
  static AgentRuntime start(
      AgentSettings settings,
      Path viciSocket,
      AgentEndpoints endpoints,
      Duration statePollInterval,
      Clock clock)
      throws IOException {
    AgentRuntime runtime = new AgentRuntime(settings, viciSocket, statePollInterval, clock);
    try {
      runtime.agent.start();
      runtime.monitor.start();
      runtime.revisionBridge.start();
      runtime.serve(endpoints);
      return runtime;
    } catch (IOException | RuntimeException e) {
      runtime.close();
      throw e;
    }
  }

  /**
   * The process metrics, the TLS files, the state API and the probe port, in that order. The
   * operator's first request is the JVM's first handshake here: a rehearsal of it in memory beside
   * the ports (issue 17, start4) cost about 0.1 s of CPU per start and shortened no first exchange
   * measured (start5), as the class-data archive already holds the handshake's classes.
   */
  private void serve(AgentEndpoints endpoints) throws IOException {
    ProcessMeters.bindTo(registry, AgentMetric.BUILD_INFO.prometheusName());
    if (endpoints.tls().isPresent()) {
      tls = Optional.of(ReloadingServerTls.start(endpoints.tls().get(), clock));
    }
    View view = new View();
    stateApi =
        tls.isPresent()
            ? StateApiServer.tls(endpoints.state(), view, tls.get(), endpoints.maxLongPolls())
            : StateApiServer.plainOnLoopback(endpoints.state(), view, endpoints.maxLongPolls());
    StateApiMetrics.register(stateApi, registry);
    probes = new ProbeServer(endpoints.probes(), view, this::scrape);
    stateApi.start();
    probes.start();
  }

  /** Where the state API listens. */
  public InetSocketAddress stateAddress() {
    return stateApi.address();
  }

  /** Where probes and metrics are served (plain HTTP). */
  public InetSocketAddress probeAddress() {
    return probes.address();
  }

  /** The SA metrics are read from the tracker's state: brought up to date before each scrape. */
  private String scrape() {
    saMetrics.refresh();
    return registry.scrape();
  }

  /** Every change of the tracker's snapshot is a change of the agent's state revision. */
  private void bridgeTrackerRevisions() {
    long seen = tracker.snapshot().revision();
    while (!closed) {
      try {
        StateSnapshot snapshot = tracker.awaitNewerThan(seen, Duration.ofSeconds(30));
        if (snapshot.revision() > seen) {
          seen = snapshot.revision();
          revision.bump();
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The state document, probes and metrics served over HTTP. */
  private final class View implements AgentStateView {
    @Override
    public long revision() {
      return revision.current();
    }

    @Override
    public void onNewRevision(LongConsumer listener) {
      revision.onBump(listener);
    }

    @Override
    public AgentState state() {
      return new AgentState(
          agent.loaderStatus(), agent.lastReadError(), agent.charonStatus(), tracker.snapshot());
    }

    @Override
    public String unhealthyReason() {
      // the agent's own liveness only: restarting the agent never revives a hung charon, which
      // has a liveness probe of its own (GatewayDeployment); an unreachable charon makes the pod
      // not ready instead
      return agent.isRunning() ? null : "agent loop stopped";
    }

    @Override
    public String notReadyReason() {
      if (!agent.isRunning()) {
        // what it reports is no longer kept up to date: out of the Service until restarted
        return "agent loop stopped";
      }
      CharonStatus charon = agent.charonStatus();
      if (!charon.reachable()) {
        return "charon not reachable over VICI";
      }
      if (!charon.configApplied() || agent.loaderStatus().configRevision() == null) {
        return "configuration not applied yet";
      }
      return null;
    }
  }

  @Override
  public void close() {
    closed = true;
    revisionBridge.interrupt();
    if (probes != null) {
      probes.close();
    }
    if (stateApi != null) {
      stateApi.close();
    }
    tls.ifPresent(ReloadingServerTls::close);
    monitor.close();
    agent.close();
    stateClient.close();
    loaderClient.close();
    LOG.info("agent stopped");
  }
}
