package dev.ipsec.operator.demo;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.IpsecOperator;
import dev.ipsec.operator.reconcile.OperatorClient;
import dev.ipsec.operator.reconcile.OperatorSettings;
import dev.ipsec.operator.reconcile.OperatorSettings.LeaseTimings;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.tls.CaSecret;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A whole cluster on this machine, with nothing mocked but the API server: the embedded API server,
 * the real operator started through its public entry point, and the kubelet stand-in running every
 * gateway pod the operator asks for in a network namespace of its own, with real charon and the
 * real agent (a JVM on this process's class path: the shaded jar when run from it). The {@code
 * demo} command and the end-to-end tests both run on it.
 *
 * <p>Each gateway ({@link Site}) gets a fixed pod address on the pod network 203.0.113.0/24 and its
 * inner address on the pod's loopback, so the examples' {@code localAddress} and tunnel prefixes
 * hold. Closing stops, in order, the kubelet stand-in (and with it every pod's processes and
 * namespace), the operator, the bridge and the API server, and deletes the working directory; a
 * shutdown hook does the same if the JVM is stopped before (Ctrl-C).
 */
public final class LocalCluster implements AutoCloseable {

  /** The documentation range the pods live in; the host's own uplink must not use it. */
  public static final String POD_NETWORK = "203.0.113.0/24";

  /**
   * One gateway (IpsecGlobal) and where its pod sits.
   *
   * @param gateway the IpsecGlobal's name
   * @param podAddress the pod IP, inside {@link #POD_NETWORK}
   * @param innerAddress an address of the site's inner prefix, put on the pod's loopback
   * @param moreInnerAddresses further loopback addresses, for more tunnels: charon's user-space ESP
   *     installs a tunnel's route only with a local address inside its local prefixes
   */
  public record Site(
      String gateway, String podAddress, String innerAddress, List<String> moreInnerAddresses) {

    public Site(String gateway, String podAddress, String innerAddress) {
      this(gateway, podAddress, innerAddress, List.of());
    }

    public Site {
      moreInnerAddresses = List.copyOf(moreInnerAddresses);
    }
  }

  /**
   * What to start.
   *
   * @param namespace the namespace the operator watches and the resources go to
   * @param sites the gateways that may be run
   * @param namePrefix prefix of the network namespaces, veths and bridge (see {@link
   *     NetnsPodRuntime.Options#namePrefix()}); empty for one made of the process id
   * @param leaderElection how many operators compete for the Lease, and its timings; empty for one
   *     operator without leader election
   */
  public record Options(
      String namespace,
      List<Site> sites,
      Optional<String> namePrefix,
      Optional<OperatorReplicas> leaderElection,
      boolean operatorInOwnJvm) {

    public static Options of(String namespace, List<Site> sites) {
      return new Options(namespace, sites, Optional.empty(), Optional.empty(), false);
    }

    public Options withNamePrefix(String prefix) {
      return new Options(namespace, sites, Optional.of(prefix), leaderElection, operatorInOwnJvm);
    }

    /**
     * The operator holds the Lease {@link #LEASE_NAME} in the cluster's namespace before it
     * reconciles, as the chart's operator does with more than one replica.
     */
    public Options withLeaderElection() {
      return withOperatorReplicas(1, LeaseTimings.defaults());
    }

    /**
     * {@code replicas} operators, each with a client of its own, competing for the Lease {@link
     * #LEASE_NAME} with {@code timings}, as the chart's Deployment with {@code replicas} > 1.
     */
    public Options withOperatorReplicas(int replicas, LeaseTimings timings) {
      if (operatorInOwnJvm) {
        throw new IllegalArgumentException("an operator JVM runs without leader election here");
      }
      return new Options(
          namespace,
          sites,
          namePrefix,
          Optional.of(new OperatorReplicas(replicas, timings)),
          operatorInOwnJvm);
    }

    /**
     * The operator runs as {@code ipsec-operator run} in a JVM of its own ({@link OperatorJvm}), so
     * that it can be killed with SIGKILL as an operator pod can ({@code demo --chaos}); its metrics
     * are then its own, not {@link LocalCluster#operatorMetrics()}.
     */
    public Options withOperatorInOwnJvm() {
      if (leaderElection.isPresent()) {
        throw new IllegalArgumentException("an operator JVM runs without leader election here");
      }
      return new Options(namespace, sites, namePrefix, leaderElection, true);
    }
  }

