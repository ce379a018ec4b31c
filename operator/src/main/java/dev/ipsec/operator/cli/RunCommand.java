package dev.ipsec.operator.cli;

import dev.ipsec.operator.metrics.ProcessMeters;
import dev.ipsec.operator.reconcile.IpsecOperator;
import dev.ipsec.operator.reconcile.OperatorClient;
import dev.ipsec.operator.reconcile.OperatorHttpServer;
import dev.ipsec.operator.reconcile.OperatorSettings;
import dev.ipsec.operator.reconcile.OperatorSettings.LeaseTimings;
import dev.ipsec.operator.reconcile.agentstate.AgentPolling;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.gateway.GatewayPodDefaults;
import dev.ipsec.operator.reconcile.gateway.GatewayPolicy;
import dev.ipsec.operator.reconcile.tls.CaSecret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runs the operator against a Kubernetes API server (kubeconfig or in-cluster).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped by a signal",
      "1:failed after it started",
      "2:invalid flags",
      "3:the kubeconfig cannot be read or used",
      "4:the API server cannot be reached or refuses the credentials",
      "5:the operator cannot start (CRDs, permissions, --http-listen)"
    })
final class RunCommand implements Callable<Integer> {
  /** The operator's build-info metric, next to the agents' {@code ipsec_agent_build_info}. */
  static final String OPERATOR_BUILD_INFO = "ipsec_operator_build_info";

  @Spec CommandSpec spec;

  @Option(
      names = "--debug",
      description = "on a failure to start, print the stack trace after the one-line reason")
  boolean debug;

  @Option(
      names = "--kubeconfig",
      description =
          "kubeconfig file; default: $KUBECONFIG, ~/.kube/config, then the in-cluster service"
              + " account")
  Path kubeconfig;

  @Option(names = "--context", description = "kubeconfig context to use")
  String kubeContext;

  @Option(
      names = {"-n", "--namespace"},
      description = "namespace to watch (repeatable); default: all namespaces")
  List<String> namespaces = new ArrayList<>();

  @Option(
      names = "--leader-election",
      description = "hold a Lease before reconciling (implied by --replicas > 1)")
  boolean leaderElection;

  @Option(
      names = "--replicas",
      defaultValue = "${env:IPSEC_OPERATOR_REPLICAS:-1}",
      description =
          "replicas of the operator Deployment; above 1 turns leader election on (default"
              + " ${DEFAULT-VALUE})")
  int replicas;

  @Option(
      names = "--lease-name",
      defaultValue = "ipsec-operator",
      description = "Lease name (default ${DEFAULT-VALUE})")
  String leaseName;

  @Option(
      names = "--lease-namespace",
      defaultValue = "${env:POD_NAMESPACE:-default}",
      description = "namespace of the Lease (default: $POD_NAMESPACE, else ${DEFAULT-VALUE})")
  String leaseNamespace;

  @Option(
      names = "--identity",
      defaultValue = "${env:POD_NAME:-${env:HOSTNAME:-ipsec-operator}}",
      description = "this replica's identity in the Lease (default: $POD_NAME, else $HOSTNAME)")
  String identity;

  @Option(
      names = "--lease-duration-seconds",
      defaultValue = "" + LeaseTimings.DEFAULT_LEASE_DURATION_SECONDS,
      description =
          "how long a Lease not renewed keeps the other replicas waiting: the longest a crashed"
              + " leader goes unreplaced (default ${DEFAULT-VALUE})")
  int leaseDurationSeconds;

  @Option(
      names = "--renew-deadline-seconds",
      defaultValue = "" + LeaseTimings.DEFAULT_RENEW_DEADLINE_SECONDS,
      description =
          "how long the leader tries to renew before it stops leading; less than the lease"
              + " duration (default ${DEFAULT-VALUE})")
  int renewDeadlineSeconds;

  @Option(
      names = "--retry-period-seconds",
      defaultValue = "" + LeaseTimings.DEFAULT_RETRY_PERIOD_SECONDS,
      description =
          "how often the leader renews and the others try to acquire the Lease (default"
              + " ${DEFAULT-VALUE})")
  int retryPeriodSeconds;

  @Option(
      names = "--http-listen",
      defaultValue = "0.0.0.0:8080",
      description = "address of /metrics, /healthz and /readyz (default ${DEFAULT-VALUE})")
  String httpListen;

  @Option(
      names = "--reconcile-threads",
      description =
          "how many reconciles run at once, for all four kinds together (default: 4 per core, at"
              + " least 4, at most 50)")
  Integer reconcileThreads;

  @Option(
      names = "--gateway-image",
      description = "default strongSwan image of the charon container")
  String gatewayImage;

  @Option(
      names = "--agent-image",
      description = "default image of the agent container (this project's image)")
  String agentImage;

