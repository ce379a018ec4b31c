package dev.ipsec.operator.e2e;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.demo.EmbeddedApiServer;
import dev.ipsec.operator.demo.KubeletStandIn;
import dev.ipsec.operator.demo.LocalCluster;
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
 * <p>The cluster itself is {@link LocalCluster}, which the {@code demo} command runs too; this
 * class gives the scenarios their vocabulary on top of it (a timeout is an {@link AssertionError}
 * with the last status and the gateways' logs). Each gateway ({@link Site}) gets a fixed pod
 * address on the pod network 203.0.113.0/24 and its inner address on the pod's loopback, so the
 * examples' {@code localAddress} and tunnel prefixes hold. Closing removes everything; a shutdown
 * hook does the same if the JVM is stopped before.
 */
public final class E2eCluster implements AutoCloseable {

  /** The documentation range the pods live in; the host's own uplink must not use it. */
  public static final String POD_NETWORK = LocalCluster.POD_NETWORK;

  /**
   * One gateway (IpsecGlobal) and where its pod sits.
   *
   * @param gateway the IpsecGlobal's name
   * @param podAddress the pod IP, inside {@link #POD_NETWORK}
   * @param innerAddress an address of the site's inner prefix, put on the pod's loopback
   */
  public record Site(String gateway, String podAddress, String innerAddress) {}

  private final LocalCluster cluster;
  private final String namespace;
  private final NetnsPodRuntime runtime;
  private final KubeletStandIn kubelet;

  private E2eCluster(LocalCluster cluster) {
    this.cluster = cluster;
    this.namespace = cluster.namespace();
    this.runtime = cluster.runtime();
    this.kubelet = cluster.kubelet();
  }

  /** Starts everything for {@code sites} in {@code namespace}; on any failure cleans up and throws. */
  public static E2eCluster start(String namespace, List<Site> sites) {
    return new E2eCluster(LocalCluster.start(LocalCluster.Options.of(namespace, sites.stream()
        .map(s -> new LocalCluster.Site(s.gateway(), s.podAddress(), s.innerAddress()))
        .toList())));
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

  @Override
  public void close() {
    cluster.close();
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
}
