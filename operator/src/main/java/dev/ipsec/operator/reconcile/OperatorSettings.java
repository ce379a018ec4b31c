package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.reconcile.agentstate.AgentPolling;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.gateway.GatewayPolicy;
import dev.ipsec.operator.reconcile.tls.CaSecret;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 */
public record OperatorSettings(
    Set<String> namespaces,
    GatewayDefaults gateway,
    Optional<LeaderElection> leaderElection,
    MeterRegistry metrics,
    AgentPolling agentPolling,
    CaSecret caSecret,
    GatewayPolicy gatewayPolicy) {

  public OperatorSettings {
    namespaces = Set.copyOf(namespaces);
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(leaderElection, "leaderElection");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(agentPolling, "agentPolling");
    Objects.requireNonNull(caSecret, "caSecret");
    Objects.requireNonNull(gatewayPolicy, "gatewayPolicy");
  }

  public static OperatorSettings defaults() {
    return new OperatorSettings(
        Set.of(),
        GatewayDefaults.defaults(),
        Optional.empty(),
        new SimpleMeterRegistry(),
        AgentPolling.defaults(),
        new CaSecret("default", CaSecret.DEFAULT_NAME),
        GatewayPolicy.defaults());
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
        d.gatewayPolicy);
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

    Draft(OperatorSettings s) {
      namespaces = s.namespaces;
      gateway = s.gateway;
      leaderElection = s.leaderElection;
      metrics = s.metrics;
      agentPolling = s.agentPolling;
      caSecret = s.caSecret;
      gatewayPolicy = s.gatewayPolicy;
    }
  }

  /**
   * The Lease the replicas compete for.
   *
   * @param exitOnStopLeading whether the process exits when it stops leading (JOSDK's default and
   *     the right thing in a pod: a replica that lost its Lease restarts rather than reconcile on);
   *     false only where the operator shares its JVM with others (the local cluster, tests), which
   *     an exit on {@code close()} would end
   */
  public record LeaderElection(
      String leaseName, String leaseNamespace, String identity, boolean exitOnStopLeading) {

    public LeaderElection(String leaseName, String leaseNamespace, String identity) {
      this(leaseName, leaseNamespace, identity, true);
    }
  }
}