  @Option(
      names = "--agent-port",
      defaultValue = "9460",
      description = "port of the agent's state API, HTTPS (default ${DEFAULT-VALUE})")
  int agentPort;

  @Option(
      names = "--agent-metrics-port",
      defaultValue = "9461",
      description =
          "port of the agent's /metrics, /healthz and /readyz, plain HTTP (default"
              + " ${DEFAULT-VALUE})")
  int agentMetricsPort;

  @Option(
      names = "--max-agent-state-bytes",
      defaultValue = "" + AgentPolling.DEFAULT_MAX_STATE_BYTES,
      description =
          "largest state document read from one agent; a longer answer is an error of that pod"
              + " (default ${DEFAULT-VALUE})")
  long maxAgentStateBytes;

  @Option(
      names = "--ca-secret",
      defaultValue = CaSecret.DEFAULT_NAME,
      description =
          "Secret (type kubernetes.io/tls) holding the operator's CA for the agents' TLS, created"
              + " on first start (default ${DEFAULT-VALUE})")
  String caSecret;

  @Option(
      names = "--ca-namespace",
      defaultValue = "${env:POD_NAMESPACE:-default}",
      description =
          "namespace of that Secret, the operator's own (default: $POD_NAMESPACE, else"
              + " ${DEFAULT-VALUE})")
  String caNamespace;

  @Option(
      names = "--allowed-gateway-image",
      description =
          "a charon image an IpsecGlobal may name besides the default (repeatable, exact"
              + " reference)")
  List<String> allowedGatewayImages = new ArrayList<>();

  @Option(
      names = "--allowed-agent-image",
      description =
          "an agent image an IpsecGlobal may name besides the default (repeatable, exact"
              + " reference)")
  List<String> allowedAgentImages = new ArrayList<>();

  @Option(
      names = "--allowed-image-prefix",
      description =
          "a registry or repository path ending in '/' under which an IpsecGlobal may name any"
              + " image for either container (repeatable)")
  List<String> allowedImagePrefixes = new ArrayList<>();

  @Option(
      names = "--allow-host-network",
      arity = "1",
      defaultValue = "false",
      description = "whether gateway pods may use the node's network (default ${DEFAULT-VALUE})")
  boolean allowHostNetwork;

  @Option(
      names = "--host-network-namespace",
      description = "where --allow-host-network applies (repeatable); default: every namespace")
  List<String> hostNetworkNamespaces = new ArrayList<>();

  @Option(
      names = "--allow-user-space-esp",
      arity = "1",
      defaultValue = "true",
      description =
          "whether gateway pods may use user-space ESP with the node's /dev/net/tun (default"
              + " ${DEFAULT-VALUE})")
  boolean allowUserSpaceEsp;

  @Option(
      names = "--user-space-esp-namespace",
      description = "where --allow-user-space-esp applies (repeatable); default: every namespace")
  List<String> userSpaceEspNamespaces = new ArrayList<>();

  @Option(
      names = "--allow-tolerations",
      arity = "1",
      defaultValue = "false",
      description = "whether gateway pods may carry tolerations (default ${DEFAULT-VALUE})")
  boolean allowTolerations;

  @Option(
      names = "--tolerations-namespace",
      description = "where --allow-tolerations applies (repeatable); default: every namespace")
  List<String> tolerationsNamespaces = new ArrayList<>();

  @Option(
      names = "--allowed-priority-class",
      description =
          "a PriorityClass an IpsecGlobal may name in spec.gateway.priorityClassName besides the"
              + " default one of --gateway-pod-defaults (repeatable)")
  List<String> allowedPriorityClasses = new ArrayList<>();

  @Option(
      names = "--gateway-pod-defaults",
      paramLabel = "JSON",
      description =
          "a JSON object with the gateway pods' imagePullSecrets (names), nodeSelector,"
              + " tolerations, affinity, topologySpreadConstraints and priorityClassName, each used"
              + " when an IpsecGlobal does not set it (default: none)")
  String gatewayPodDefaults;

