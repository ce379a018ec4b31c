package dev.ipsec.operator.e2e;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.demo.EmbeddedApiServer;
import dev.ipsec.operator.demo.KubeletStandIn;
import dev.ipsec.operator.demo.NetnsPodRuntime;
import dev.ipsec.operator.reconcile.IpsecOperator;
import dev.ipsec.operator.reconcile.Labels;
import dev.ipsec.operator.reconcile.OperatorSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A whole cluster for one end-to-end scenario, with nothing mocked but the API server: the
 * embedded API server, the real operator started through its public entry point, and the kubelet
 * stand-in running every gateway pod the operator asks for in a network namespace of its own,
 * with real charon and the real agent (a JVM on this test's classpath).
 *
 * <p>Each gateway ({@link Site}) gets a fixed pod address on the pod network 203.0.113.0/24
 * and its inner address on the pod's loopback, so the examples' {@code localAddress} and tunnel
 * prefixes hold. Closing stops, in order, the kubelet stand-in (and with it every pod's
 * processes and namespace), the operator, the bridge and the API server; a shutdown hook does the
 * same if the JVM is stopped before.
 */
public final class E2eCluster implements AutoCloseable {

  /** The documentation range the pods live in; the host's own uplink must not use it. */
  public static final String POD_NETWORK = "203.0.113.0/24";

  /**
   * One gateway (IpsecGlobal) and where its pod sits.
   *
   * @param gateway the IpsecGlobal's name
   * @param podAddress the pod IP, inside {@link #POD_NETWORK}
   * @param innerAddress an address of the site's inner prefix, put on the pod's loopback
   * @param moreInnerAddresses further loopback addresses, for more tunnels: charon's user-space
   *     ESP installs a tunnel's route only with a local address inside its local prefixes
   */
  public record Site(String gateway, String podAddress, String innerAddress,
      List<String> moreInnerAddresses) {

    public Site(String gateway, String podAddress, String innerAddress) {
      this(gateway, podAddress, innerAddress, List.of());
    }
  }

  private final String namespace;
  private final Map<String, Site> sites;
  private final Path workDir;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::closeQuietly, "e2e-cluster-cleanup");
  private EmbeddedApiServer server;
  private NetnsPodRuntime runtime;
  private KubeletStandIn kubelet;
  private boolean closed;

  private E2eCluster(String namespace, List<Site> sites) {
    this.namespace = namespace;
    this.sites = sites.stream().collect(Collectors.toUnmodifiableMap(Site::gateway, s -> s));
    try {
      this.workDir = Files.createTempDirectory("ipsec-e2e-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts everything for {@code sites} in {@code namespace}; on any failure cleans up and throws. */
  public static E2eCluster start(String namespace, List<Site> sites) {
    E2eCluster cluster = new E2eCluster(namespace, sites);
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      cluster.server = cluster.track(
          new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0));
      cluster.runtime = cluster.track(new NetnsPodRuntime(new NetnsPodRuntime.Options(
          cluster.workDir, POD_NETWORK, cluster::podAddress, cluster::loopbackAddresses,
          E2eCluster::command)));
      cluster.track(IpsecOperator.start(cluster.client(),
          OperatorSettings.defaults().withNamespaces(Set.of(namespace))));
      cluster.kubelet = cluster.track(new KubeletStandIn(cluster.client(), namespace,
          cluster.runtime, Duration.ofMillis(250)).start());
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.closeQuietly();
      throw e;
    }
  }

  public KubernetesClient client() {
    return server.client();
  }

  public String namespace() {
    return namespace;
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

  /**
   * Waits until a peer's status satisfies {@code condition}, checking every 100 ms for at most
   * {@code timeout}; returns the peer as it was then.
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
    throw new AssertionError("IpsecPeer " + namespace + "/" + name + " did not reach the expected"
        + " status within " + timeout + "; last status: "
        + (last == null ? "(no peer)" : client().getKubernetesSerialization()
            .asYaml(last.getStatus())) + diagnostics());
  }

  /** The running gateway pod of an IpsecGlobal (replicas: 1). */
  public Pod gatewayPod(String gateway) {
    List<Pod> pods = client().pods().inNamespace(namespace)
        .withLabel(Labels.GATEWAY, gateway).list().getItems();
    if (pods.size() != 1) {
      throw new IllegalStateException("expected one pod of gateway " + gateway + ", found "
          + pods.size());
    }
    return pods.get(0);
  }

  /** Runs a command in a gateway pod's network namespace; returns its exit code and output. */
  public CommandResult execInPod(String gateway, List<String> command, Duration timeout) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec",
        runtime.networkNamespace(gateway(gateway))));
    full.addAll(command);
    return CommandResult.run(full, timeout);
  }

  /** Runs {@code swanctl} against a gateway's charon, through the pod's VICI socket. */
  public CommandResult swanctl(String gateway, String... args) {
    List<String> command = new ArrayList<>(List.of("swanctl"));
    command.addAll(List.of(args));
    command.addAll(List.of("--uri", "unix://" + runtime.podDir(gateway(gateway))
        .resolve("volumes/vici/charon.vici")));
    return CommandResult.run(command, Duration.ofSeconds(10));
  }

  /** The log of one container of a gateway pod, for failure messages. */
  public String containerLog(String gateway, String container) {
    Path log = runtime.podDir(gateway(gateway)).resolve("logs").resolve(container + ".log");
    try {
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private String gateway(String gateway) {
    return gatewayPod(gateway).getMetadata().getName();
  }

  private String diagnostics() {
    StringBuilder out = new StringBuilder();
    for (String gateway : sites.keySet()) {
      for (String container : List.of("charon", "agent")) {
        try {
          String log = containerLog(gateway, container);
          out.append("\n--- ").append(gateway).append('/').append(container).append(" (tail)\n")
              .append(log.substring(Math.max(0, log.length() - 3000)));
        } catch (RuntimeException e) {
          out.append("\n--- ").append(gateway).append(": ").append(e.getMessage());
        }
      }
      try {
        out.append("\n--- ").append(gateway).append(": swanctl --list-sas\n")
            .append(swanctl(gateway, "--list-sas").output());
      } catch (RuntimeException e) {
        out.append("\n--- ").append(gateway).append(": swanctl: ").append(e.getMessage());
      }
    }
    return out.toString();
  }

  private String podAddress(Pod pod) {
    return site(pod).podAddress();
  }

  private List<String> loopbackAddresses(Pod pod) {
    Site site = site(pod);
    return Stream.concat(Stream.of(site.innerAddress()), site.moreInnerAddresses().stream())
        .map(address -> address + "/32").toList();
  }

  private Site site(Pod pod) {
    String gateway = Labels.gatewayOf(pod).orElseThrow(() ->
        new IllegalStateException("pod " + pod.getMetadata().getName() + " has no gateway label"));
    Site site = sites.get(gateway);
    if (site == null) {
      throw new IllegalStateException("no site configured for gateway " + gateway);
    }
    return site;
  }

  /** What each container of a gateway pod runs here: Debian's charon, the agent from this classpath. */
  private static List<String> command(Container container) {
    return switch (container.getName()) {
      case "charon" -> List.of("/usr/lib/ipsec/charon");
      case "agent" -> {
        List<String> argv = new ArrayList<>(List.of(javaBinary(), "-Xmx128m",
            "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
            "dev.ipsec.operator.cli.Main"));
        argv.addAll(container.getArgs());
        yield argv;
      }
      default -> throw new IllegalArgumentException("unknown container " + container.getName());
    };
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
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
    deleteQuietly(workDir);
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
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  /** Exit code and merged output of a finished command. */
  public record CommandResult(int exitCode, String output) {

    static CommandResult run(List<String> command, Duration timeout) {
      Path output = null;
      try {
        // to a file, not a pipe: a chatty command can never block on a full pipe
        output = Files.createTempFile("e2e-cmd-", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null"))).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          return new CommandResult(-1, "timed out after " + timeout + ": " + command);
        }
        return new CommandResult(process.exitValue(), Files.readString(output));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        if (output != null) {
          output.toFile().delete();
        }
      }
    }
  }

  /**
   * The resources of a manifest file (multi-document YAML), parsed but not created, so a test
   * can put material made at test time into an example before it {@link #create}s it.
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
    List<Class<? extends HasMetadata>> kinds = List.of(IpsecPeer.class,
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
        .filter(e -> e.getInvolvedObject() != null
            && kind.equals(e.getInvolvedObject().getKind())
            && name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /**
   * One echo request from {@code source} to {@code destination} inside a gateway pod, tried up
   * to five times (the first packet may meet a route or a CHILD SA still being installed).
   */
  public CommandResult ping(String gateway, String source, String destination) {
    CommandResult last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      last = execInPod(gateway, List.of("ping", "-n", "-c", "1", "-W", "2", "-I", source,
          destination), Duration.ofSeconds(10));
      if (last.exitCode() == 0) {
        return last;
      }
    }
    return last;
  }

  /**
   * Packets received on all CHILD SAs of a gateway, as charon counts them: a ping that raised
   * this at the receiving gateway came through a tunnel, not by some other route.
   */
  public long childSaPacketsIn(String gateway) {
    CommandResult sas = swanctl(gateway, "--list-sas", "--raw");
    if (sas.exitCode() != 0) {
      throw new IllegalStateException("swanctl --list-sas on " + gateway + ": " + sas.output());
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("packets-in=(\\d+)")
        .matcher(sas.output());
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
    // one line per IKE SA: list-sa event {<conn> {uniqueid=N version=2 state=S ... child-sas {...}}}
    java.util.regex.Pattern ike = java.util.regex.Pattern.compile(
        "^list-sa event \\{(\\S+) \\{uniqueid=(\\d+) .*?state=([A-Z_]+)");
    java.util.regex.Pattern child = java.util.regex.Pattern.compile(
        "\\{name=\\S+ uniqueid=(\\d+)");
    List<IkeSa> result = new ArrayList<>();
    for (String line : sas.output().split("\n")) {
      java.util.regex.Matcher m = ike.matcher(line);
      if (m.find()) {
        List<String> children = new ArrayList<>();
        java.util.regex.Matcher c = child.matcher(line);
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
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^list-conn event \\{(\\S+) \\{",
        java.util.regex.Pattern.MULTILINE).matcher(conns.output());
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** One IKE SA as charon lists it. */
  public record IkeSa(String connection, String uniqueId, String state, List<String> childUniqueIds) {}

  /** The VICI socket of a gateway pod's charon, for a test's own {@code ViciClient}. */
  public Path viciSocket(String gateway) {
    return runtime.podDir(gateway(gateway)).resolve("volumes/vici/charon.vici");
  }
}