  /** How many operators run with leader election, and the Lease's timings. */
  public record OperatorReplicas(int count, LeaseTimings timings) {
    public OperatorReplicas {
      if (count < 1) {
        throw new IllegalArgumentException("at least one operator, not " + count);
      }
      Objects.requireNonNull(timings, "timings");
    }
  }

  /** The Lease the operator holds when started {@link Options#withLeaderElection() so}. */
  public static final String LEASE_NAME = "ipsec-operator";

  /** The identity in the Lease of the operator replica {@code index}. */
  public static String operatorIdentity(int index) {
    return "local-operator-" + index;
  }

  private final String namespace;
  private final Map<String, Site> sites;
  private final Path workDir;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::closeQuietly, "local-cluster-cleanup");
  private final List<OperatorProcess> operators = new ArrayList<>();

  /** One registry per operator replica, as each pod serves its own /metrics. */
  private final List<PrometheusMeterRegistry> operatorMetrics = new ArrayList<>();

  private final AtomicInteger replacementPods = new AtomicInteger();

  /** Pods that replace deleted ones get .200 to .249 of the pod network, in turn. */
  private static final int REPLACEMENT_ADDRESSES_FROM = 200;

  private OperatorJvm operatorJvm;

  private EmbeddedApiServer server;
  private NetnsPodRuntime runtime;
  private KubeletStandIn kubelet;
  private boolean closed;

  private LocalCluster(Options options) {
    this.namespace = options.namespace();
    this.sites =
        options.sites().stream().collect(Collectors.toUnmodifiableMap(Site::gateway, s -> s));
    try {
      this.workDir = Files.createTempDirectory("ipsec-cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts everything; on any failure cleans up what was started and throws. */
  public static LocalCluster start(Options options) {
    LocalCluster cluster = new LocalCluster(options);
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      // made now, once per build, so that no pod's start waits for the training run
      AgentClassDataArchive.prepare();
      cluster.server =
          cluster.track(new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0));
      cluster.runtime = cluster.track(new NetnsPodRuntime(cluster.runtimeOptions(options)));
      OperatorSettings settings =
          OperatorSettings.defaults()
              .withNamespaces(Set.of(cluster.namespace))
              // the operator's own namespace is the cluster's one namespace here
              .withCaSecret(new CaSecret(cluster.namespace, CaSecret.DEFAULT_NAME));
      if (options.operatorInOwnJvm()) {
        Path kubeconfig = cluster.server.writeKubeconfig(cluster.workDir.resolve("kubeconfig"));
        cluster.operatorJvm =
            cluster.track(
                new OperatorJvm(
                        kubeconfig, cluster.namespace, cluster.workDir.resolve("operator.log"))
                    .start());
      } else if (options.leaderElection().isEmpty()) {
        // the operator has a client of its own, as in a pod: its User-Agent tells its requests
        // from the kubelet stand-in's and the tests' in the server's request log
        cluster.startOperator(
            () -> OperatorClient.build(cluster.client().getConfiguration()), settings);
      } else {
        OperatorReplicas replicas = options.leaderElection().get();
        for (int i = 0; i < replicas.count(); i++) {
          String identity = operatorIdentity(i);
          // JOSDK would end the whole JVM when a closed operator stops leading
          OperatorSettings.LeaderElection lease =
              new OperatorSettings.LeaderElection(
                  LEASE_NAME, cluster.namespace, identity, false, replicas.timings());
          // each replica's User-Agent names it, as `ipsec-operator run` does with leader
          // election: the request log tells the replicas apart
          cluster.startOperator(
              () -> OperatorClient.build(cluster.client().getConfiguration(), identity),
              settings.withLeaderElection(lease));
        }
      }
      cluster.kubelet =
          cluster.track(
              new KubeletStandIn(
                      cluster.client(), cluster.namespace, cluster.runtime, Duration.ofMillis(250))
                  .start());
      return cluster;
    } catch (IOException e) {
      cluster.closeQuietly();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      cluster.closeQuietly();
      throw e;
    }
  }

  private void startOperator(Supplier<KubernetesClient> clients, OperatorSettings settings) {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    operatorMetrics.add(metrics);
    operators.add(track(new OperatorProcess().start(clients, settings.withMetrics(metrics))));
  }

  private NetnsPodRuntime.Options runtimeOptions(Options options) {
    return options
        .namePrefix()
        .map(
            prefix ->
                new NetnsPodRuntime.Options(
                    workDir,
                    POD_NETWORK,
                    this::podAddress,
                    this::loopbackAddresses,
                    HostContainerCommands::of,
                    prefix))
        .orElseGet(
            () ->
                new NetnsPodRuntime.Options(
                    workDir,
                    POD_NETWORK,
                    this::podAddress,
                    this::loopbackAddresses,
                    HostContainerCommands::of))
        .withMoreEth0Addresses(this::endpointAddress);
  }

  /** A client of the harness (fabric8's own User-Agent); the operator has a client of its own. */
  public KubernetesClient client() {
    return server.client();
  }

  /** Every request the API server received, with verb, resource and User-Agent. */
  public ApiRequestLog apiRequests() {
    return server.requests();
  }

  /** The operator's metrics as its {@code /metrics} serves them (Prometheus text format). */
  public String operatorMetrics() {
    return operatorMetrics.stream()
        .map(PrometheusMeterRegistry::scrape)
        .collect(Collectors.joining("\n"));
  }

  public String namespace() {
    return namespace;
  }

  /** Where pod directories (volumes, logs) live; deleted on close. */
  public Path workDir() {
    return workDir;
  }

  /** The bridge the pods hang on, in this process's network namespace. */
  public String bridge() {
    return runtime.bridge();
  }

  /** The pod runtime, for tests that act on a pod's processes (crash a container, ...). */
  public NetnsPodRuntime runtime() {
    return runtime;
  }

  /** The kubelet stand-in, for tests that count pod starts or ask for a sync now. */
  public KubeletStandIn kubelet() {
    return kubelet;
  }

  /** Writes a kubeconfig that points kubectl at the embedded API server, in this namespace. */
  public Path writeKubeconfig(Path file) throws IOException {
    server.writeKubeconfig(file);
    Files.writeString(
        file, Files.readString(file).replace("namespace: default", "namespace: " + namespace));
    return file;
  }

  /** Creates every resource in a manifest file (multi-document YAML) in this namespace. */
  public List<HasMetadata> apply(Path manifest) {
    List<HasMetadata> items;
    try (InputStream in = Files.newInputStream(manifest)) {
      items = client().load(in).items();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<HasMetadata> created = new ArrayList<>();
    for (HasMetadata item : items) {
      created.add(client().resource(item).inNamespace(namespace).create());
    }
    kubelet.nudge();
    return created;
  }

  public IpsecPeer peer(String name) {
    return client().resources(IpsecPeer.class).inNamespace(namespace).withName(name).get();
  }

  public List<IpsecPeer> peers() {
    return client().resources(IpsecPeer.class).inNamespace(namespace).list().getItems();
  }

  /**
   * Waits until a peer's status satisfies {@code condition}, checking every 100 ms for at most
   * {@code timeout}; returns the peer as it was then.
   *
   * @throws PeerTimeoutException with the last status and the gateways' log tails
   */
  public IpsecPeer awaitPeer(String name, Predicate<IpsecPeer> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    IpsecPeer last = null;
    while (System.nanoTime() < deadline) {
      last = peer(name);
      if (last != null && condition.test(last)) {
        return last;
      }
      sleep(Duration.ofMillis(100));
    }
    throw new PeerTimeoutException(
        "IpsecPeer "
            + namespace
            + "/"
            + name
            + " did not reach the"
            + " expected status within "
            + timeout
            + "; last status: "
            + (last == null
                ? "(no peer)"
                : client().getKubernetesSerialization().asYaml(last.getStatus()))
            + diagnostics());
  }

  /**
   * Stops the operator and starts a new one on the same API server, as a new operator pod would
   * after a crash or an upgrade: all it knows comes from the API server again.
   */
  public void restartOperator() {
    if (operatorJvm != null) {
      operatorJvm.kill();
      operatorJvm.start();
      return;
    }
    for (OperatorProcess operator : operators) {
      operator.restart();
    }
  }

  /**
   * Ends the operator replica {@code identity} as SIGKILL ends a pod's process: its connections to
   * the API server go first, so nothing it would still send arrives (no Lease release, no last
   * status write), then its threads stop. It is not started again.
   */
  public void crashOperator(String identity) {
    for (OperatorProcess operator : operators) {
      if (operator.identity().filter(identity::equals).isPresent()) {
        operator.crash();
        return;
      }
    }
    throw new IllegalArgumentException("no operator replica " + identity);
  }

  /**
   * Kills the operator's JVM with SIGKILL and starts a new one, as the Deployment replaces a killed
   * operator pod; only with {@link Options#withOperatorInOwnJvm()}.
   */
  public void killAndReplaceOperator() {
    requireOperatorJvm().kill();
    operatorJvm.start();
  }

  /** Whether the operator's JVM answers its {@code /readyz}; only with its own JVM. */
  public boolean operatorReady() {
    return requireOperatorJvm().isReady();
  }

  /** Where the operator's JVM logs, when it runs in one. */
  public Optional<Path> operatorLog() {
    return Optional.ofNullable(operatorJvm).map(OperatorJvm::log);
  }

  private OperatorJvm requireOperatorJvm() {
    if (operatorJvm == null) {
      throw new IllegalStateException("the operator runs in this process, not in a JVM of its own");
    }
    return operatorJvm;
  }

  /**
   * Stops the API server and starts it again on the same port with the same store, as a restarted
   * kube-apiserver on the same etcd: every connection and watch breaks, clients reconnect.
   */
  public void restartApiServer() {
    server.restart();
  }

  /**
   * Deletes a gateway's pod, as {@code kubectl delete pod} does; the kubelet stand-in stops its
   * containers and its ReplicaSet starts a new pod, under a new name with a new IP. Returns the
   * deleted pod's name.
   */
  public String deleteGatewayPod(String gateway) {
    Pod pod = gatewayPod(gateway);
    client().pods().inNamespace(namespace).resource(pod).delete();
    kubelet.nudge();
    return pod.getMetadata().getName();
  }

  /** Kills one container of a gateway's pod with SIGKILL; the kubelet stand-in restarts it. */
  public void killContainer(String gateway, String container) {
    runtime.killContainer(podName(gateway), container);
  }

  /** The running gateway pod of an IpsecGlobal (replicas: 1). */
  public Pod gatewayPod(String gateway) {
    List<Pod> pods =
        client().pods().inNamespace(namespace).withLabel(Labels.GATEWAY, gateway).list().getItems();
    if (pods.size() != 1) {
      throw new IllegalStateException(
          "expected one pod of gateway " + gateway + ", found " + pods.size());
    }
    return pods.get(0);
  }

  /** The network namespace a gateway's pod runs in, for {@code ip netns exec}. */
  public String networkNamespace(String gateway) {
    return runtime.networkNamespace(podName(gateway));
  }

  /** Runs a command in a gateway pod's network namespace; returns its exit code and output. */
  public CommandResult execInPod(String gateway, List<String> command, Duration timeout) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", networkNamespace(gateway)));
    full.addAll(command);
    return CommandResult.run(full, timeout);
  }

  /** Runs {@code swanctl} against a gateway's charon, through the pod's VICI socket. */
  public CommandResult swanctl(String gateway, String... args) {
    List<String> command = new ArrayList<>(List.of("swanctl"));
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "--uri",
            "unix://" + runtime.podDir(podName(gateway)).resolve("volumes/vici/charon.vici")));
    return CommandResult.run(command, Duration.ofSeconds(10));
  }

  /** The log of one container of a gateway pod, for failure messages. */
  public String containerLog(String gateway, String container) {
    Path log = runtime.podDir(podName(gateway)).resolve("logs").resolve(container + ".log");
    try {
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** The tail of every gateway container's log, to explain a failure. */
  public String diagnostics() {
    StringBuilder out = new StringBuilder();
    for (String gateway : sites.keySet().stream().sorted().toList()) {
      for (String container : List.of("charon", "agent")) {
        try {
          String log = containerLog(gateway, container);
          out.append("\n--- ")
              .append(gateway)
              .append('/')
              .append(container)
              .append(" (tail)\n")
              .append(log.substring(Math.max(0, log.length() - 3000)));
        } catch (RuntimeException e) {
          out.append("\n--- ").append(gateway).append(": ").append(e.getMessage());
        }
      }
      try {
        out.append("\n--- ")
            .append(gateway)
            .append(": swanctl --list-sas\n")
            .append(swanctl(gateway, "--list-sas").output());
      } catch (RuntimeException e) {
        out.append("\n--- ").append(gateway).append(": swanctl: ").append(e.getMessage());
      }
    }
    return out.toString();
  }

  private String podName(String gateway) {
    return gatewayPod(gateway).getMetadata().getName();
  }

  /**
   * A pod's IP: the site's address for the first pod of a gateway (the address the examples name as
   * {@code localAddress}), a new one of the pod network for a pod that replaces a deleted one, as a
   * CNI hands a new pod a new IP. The site's address then stays the tunnel's endpoint on the new
   * pod's {@code eth0} ({@link #endpointAddress}), the way a load balancer's or a node's address
   * stays while the pod behind it changes: the tunnel comes back at the same endpoint, and the
   * operator must follow the pod to its new IP.
   */
  private String podAddress(Pod pod) {
    if (!KubeletStandIn.replacesDeletedPod(pod)) {
      return site(pod).podAddress();
    }
    String prefix = POD_NETWORK.substring(0, POD_NETWORK.lastIndexOf('.') + 1);
    return prefix + (REPLACEMENT_ADDRESSES_FROM + replacementPods.getAndIncrement() % 50);
  }

  private List<String> endpointAddress(Pod pod) {
    return List.of(site(pod).podAddress());
  }

  private List<String> loopbackAddresses(Pod pod) {
    Site site = site(pod);
    return Stream.concat(Stream.of(site.innerAddress()), site.moreInnerAddresses().stream())
        .map(address -> address + "/32")
        .toList();
  }

  private Site site(Pod pod) {
    String gateway =
        Labels.gatewayOf(pod)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "pod " + pod.getMetadata().getName() + " has no gateway label"));
    Site site = sites.get(gateway);
    if (site == null) {
      throw new IllegalStateException("no site configured for gateway " + gateway);
    }
    return site;
  }

  private <T extends AutoCloseable> T track(T resource) {
    started.add(resource);
    return resource;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    // reverse start order: pods before the operator, the bridge after the pods, the server last
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("cleanup failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    FileTrees.deleteQuietly(workDir);
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException ignored) {
        // the JVM is already shutting down
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException ignored) {
      // best effort on the way out
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * One operator replica, which a test may restart or crash; closed with the cluster in its start
   * order.
   */
  private static final class OperatorProcess implements AutoCloseable {
    private Supplier<KubernetesClient> clients;
    private OperatorSettings settings;
    private KubernetesClient client;
    private IpsecOperator current;

    synchronized OperatorProcess start(
        Supplier<KubernetesClient> clients, OperatorSettings settings) {
      this.clients = clients;
      this.settings = settings;
      startNew();
      return this;
    }

    Optional<String> identity() {
      return settings.leaderElection().map(OperatorSettings.LeaderElection::identity);
    }

    synchronized void restart() {
      close();
      startNew();
    }

    /** A new operator pod: a new client, and all it knows comes from the API server. */
    private void startNew() {
      client = clients.get();
      current = IpsecOperator.start(client, settings);
    }

    /**
     * The client first: what the stopping operator still tries to send fails in this process
     * instead of reaching the server, as with a process that is gone.
     */
    synchronized void crash() {
      if (client != null) {
        client.close();
      }
      close();
    }

    @Override
    public synchronized void close() {
      if (current != null) {
        current.close();
        current = null;
      }
      if (client != null) {
        client.close();
        client = null;
      }
    }
  }

  /** A peer did not reach the awaited status in time; the message says where it stood. */
  public static final class PeerTimeoutException extends RuntimeException {
    PeerTimeoutException(String message) {
      super(message);
    }
  }
}