  @Override
  public Integer call() throws InterruptedException {
    try {
      return runUntilStopped();
    } catch (StartupFailure failure) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("ipsec-operator run: " + failure.getMessage());
      if (debug) {
        failure.getCause().printStackTrace(err);
      }
      err.flush();
      return failure.exitCode();
    }
  }

  private int runUntilStopped() throws StartupFailure, InterruptedException {
    // the flags first: a mistake in them is a usage error (exit code 2), found before any I/O
    InetSocketAddress listen;
    try {
      listen = address(httpListen);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProcessMeters.bindTo(registry, OPERATOR_BUILD_INFO);
    OperatorSettings settings = settings(registry);
    Config config = ClusterConfig.load(kubeconfig, kubeContext);
    ApiServerProbe.check(config);
    AtomicReference<IpsecOperator> running = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    // with leader election each replica says who it is, so that an audit log tells them apart
    Optional<String> identity =
        settings.leaderElection().map(OperatorSettings.LeaderElection::identity);
    try (KubernetesClient client =
            identity.isPresent()
                ? OperatorClient.build(config, identity.get())
                : OperatorClient.build(config);
        OperatorHttpServer http = httpServer(listen, registry, running)) {
      running.set(startOperator(client, settings));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    running.get().close();
                    stopped.countDown();
                  },
                  "ipsec-operator-shutdown"));
      stopped.await();
    }
    return 0;
  }

  OperatorSettings settings(PrometheusMeterRegistry registry) {
    GatewayDefaults d = GatewayDefaults.defaults();
    OperatorSettings settings =
        OperatorSettings.defaults()
            .withNamespaces(Set.copyOf(namespaces))
            .withMetrics(registry)
            .withAgentPolling(AgentPolling.defaults().withMaxStateBytes(maxAgentStateBytes))
            .withCaSecret(new CaSecret(caNamespace, caSecret))
            .withGateway(
                new GatewayDefaults(
                    Optional.ofNullable(gatewayImage).orElse(d.charonImage()),
                    Optional.ofNullable(agentImage).orElse(d.agentImage()),
                    agentPort,
                    agentMetricsPort,
                    d.maxShardBytes(),
                    podDefaults()));
    try {
      if (reconcileThreads != null) {
        settings = settings.withReconcileThreads(reconcileThreads);
      }
      settings = settings.withGatewayPolicy(gatewayPolicy());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Optional<OperatorSettings.LeaderElection> election;
    try {
      election = leaderElection();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (election.isPresent()) {
      settings = settings.withLeaderElection(election.get());
    }
    return settings;
  }

  private OperatorHttpServer httpServer(
      InetSocketAddress listen,
      PrometheusMeterRegistry registry,
      AtomicReference<IpsecOperator> running)
      throws StartupFailure {
    try {
      return new OperatorHttpServer(
              listen, registry, () -> running.get() == null ? null : running.get().runtimeInfo())
          .start();
    } catch (IOException e) {
      throw new StartupFailure(
          StartupFailure.OPERATOR,
          "cannot serve /metrics and the probes on "
              + httpListen
              + ": "
              + StartupFailure.rootMessage(e)
              + "; choose another address with --http-listen",
          e);
    }
  }

  private static IpsecOperator startOperator(KubernetesClient client, OperatorSettings settings)
      throws StartupFailure {
    try {
      return IpsecOperator.start(client, settings);
    } catch (RuntimeException e) {
      throw new StartupFailure(
          StartupFailure.OPERATOR,
          "the operator could not start: "
              + StartupFailure.rootMessage(e)
              + "; check that the CRDs are installed (crds/) and the operator's RBAC"
              + " (README, \"ipsec-operator run\")",
          e);
    }
  }

  /**
   * The Lease to hold, when leader election is on; timings that could let two replicas lead at once
   * stop the start.
   */
  Optional<OperatorSettings.LeaderElection> leaderElection() {
    if (!leaderElection && replicas <= 1) {
      return Optional.empty();
    }
    return Optional.of(
        new OperatorSettings.LeaderElection(leaseName, leaseNamespace, identity)
            .withTimings(
                LeaseTimings.ofSeconds(
                    leaseDurationSeconds, renewDeadlineSeconds, retryPeriodSeconds)));
  }

  /** The gateway pods' placement defaults; JSON that does not fit is a usage error. */
  GatewayPodDefaults podDefaults() {
    try {
      return GatewayPodDefaults.fromJson(gatewayPodDefaults);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** The gateway policy from the flags; a prefix that does not end in '/' stops the start. */
  GatewayPolicy gatewayPolicy() {
    return new GatewayPolicy(
        Set.copyOf(allowedGatewayImages),
        Set.copyOf(allowedAgentImages),
        Set.copyOf(allowedImagePrefixes),
        new GatewayPolicy.Switch(allowHostNetwork, Set.copyOf(hostNetworkNamespaces)),
        new GatewayPolicy.Switch(allowUserSpaceEsp, Set.copyOf(userSpaceEspNamespaces)),
        new GatewayPolicy.Switch(allowTolerations, Set.copyOf(tolerationsNamespaces)),
        Set.copyOf(allowedPriorityClasses));
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      if (colon >= 0) {
        return new InetSocketAddress(
            hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
      }
    } catch (IllegalArgumentException e) {
      // not a number, or not a port: the same advice
    }
    throw new IllegalArgumentException("--http-listen must be HOST:PORT, not " + hostPort);
  }
}
