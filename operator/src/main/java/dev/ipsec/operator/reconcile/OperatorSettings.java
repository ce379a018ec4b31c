package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.reconcile.agentstate.AgentPolling;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.gateway.GatewayPolicy;
import dev.ipsec.operator.reconcile.tls.CaSecret;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How one operator process runs: which namespaces it watches, the gateway defaults it fills in,
 * leader election, the registry its metrics go to, how it follows the agents and where its CA is
 * kept.
 *
 * @param namespaces namespaces to watch; empty watches all
 * @param gateway images, ports and shard limits of the gateway pods
 * @param leaderElection lease to hold before reconciling, when more than one replica runs
 * @param metrics where JOSDK and operator metrics go
 * @param agentPolling whether to follow the gateway agents' state (off in tests that have none)
 * @param caSecret the Secret in the operator's own namespace that holds its CA
 * @param gatewayPolicy what an IpsecGlobal may ask of its pods (images, host network, TUN,
 *     tolerations)
 * @param reconcileThreads how many reconciles run at once, shared by the four controllers (JOSDK's
 *     reconciliation pool); {@link #defaultReconcileThreads()} unless set
 */
public record OperatorSettings(
    Set<String> namespaces,
    GatewayDefaults gateway,
    Optional<LeaderElection> leaderElection,
    MeterRegistry metrics,
    AgentPolling agentPolling,
    CaSecret caSecret,
    GatewayPolicy gatewayPolicy,
    int reconcileThreads) {

  /** The most reconciler threads the default gives, JOSDK's own default. */
  public static final int MAX_DEFAULT_RECONCILE_THREADS = 50;

  public OperatorSettings {
    namespaces = Set.copyOf(namespaces);
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(leaderElection, "leaderElection");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(agentPolling, "agentPolling");
    Objects.requireNonNull(caSecret, "caSecret");
    Objects.requireNonNull(gatewayPolicy, "gatewayPolicy");
    if (reconcileThreads < 1) {
      throw new IllegalArgumentException(
          "reconcile threads must be at least 1, not " + reconcileThreads);
    }
  }

  /**
   * Four reconciler threads per core, at least 4 and at most JOSDK's default of 50. A reconcile is
   * mostly CPU (validating or rendering) and one or two requests to the API server: a few threads
   * per core keep the cores busy while some wait for an answer. JOSDK's 50 on a 2-core machine had
   * 50 reconciles in flight at once, each holding its objects, all competing for the cores and the
   * API server during a burst of 10,000 peers ({@code ScaleBenchmark}).
   */
  public static int defaultReconcileThreads() {
    return Math.max(
        4, Math.min(MAX_DEFAULT_RECONCILE_THREADS, 4 * Runtime.getRuntime().availableProcessors()));
  }

  public static OperatorSettings defaults() {
    return new OperatorSettings(
        Set.of(),
        GatewayDefaults.defaults(),
        Optional.empty(),
        new SimpleMeterRegistry(),
        AgentPolling.defaults(),
        new CaSecret("default", CaSecret.DEFAULT_NAME),
        GatewayPolicy.defaults(),
        defaultReconcileThreads());
  }

  public OperatorSettings withNamespaces(Set<String> ns) {
    return changed(d -> d.namespaces = ns);
  }

  public OperatorSettings withGateway(GatewayDefaults g) {
    return changed(d -> d.gateway = g);
  }

  public OperatorSettings withLeaderElection(LeaderElection le) {
    return changed(d -> d.leaderElection = Optional.of(le));
  }

  public OperatorSettings withMetrics(MeterRegistry registry) {
    return changed(d -> d.metrics = registry);
  }

  public OperatorSettings withAgentPolling(AgentPolling polling) {
    return changed(d -> d.agentPolling = polling);
  }

  public OperatorSettings withCaSecret(CaSecret secret) {
    return changed(d -> d.caSecret = secret);
  }

  public OperatorSettings withGatewayPolicy(GatewayPolicy policy) {
    return changed(d -> d.gatewayPolicy = policy);
  }

  public OperatorSettings withReconcileThreads(int threads) {
    return changed(d -> d.reconcileThreads = threads);
  }

  /** These settings with one component changed; the canonical constructor checks the result. */
  private OperatorSettings changed(Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return new OperatorSettings(
        d.namespaces,
        d.gateway,
        d.leaderElection,
        d.metrics,
        d.agentPolling,
        d.caSecret,
        d.gatewayPolicy,
        d.reconcileThreads);
  }

  /** The components of settings being changed, so that each with-er names only its own. */
  private static final class Draft {
    Set<String> namespaces;
    GatewayDefaults gateway;
    Optional<LeaderElection> leaderElection;
    MeterRegistry metrics;
    AgentPolling agentPolling;
    CaSecret caSecret;
    GatewayPolicy gatewayPolicy;
    int reconcileThreads;

    Draft(OperatorSettings s) {
      namespaces = s.namespaces;
      gateway = s.gateway;
      leaderElection = s.leaderElection;
      metrics = s.metrics;
      agentPolling = s.agentPolling;
      caSecret = s.caSecret;
      gatewayPolicy = s.gatewayPolicy;
      reconcileThreads = s.reconcileThreads;
    }
  }

  /**
   * The Lease the replicas compete for.
   *
   * @param exitOnStopLeading whether the process exits when it stops leading (JOSDK's default and
   *     the right thing in a pod: a replica that lost its Lease restarts rather than reconcile on);
   *     false only where the operator shares its JVM with others (the local cluster, tests), which
   *     an exit on {@code close()} would end
   * @param timings how long a Lease lasts and how often it is renewed and tried
   */
  public record LeaderElection(
      String leaseName,
      String leaseNamespace,
      String identity,
      boolean exitOnStopLeading,
      LeaseTimings timings) {

    public LeaderElection {
      Objects.requireNonNull(timings, "timings");
    }

    public LeaderElection(String leaseName, String leaseNamespace, String identity) {
      this(leaseName, leaseNamespace, identity, true, LeaseTimings.defaults());
    }

    public LeaderElection withTimings(LeaseTimings t) {
      return new LeaderElection(leaseName, leaseNamespace, identity, exitOnStopLeading, t);
    }
  }

  /**
   * The timings of leader election, with the meaning kube-controller-manager's {@code
   * --leader-elect-*} flags give them. A crashed leader is replaced after at most {@code
   * leaseDuration} plus one {@code retryPeriod} (with its jitter): shorter leases fail over faster
   * and cost a Lease write every {@code retryPeriod}.
   *
   * @param leaseDuration how long a Lease not renewed keeps the standbys waiting
   * @param renewDeadline how long the leader keeps trying to renew before it stops leading; less
   *     than {@code leaseDuration}, so that it stops before a standby may take over
   * @param retryPeriod how often the leader renews and a standby tries to acquire
   */
  public record LeaseTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    public static final int DEFAULT_LEASE_DURATION_SECONDS = 15;
    public static final int DEFAULT_RENEW_DEADLINE_SECONDS = 10;
    public static final int DEFAULT_RETRY_PERIOD_SECONDS = 2;

    /** JOSDK's and kube-controller-manager's defaults: 15 s, 10 s, 2 s. */
    public static LeaseTimings defaults() {
      return ofSeconds(
          DEFAULT_LEASE_DURATION_SECONDS,
          DEFAULT_RENEW_DEADLINE_SECONDS,
          DEFAULT_RETRY_PERIOD_SECONDS);
    }

    public static LeaseTimings ofSeconds(int leaseDuration, int renewDeadline, int retryPeriod) {
      return new LeaseTimings(
          Duration.ofSeconds(leaseDuration),
          Duration.ofSeconds(renewDeadline),
          Duration.ofSeconds(retryPeriod));
    }

    /**
     * Refuses timings with which two replicas could lead at once, as client-go does: the renew
     * deadline must end before the Lease does, and leave room for more than one jittered retry
     * (fabric8 waits up to 2.2 retry periods between attempts).
     */
    public LeaseTimings {
      Objects.requireNonNull(leaseDuration, "leaseDuration");
      Objects.requireNonNull(renewDeadline, "renewDeadline");
      Objects.requireNonNull(retryPeriod, "retryPeriod");
      if (retryPeriod.isNegative() || retryPeriod.isZero()) {
        throw new IllegalArgumentException("retry period must be positive, not " + retryPeriod);
      }
      if (renewDeadline.compareTo(leaseDuration) >= 0) {
        throw new IllegalArgumentException(
            "renew deadline ("
                + renewDeadline
                + ") must be shorter than the lease duration ("
                + leaseDuration
                + ")");
      }
      if (renewDeadline.toMillis() <= retryPeriod.toMillis() * 12 / 10) {
        throw new IllegalArgumentException(
            "renew deadline ("
                + renewDeadline
                + ") must be longer than 1.2 retry periods ("
                + retryPeriod
                + ")");
      }
    }
  }
}
