package dev.ipsec.operator.demo;

import dev.ipsec.operator.kubelet.HostCommands;
import dev.ipsec.operator.kubelet.NetnsSandbox;
import dev.ipsec.operator.kubelet.ProjectedVolumeWriter;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each pod in a network namespace of its own, attached to a bridge in the caller's namespace
 * so the operator reaches the pod IP, with one {@link NetnsSandbox} per pod (a private mount
 * namespace with a tmpfs on {@code /run}) in which the pod's volumes are mounted at their mount
 * paths (emptyDirs and kubelet-style projected volumes), and the containers started as local
 * processes.
 *
 * <p>Needs root. Only documentation addresses are used: the bridge holds the {@code .254} address
 * of the pod network (by default {@code 203.0.113.0/24}) and pods get addresses from it. The pod
 * network must not be routed on the host already (the machine's own uplink may sit in a
 * documentation range): the runtime refuses to start rather than capture the host's traffic.
 */
public final class NetnsPodRuntime implements PodRuntime, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NetnsPodRuntime.class);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /**
   * How pods are placed and what their containers run.
   *
   * @param workDir where pod directories (volumes, logs) are created
   * @param podNetwork the pod network, a /24 of a documentation range, e.g. 203.0.113.0/24
   * @param podAddress the pod's IP (inside the pod network) for a pod
   * @param loopbackAddresses extra CIDRs on the pod's {@code lo}, e.g. the site's inner prefix
   * @param commands the local argv for a container (its image has no meaning here)
   * @param namePrefix starts the name of every network namespace, veth and bridge this runtime
   *     creates (a letter, then letters or digits, at most 10 in all), so that parallel runs never
   *     collide and what a run left behind can be told apart
   */
  public record Options(
      Path workDir,
      String podNetwork,
      Function<Pod, String> podAddress,
      Function<Pod, List<String>> loopbackAddresses,
      Function<Container, List<String>> commands,
      String namePrefix,
      Function<Pod, List<String>> moreEth0Addresses) {

    public Options {
      if (!namePrefix.matches("[a-z][a-z0-9]{0,9}")) {
        throw new IllegalArgumentException(
            "name prefix must be a lower-case letter followed by at"
                + " most 9 letters or digits (interface names have 15 characters): "
                + namePrefix);
      }
    }

    /** Options whose pods have their pod IP only on {@code eth0}. */
    public Options(
        Path workDir,
        String podNetwork,
        Function<Pod, String> podAddress,
        Function<Pod, List<String>> loopbackAddresses,
        Function<Container, List<String>> commands,
        String namePrefix) {
      this(
          workDir,
          podNetwork,
          podAddress,
          loopbackAddresses,
          commands,
          namePrefix,
          pod -> List.of());
    }

    /** Options with a prefix made of this process id, unique among concurrent runs. */
    public Options(
        Path workDir,
        String podNetwork,
        Function<Pod, String> podAddress,
        Function<Pod, List<String>> loopbackAddresses,
        Function<Container, List<String>> commands) {
      this(workDir, podNetwork, podAddress, loopbackAddresses, commands, defaultPrefix());
    }

    /**
     * The same options with further addresses of the pod network on each pod's {@code eth0} besides
     * its pod IP (for instance a stable tunnel endpoint that follows the pod to a new IP).
     */
    public Options withMoreEth0Addresses(Function<Pod, List<String>> addresses) {
      return new Options(
          workDir, podNetwork, podAddress, loopbackAddresses, commands, namePrefix, addresses);
    }

    private static String defaultPrefix() {
      return "ipo" + ProcessHandle.current().pid() % 1000 + "x" + INSTANCES.incrementAndGet();
    }
  }

  private final Options options;
  private final String prefix;
  private final String bridge;
  private final Map<String, RunningPod> pods = new ConcurrentHashMap<>();
  private final AtomicInteger podCounter = new AtomicInteger();

  public NetnsPodRuntime(Options options) {
    this.options = options;
    this.prefix = options.namePrefix();
    this.bridge = prefix + "br";
    String network = options.podNetwork();
    if (!network.matches("(192\\.0\\.2|198\\.51\\.100|203\\.0\\.113)\\.0/24")) {
      throw new IllegalArgumentException("pod network must be a documentation /24: " + network);
    }
    String routed = HostCommands.run(List.of("ip", "-4", "route", "show", network));
    if (!routed.isBlank()) {
      throw new IllegalStateException(
          "the host already routes "
              + network
              + " ("
              + routed.strip()
              + "): choose another documentation range for the pods");
    }
    HostCommands.run(List.of("ip", "link", "add", bridge, "type", "bridge"));
    HostCommands.run(
        List.of("ip", "addr", "add", network.replace(".0/24", ".254/24"), "dev", bridge));
    HostCommands.run(List.of("ip", "link", "set", bridge, "up"));
  }

  @Override
  public String start(Pod pod, Map<String, Map<String, byte[]>> volumes) {
    String name = pod.getMetadata().getName();
    String address = options.podAddress().apply(pod);
    RunningPod running =
        new RunningPod(
            name,
            prefix + "p" + podCounter.incrementAndGet(),
            address,
            options.workDir().resolve(name));
    pods.put(name, running);
    try {
      running.createNetwork(
          options.loopbackAddresses().apply(pod), options.moreEth0Addresses().apply(pod));
      running.createVolumes(pod, volumes);
      running.openSandbox();
      running.mountVolumes(pod);
      for (Container container : pod.getSpec().getContainers()) {
        running.startContainer(container, options.commands().apply(container));
      }
      return address;
    } catch (RuntimeException e) {
      stop(pod);
      throw e;
    }
  }

  @Override
  public void updateVolume(Pod pod, String volumeName, Map<String, byte[]> files) {
    RunningPod running = pods.get(pod.getMetadata().getName());
    if (running != null) {
      new ProjectedVolumeWriter(running.volumeDir(volumeName)).write(files);
    }
  }

  @Override
  public boolean isReady(Pod pod) {
    RunningPod running = pods.get(pod.getMetadata().getName());
    if (running == null || !running.allRunning()) {
      return false;
    }
    for (Container container : pod.getSpec().getContainers()) {
      if (container.getReadinessProbe() != null
          && container.getReadinessProbe().getHttpGet() != null
          && !httpOk(running.address, container, container.getReadinessProbe().getHttpGet())) {
        return false;
      }
    }
    return true;
  }

  /** The directory holding a pod's container logs and volumes (for demo output and tests). */
  public Path podDir(String podName) {
    return options.workDir().resolve(podName);
  }

  /**
   * Where the container logs of stopped pods are kept ({@code <pod>-<netns>/<container>.log}),
   * inside the work directory.
   */
  public Path stoppedPodLogs() {
    return options.workDir().resolve("stopped-pod-logs");
  }

  /** The bridge in the caller's namespace that every pod's veth is attached to. */
  public String bridge() {
    return bridge;
  }

  /** The network namespace of a running pod, to run a command in it ({@code ip netns exec}). */
  public String networkNamespace(String podName) {
    RunningPod running = pods.get(podName);
    if (running == null) {
      throw new IllegalArgumentException("no running pod " + podName);
    }
    return running.netns;
  }

  @Override
  public List<String> exitedContainers(Pod pod) {
    RunningPod running = pods.get(pod.getMetadata().getName());
    if (running == null) {
      return List.of();
    }
    return running.containers.entrySet().stream()
        .filter(e -> !e.getValue().isAlive())
        .map(Map.Entry::getKey)
        .toList();
  }

  @Override
  public void restartContainer(Pod pod, String containerName) {
    RunningPod running = pods.get(pod.getMetadata().getName());
    if (running == null) {
      throw new IllegalArgumentException("no running pod " + pod.getMetadata().getName());
    }
    Container container =
        pod.getSpec().getContainers().stream()
            .filter(c -> c.getName().equals(containerName))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "pod "
                            + pod.getMetadata().getName()
                            + " has no container "
                            + containerName));
    // the same sandbox, so the same network namespace, /run tmpfs and volume mounts
    running.startContainer(container, options.commands().apply(container));
  }

  /** Kills one container of a running pod with SIGKILL, as a crash would. */
  public void killContainer(String podName, String containerName) {
    RunningPod running = pods.get(podName);
    Process process = running == null ? null : running.containers.get(containerName);
    if (process != null) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  @Override
  public void stop(Pod pod) {
    RunningPod running = pods.remove(pod.getMetadata().getName());
    if (running != null) {
      running.destroy();
    }
  }

  @Override
  public void close() {
    new ArrayList<>(pods.values()).forEach(RunningPod::destroy);
    pods.clear();
    HostCommands.runQuietly(List.of("ip", "link", "del", bridge));
  }

  private static boolean httpOk(String address, Container container, HTTPGetAction get) {
    String path = get.getPath() == null ? "/" : get.getPath();
    URI uri = URI.create("http://" + address + ":" + probePort(container, get) + path);
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() >= 200 && response.statusCode() < 400;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The probe's port, by number or by the name of one of the container's ports. */
  private static int probePort(Container container, HTTPGetAction get) {
    if (get.getPort().getIntVal() != null) {
      return get.getPort().getIntVal();
    }
    String name = get.getPort().getStrVal();
    return (container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts())
        .stream()
            .filter(p -> name.equals(p.getName()))
            .findFirst()
            .map(ContainerPort::getContainerPort)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "container "
                            + container.getName()
                            + " has no port named "
                            + name
                            + " for its readiness probe"));
  }

  /** One pod: its network namespace, its sandbox, its containers. */
  private final class RunningPod {
    final String podName;
    final String netns;
    final String address;
    final Path dir;
    // written by the kubelet's sync thread (restarts), read by callers killing a container
    final Map<String, Process> containers = new ConcurrentHashMap<>();
    NetnsSandbox sandbox;

    RunningPod(String podName, String netns, String address, Path dir) {
      this.podName = podName;
      this.netns = netns;
      this.address = address;
      this.dir = dir;
    }

    Path volumeDir(String volume) {
      return dir.resolve("volumes").resolve(volume);
    }

    void createNetwork(List<String> loopbackAddresses, List<String> moreEth0Addresses) {
      HostCommands.run(
          List.of("ip", "-batch", "-"), PodSetupCommands.hostSide(netns, netns + "h", bridge));
      HostCommands.run(
          List.of("ip", "-n", netns, "-batch", "-"),
          PodSetupCommands.podSide(address, moreEth0Addresses, loopbackAddresses));
    }

    void createVolumes(Pod pod, Map<String, Map<String, byte[]>> projected) {
      try {
        for (Volume volume : volumes(pod)) {
          Path target = Files.createDirectories(volumeDir(volume.getName()));
          Map<String, byte[]> files = projected.get(volume.getName());
          if (files != null) {
            new ProjectedVolumeWriter(target).write(files);
          }
        }
        Files.createDirectories(dir.resolve("logs"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void openSandbox() {
      sandbox = NetnsSandbox.open(netns);
    }

    void mountVolumes(Pod pod) {
      List<PodSetupCommands.Mount> all = new ArrayList<>();
      for (Container container : pod.getSpec().getContainers()) {
        List<VolumeMount> mounts =
            container.getVolumeMounts() == null ? List.of() : container.getVolumeMounts();
        for (VolumeMount mount : mounts) {
          Volume volume =
              volumes(pod).stream()
                  .filter(v -> v.getName().equals(mount.getName()))
                  .findFirst()
                  .orElse(null);
          if (volume != null && volume.getHostPath() != null) {
            // the pod shares the host's filesystem: a host path at its own place (such as
            // /dev/net/tun for user-space ESP) is already there, and a device cannot be a mkdir
            if (!volume.getHostPath().getPath().equals(mount.getMountPath())) {
              all.add(
                  new PodSetupCommands.Mount(
                      volume.getHostPath().getPath(), mount.getMountPath(), false));
            }
            continue;
          }
          Path source = volumeDir(mount.getName());
          boolean file = mount.getSubPath() != null && !mount.getSubPath().isEmpty();
          if (file) {
            source = source.resolve(mount.getSubPath());
          }
          all.add(new PodSetupCommands.Mount(source.toString(), mount.getMountPath(), file));
        }
      }
      List<String> command = PodSetupCommands.mountAll(all);
      if (!command.isEmpty()) {
        sandbox.run(command);
      }
    }

    void startContainer(Container container, List<String> argv) {
      // the operator sets literal values only; a valueFrom (it has none) would need the API server
      Map<String, String> env = new LinkedHashMap<>();
      if (container.getEnv() != null) {
        for (EnvVar var : container.getEnv()) {
          if (var.getValue() != null) {
            env.put(var.getName(), var.getValue());
          }
        }
      }
      Path log = dir.resolve("logs").resolve(container.getName() + ".log");
      Process process = sandbox.start(argv, env, log);
      containers.put(container.getName(), process);
      LOG.info(
          "pod {}: started container {} (pid {})", podName, container.getName(), process.pid());
    }

    boolean allRunning() {
      return !containers.isEmpty() && containers.values().stream().allMatch(Process::isAlive);
    }

    void destroy() {
      if (sandbox != null) {
        sandbox.close(); // stops the containers, then the sandbox
      }
      String pids = "";
      try {
        pids = HostCommands.run(List.of("ip", "netns", "pids", netns));
      } catch (IllegalStateException ignored) {
        // namespace never created
      }
      for (String pid : pids.split("\\s+")) {
        if (!pid.isBlank()) {
          HostCommands.runQuietly(List.of("kill", "-KILL", pid));
        }
      }
      // deleting the host end removes the pair at once; left to the namespace's teardown, which
      // the kernel does asynchronously, the host end can linger for a minute on a busy machine
      HostCommands.runQuietly(List.of("ip", "link", "del", netns + "h"));
      HostCommands.runQuietly(List.of("ip", "netns", "del", netns));
      keepLogs();
      FileTrees.deleteQuietly(dir);
    }

    /**
     * Moves the containers' logs to {@link #stoppedPodLogs} before the pod's directory goes, as a
     * node keeps a deleted pod's logs for a while: tests read every container's log, of pods
     * stopped during a test too (the end-to-end tests' secret scan).
     */
    private void keepLogs() {
      Path logs = dir.resolve("logs");
      if (!Files.isDirectory(logs)) {
        return;
      }
      try {
        Path kept = stoppedPodLogs().resolve(podName + "-" + netns);
        Files.createDirectories(kept.getParent());
        Files.move(logs, kept);
      } catch (IOException e) {
        LOG.warn("pod {}: could not keep its logs: {}", podName, e.getMessage());
      }
    }

    private List<Volume> volumes(Pod pod) {
      return pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    }
  }
}
