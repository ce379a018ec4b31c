package dev.ipsec.operator.e2e;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.demo.ApiRequestLog;
import dev.ipsec.operator.demo.KubeletStandIn;
import dev.ipsec.operator.demo.LocalCluster;
import dev.ipsec.operator.demo.NetnsPodRuntime;
import dev.ipsec.operator.reconcile.OperatorClient;
import dev.ipsec.operator.reconcile.OperatorSettings.LeaseTimings;
import dev.ipsec.operator.reconcile.gateway.GatewayDeployment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A whole cluster for one end-to-end scenario, with nothing mocked but the API server: the embedded
 * API server, the real operator started through its public entry point, and the kubelet stand-in
 * running every gateway pod the operator asks for in a network namespace of its own, with real
 * charon and the real agent (a JVM on this test's classpath).
 *
 * <p>The cluster itself is {@link LocalCluster}, which the {@code demo} command runs too; this
 * class gives the scenarios their vocabulary on top of it (a timeout is an {@link AssertionError}
 * with the last status and the gateways' logs). Each gateway ({@link Site}) gets a fixed pod
 * address on the pod network 203.0.113.0/24 and its inner address on the pod's loopback, so the
 * examples' {@code localAddress} and tunnel prefixes hold. A scenario registers it as a JUnit
 * extension ({@link #forEachTest}): it starts before each test and is removed after it, with
 * everything in it; a shutdown hook does the same if the JVM is stopped before.
 */
public final class E2eCluster implements BeforeEachCallback, AfterEachCallback {

  /** The documentation range the pods live in; the host's own uplink must not use it. */
  public static final String POD_NETWORK = LocalCluster.POD_NETWORK;

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
  }

  private final String namespace;
  private final List<Site> sites;
  private final UnaryOperator<LocalCluster.Options> operators;
  private final Deque<AutoCloseable> afterTest = new ArrayDeque<>();
  private LocalCluster cluster;
  private CapturedLog log;
  private NetnsPodRuntime runtime;
  private KubeletStandIn kubelet;

  private E2eCluster(
      String namespace, List<Site> sites, UnaryOperator<LocalCluster.Options> operators) {
    this.namespace = namespace;
    this.sites = List.copyOf(sites);
    this.operators = operators;
  }

  /**
   * A scenario's cluster, registered with {@code @RegisterExtension}: started for {@code sites} in
   * {@code namespace} before each test, closed after it (with what the test handed to {@link
   * #closeAfterTest} closed first), on failure too.
   */
  public static E2eCluster forEachTest(String namespace, List<Site> sites) {
    return new E2eCluster(namespace, sites, UnaryOperator.identity());
  }

  /**
   * The same cluster with the operator holding a Lease before it reconciles, as the chart's
   * operator does with more than one replica: the scenario that proves the Lease permissions.
   */
  public E2eCluster withLeaderElection() {
    return new E2eCluster(namespace, sites, LocalCluster.Options::withLeaderElection);
  }

  /**
   * The same cluster with {@code replicas} operators competing for the Lease with {@code timings},
   * as the chart's Deployment with more than one replica; replica {@code i} is {@link
   * LocalCluster#operatorIdentity(int) operatorIdentity(i)} in the Lease and in its User-Agent.
   */
  public E2eCluster withOperatorReplicas(int replicas, LeaseTimings timings) {
    return new E2eCluster(namespace, sites, o -> o.withOperatorReplicas(replicas, timings));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    LocalCluster.Options options =
        LocalCluster.Options.of(
            namespace,
            sites.stream()
                .map(
                    s ->
                        new LocalCluster.Site(
                            s.gateway(), s.podAddress(), s.innerAddress(), s.moreInnerAddresses()))
                .toList());
    log = CapturedLog.start();
    cluster = LocalCluster.start(operators.apply(options));
    runtime = cluster.runtime();
    kubelet = cluster.kubelet();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    while (!afterTest.isEmpty()) {
      try {
        afterTest.pop().close();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    AssertionError leaked = null;
    if (cluster != null) {
      try {
        // the operator's requests of every scenario, whatever its outcome: the RBAC proof
        ApiRequestRecordings.write(
            scenario(context), cluster.apiRequests().byUserAgent(OperatorClient.PRODUCT + "/"));
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
      try {
        scanForSecrets();
      } catch (AssertionError e) {
        leaked = e;
      }
      cluster.close();
      cluster = null;
    }
    if (log != null) {
      log.close();
      log = null;
    }
    if (leaked != null) {
      throw leaked;
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * The secret scan, after every scenario, before its cluster goes: no PSK, private key or
   * passphrase of the cluster's Secrets in any ConfigMap, status, Event, metrics line or log line
   * (see {@link ClusterSecretScan}). Fails naming where a secret was found, never the secret.
   */
  private void scanForSecrets() {
    SecretScan scan =
        ClusterSecretScan.scan(
            cluster.client(),
            log.lines(),
            cluster.workDir(),
            cluster.operatorMetrics(),
            GatewayDeployment.AGENT_METRICS_PORT_NAME);
    if (!scan.findings().isEmpty()) {
      throw new AssertionError(
          "secret material leaked:\n  " + String.join("\n  ", scan.findings()));
    }
    Map<String, Integer> scanned = scan.scanned();
    for (String kind :
        List.of(
            ClusterSecretScan.CONFIG_MAPS,
            ClusterSecretScan.EVENTS,
            ClusterSecretScan.METRICS,
            ClusterSecretScan.LOGS)) {
      // the operator's metrics are always there; the agents' only while a gateway pod runs
      if (scanned.getOrDefault(kind, 0) == 0) {
        throw new AssertionError("the secret scan searched no " + kind + ": " + scanned);
      }
    }
    if (scan.secrets() == 0) {
      throw new AssertionError("the secret scan found no secret material to look for");
    }
    System.out.println(
        "secret scan: "
            + scan.secrets()
            + " secret values and forms, searched "
            + scanned
            + "; secrets from "
            + scan.sources());
  }

  private static String scenario(ExtensionContext context) {
    return scenarioClass(context.getRequiredTestClass())
        + "."
        + context.getRequiredTestMethod().getName();
  }

  /** A test class's name in the recordings: its binary name in this package (Outer$Nested). */
  static String scenarioClass(Class<?> type) {
    return type.getName().substring(type.getPackageName().length() + 1);
  }

  /**
   * Closes {@code resource} (a watch, a temporary directory) after the test, before the cluster.
   */
  public <T extends AutoCloseable> T closeAfterTest(T resource) {
    afterTest.push(resource);
    return resource;
  }

  public KubernetesClient client() {
    return cluster.client();
  }

  public String namespace() {
    return namespace;
  }

  /** Creates every resource in a manifest file (multi-document YAML) in this namespace. */
  public List<HasMetadata> apply(Path manifest) {
    return cluster.apply(manifest);
  }

  public IpsecPeer peer(String name) {
    return cluster.peer(name);
  }

  /**
   * Waits until a peer's status satisfies {@code condition}, checking every 100 ms for at most
   * {@code timeout}; returns the peer as it was then.
   */
  public IpsecPeer awaitPeer(String name, Predicate<IpsecPeer> condition, Duration timeout) {
    try {
      return cluster.awaitPeer(name, condition, timeout);
    } catch (LocalCluster.PeerTimeoutException e) {
      throw new AssertionError(e.getMessage());
    }
  }

  /** Stops the operator and starts a new one on the same API server (a new operator pod). */
  public void restartOperator() {
    cluster.restartOperator();
  }

  /**
   * Ends one operator replica as SIGKILL would: nothing more of it reaches the API server, the
   * Lease it holds is not released (see {@link LocalCluster#crashOperator}).
   */
  public void crashOperator(String identity) {
    cluster.crashOperator(identity);
  }

  /** Every request the API server received, in order, with its verb and User-Agent. */
  public ApiRequestLog apiRequests() {
    return cluster.apiRequests();
  }

  /** The running gateway pod of an IpsecGlobal (replicas: 1). */
  public Pod gatewayPod(String gateway) {
    return cluster.gatewayPod(gateway);
  }

  /** Runs a command in a gateway pod's network namespace; returns its exit code and output. */
  public CommandResult execInPod(String gateway, List<String> command, Duration timeout) {
    return CommandResult.of(cluster.execInPod(gateway, command, timeout));
  }

  /** Runs {@code swanctl} against a gateway's charon, through the pod's VICI socket. */
  public CommandResult swanctl(String gateway, String... args) {
    return CommandResult.of(cluster.swanctl(gateway, args));
  }

  /** What this process (the operator, the kubelet stand-in) has logged so far, with times. */
  List<CapturedLog.Line> operatorLog() {
    return log.timedLines();
  }

  /** The log of one container of a gateway pod, for failure messages. */
  public String containerLog(String gateway, String container) {
    return cluster.containerLog(gateway, container);
  }

  /** The name of the running pod of a gateway (for the scenario helpers appended below). */
  private String gateway(String gateway) {
    return gatewayPod(gateway).getMetadata().getName();
  }

  private String diagnostics() {
    return cluster.diagnostics();
  }

  /** Exit code and merged output of a finished command. */
  public record CommandResult(int exitCode, String output) {

    static CommandResult run(List<String> command, Duration timeout) {
      return of(dev.ipsec.operator.demo.CommandResult.run(command, timeout));
    }

    private static CommandResult of(dev.ipsec.operator.demo.CommandResult result) {
      return new CommandResult(result.exitCode(), result.output());
    }
  }

  /**
   * The resources of a manifest file (multi-document YAML), parsed but not created, so a test can
   * put material made at test time into an example before it {@link #create}s it.
   */
  public List<HasMetadata> load(Path manifest) {
    List<HasMetadata> items;
    try (InputStream in = Files.newInputStream(manifest)) {
      items = client().load(in).items();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // the client parses custom resources as generic ones; a test wants to edit typed specs
    return items.stream().map(this::typed).toList();
  }

  private HasMetadata typed(HasMetadata item) {
    List<Class<? extends HasMetadata>> kinds =
        List.of(
            IpsecPeer.class,
            dev.ipsec.operator.api.v1alpha1.IpsecGlobal.class,
            dev.ipsec.operator.api.v1alpha1.IkeGroup.class,
            dev.ipsec.operator.api.v1alpha1.EspGroup.class);
    for (Class<? extends HasMetadata> kind : kinds) {
      if (item instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource
          && HasMetadata.getApiVersion(kind).equals(item.getApiVersion())
          && HasMetadata.getKind(kind).equals(item.getKind())) {
        return client().getKubernetesSerialization().convertValue(item, kind);
      }
    }
    return item;
  }

  /** Creates resources built or loaded by the test in this namespace. */
  public List<HasMetadata> create(List<? extends HasMetadata> items) {
    List<HasMetadata> created = new ArrayList<>();
    for (HasMetadata item : items) {
      created.add(client().resource(item).inNamespace(namespace).create());
    }
    kubelet.nudge();
    return created;
  }

  /** The Events recorded in this namespace about the object of {@code kind} named {@code name}. */
  public List<io.fabric8.kubernetes.api.model.Event> eventsAbout(String kind, String name) {
    return client().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(
            e ->
                e.getInvolvedObject() != null
                    && kind.equals(e.getInvolvedObject().getKind())
                    && name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /**
   * One echo request from {@code source} to {@code destination} inside a gateway pod, tried up to
   * five times (the first packet may meet a route or a CHILD SA still being installed).
   */
  public CommandResult ping(String gateway, String source, String destination) {
    CommandResult last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      last =
          execInPod(
              gateway,
              List.of("ping", "-n", "-c", "1", "-W", "2", "-I", source, destination),
              Duration.ofSeconds(10));
      if (last.exitCode() == 0) {
        return last;
      }
    }
    return last;
  }

  /**
   * Packets received on all CHILD SAs of a gateway, as charon counts them: a ping that raised this
   * at the receiving gateway came through a tunnel, not by some other route.
   */
  public long childSaPacketsIn(String gateway) {
    CommandResult sas = swanctl(gateway, "--list-sas", "--raw");
    if (sas.exitCode() != 0) {
      throw new IllegalStateException("swanctl --list-sas on " + gateway + ": " + sas.output());
    }
    Matcher m = Pattern.compile("packets-in=(\\d+)").matcher(sas.output());
    long total = 0;
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    return total;
  }

  /**
   * The IKE SAs a gateway's charon has, from {@code swanctl --list-sas --raw}: connection name,
   * unique id and state of each, with the unique ids of their CHILD SAs.
   */
  public List<IkeSa> ikeSas(String gateway) {
    CommandResult sas = swanctl(gateway, "--list-sas", "--raw");
    if (sas.exitCode() != 0) {
      throw new IllegalStateException("swanctl --list-sas on " + gateway + ": " + sas.output());
    }
    // one line per IKE SA: list-sa event {<conn> {uniqueid=N version=2 state=S ... child-sas
    // {...}}}
    Pattern ike = Pattern.compile("^list-sa event \\{(\\S+) \\{uniqueid=(\\d+) .*?state=([A-Z_]+)");
    Pattern child = Pattern.compile("\\{name=\\S+ uniqueid=(\\d+)");
    List<IkeSa> result = new ArrayList<>();
    for (String line : sas.output().split("\n")) {
      Matcher m = ike.matcher(line);
      if (m.find()) {
        List<String> children = new ArrayList<>();
        Matcher c = child.matcher(line);
        while (c.find()) {
          children.add(c.group(1));
        }
        result.add(new IkeSa(m.group(1), m.group(2), m.group(3), children));
      }
    }
    return result;
  }

  /** The connections loaded into a gateway's charon ({@code swanctl --list-conns}). */
  public List<String> loadedConnections(String gateway) {
    CommandResult conns = swanctl(gateway, "--list-conns", "--raw");
    if (conns.exitCode() != 0) {
      throw new IllegalStateException("swanctl --list-conns on " + gateway + ": " + conns.output());
    }
    Matcher m =
        Pattern.compile("^list-conn event \\{(\\S+) \\{", Pattern.MULTILINE)
            .matcher(conns.output());
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** One IKE SA as charon lists it. */
  public record IkeSa(
      String connection, String uniqueId, String state, List<String> childUniqueIds) {}

  /**
   * Kills one container of a gateway pod with SIGKILL, as a crash or the OOM killer would. The
   * kubelet stand-in then restarts it in the same pod, as a kubelet does under the Deployment's
   * {@code restartPolicy: Always} (see {@link #containerRestarts()}).
   */
  public void killContainer(String gateway, String container) {
    runtime.killContainer(gateway(gateway), container);
  }

  /** How many times the kubelet stand-in started an exited container again. */
  public int containerRestarts() {
    return kubelet.containerRestarts();
  }

  /** The network namespace of a gateway's pod, whose processes are its containers'. */
  public String networkNamespace(String gateway) {
    return runtime.networkNamespace(gateway(gateway));
  }

  /** The VICI socket of a gateway pod's charon, for a test's own {@code ViciClient}. */
  public Path viciSocket(String gateway) {
    return runtime.podDir(gateway(gateway)).resolve("volumes/vici/charon.vici");
  }
}
