package dev.ipsec.operator.demo;

import dev.ipsec.operator.kubelet.VolumeProjections;
import dev.ipsec.operator.kubelet.VolumeProjections.MissingVolumeSourceException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet (and the Deployment and ReplicaSet controllers) against the embedded API
 * server: for every Deployment in a namespace it keeps a ReplicaSet of the current pod template
 * (controlled by the Deployment, named after the template's hash, as the Deployment controller
 * does), runs the requested pods through a {@link PodRuntime} as pods controlled by that
 * ReplicaSet, writes the Pod objects with their IPs and readiness, keeps the projected volumes in
 * step with the ConfigMaps and Secrets they come from, and replaces pods (and their ReplicaSet)
 * only when the pod template changes. The owner chain Pod → ReplicaSet → Deployment is what the
 * operator checks before it trusts a pod.
 *
 * <p>A container that exits is started again in its pod, as the kubelet does under the {@code
 * restartPolicy: Always} that every Deployment pod has: the first restart at once, each further one
 * after a back-off of 10 s doubling up to 5 min (CrashLoopBackOff), the back-off forgotten once a
 * container has run for 10 min.
 */
public final class KubeletStandIn implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletStandIn.class);

  /** The label the Deployment controller puts on a ReplicaSet and its pods. */
  static final String POD_TEMPLATE_HASH = "pod-template-hash";

  /** The characters of a generated pod name's suffix, as Kubernetes picks them (no vowels). */
  private static final String NAME_LETTERS = "bcdfghjklmnpqrstvwxz";

  private static final String NAME_CHARACTERS = NAME_LETTERS + "2456789";

  private final KubernetesClient client;
  private final String namespace;
  private final PodRuntime runtime;
  private final Duration syncPeriod;
  private final Map<String, RunningPod> pods = new ConcurrentHashMap<>();
  private final AtomicInteger podStarts = new AtomicInteger();
  private final AtomicInteger containerRestarts = new AtomicInteger();

  /** Places (deployment/template hash/ordinal) whose pod was deleted: their pods get new names. */
  private final Set<String> replaced = ConcurrentHashMap.newKeySet();

  private final SecureRandom random = new SecureRandom();
  private final Object wakeUp = new Object();

  /** A nudge came since the last pass began to wait (guarded by {@link #wakeUp}). */
  private boolean nudged;

  private volatile boolean running;
  private Thread loop;
  private Watch deploymentWatch;

  public KubeletStandIn(
      KubernetesClient client, String namespace, PodRuntime runtime, Duration syncPeriod) {
    this.client = client;
    this.namespace = namespace;
    this.runtime = runtime;
    this.syncPeriod = syncPeriod;
  }

  /**
   * Starts syncing in the background; {@link #syncOnce()} runs one pass in the caller. A pass runs
   * every sync period and at once when a Deployment is written, as the Deployment controller and
   * the kubelet act on watch events: a new gateway's pods waited for the next period before.
   */
  public KubeletStandIn start() {
    running = true;
    deploymentWatch =
        client.apps().deployments().inNamespace(namespace).watch(new NudgeOnEvent<>(this::nudge));
    loop = new Thread(this::syncLoop, "kubelet-stand-in");
    loop.setDaemon(true);
    loop.start();
    return this;
  }

  /** A watch that asks for a sync pass on every event; a closed watch is the periodic pass's. */
  private static final class NudgeOnEvent<T> implements Watcher<T> {
    private final Runnable nudge;

    NudgeOnEvent(Runnable nudge) {
      this.nudge = nudge;
    }

    @Override
    public void eventReceived(Action action, T resource) {
      nudge.run();
    }

    @Override
    public void onClose(WatcherException cause) {
      // the periodic pass still runs: a lost watch only costs the sync period
      LOG.info("kubelet stand-in: Deployment watch closed ({}); syncing every period", cause);
    }
  }

  /** Asks for a sync pass now, as a watch event would. */
  public void nudge() {
    synchronized (wakeUp) {
      nudged = true; // kept when no pass waits: a pass that runs now may have read too early
      wakeUp.notifyAll();
    }
  }

  /** How many pods were started so far (a pod restart counts again). */
  public int podStarts() {
    return podStarts.get();
  }

  /** How many times an exited container was started again in its pod. */
  public int containerRestarts() {
    return containerRestarts.get();
  }

  /** One pass: pods for every Deployment, volumes refreshed, readiness written. */
  public synchronized void syncOnce() {
    Map<String, Deployment> deployments = new LinkedHashMap<>();
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(d -> deployments.put(d.getMetadata().getName(), d));
    stopDeletedPods();
    for (RunningPod pod : List.copyOf(pods.values())) {
      Deployment owner = deployments.get(pod.deployment);
      if (owner == null
          || !pod.templateHash.equals(templateHash(owner))
          || pod.ordinal >= replicas(owner)) {
        stop(pod);
      }
    }
    deleteOutdatedReplicaSets(deployments);
    VolumeSources sources = VolumeSources.read(client, namespace);
    List<Runnable> starts = new ArrayList<>();
    for (Deployment deployment : deployments.values()) {
      ReplicaSet replicaSet = null;
      for (int ordinal = 0; ordinal < replicas(deployment); ordinal++) {
        if (!runs(deployment, ordinal)) {
          replicaSet = replicaSet != null ? replicaSet : replicaSet(deployment);
          ReplicaSet owner = replicaSet;
          String name = podName(deployment, ordinal);
          int place = ordinal;
          starts.add(() -> startPod(deployment, owner, place, name, sources));
        }
      }
    }
    startTogether(starts);
    for (RunningPod pod : pods.values()) {
      restartExitedContainers(pod);
      refreshVolumes(pod, sources);
      publishReadiness(pod);
    }
    for (Deployment deployment : deployments.values()) {
      publishDeploymentStatus(deployment);
    }
  }

  /**
   * Starts pods side by side, as a kubelet's pod workers do: each pod's sandbox, network and
   * containers take a while to set up, and new gateways' pods that waited for each other in turn
   * started a second apart on a busy machine. Returns when all are started; the first failure is
   * thrown then (the others still ran).
   */
  private static void startTogether(List<Runnable> starts) {
    if (starts.size() <= 1) {
      starts.forEach(Runnable::run);
      return;
    }
    List<Thread> threads = new ArrayList<>();
    List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
    for (Runnable start : starts) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.run();
                } catch (RuntimeException e) {
                  failures.add(e);
                }
              },
              "kubelet-stand-in-pod-start");
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while pods start", e);
      }
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  /**
   * Stops the pods whose Pod object was deleted (or replaced by another of the same name), as the
   * kubelet kills the containers of a deleted pod; their ReplicaSet then starts a new pod, under a
   * new name, in the next step of the same pass.
   */
  private void stopDeletedPods() {
    Map<String, String> uids = new LinkedHashMap<>();
    client
        .pods()
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(p -> uids.put(p.getMetadata().getName(), p.getMetadata().getUid()));
    for (RunningPod pod : List.copyOf(pods.values())) {
      if (!pod.uid.equals(uids.get(pod.name))) {
        runtime.stop(
            new PodBuilder()
                .withNewMetadata()
                .withName(pod.name)
                .withNamespace(namespace)
                .endMetadata()
                .build());
        pods.remove(pod.name);
        replaced.add(pod.deployment + "/" + pod.templateHash + "/" + pod.ordinal);
        LOG.info("pod {} was deleted: stopped its containers", pod.name);
      }
    }
  }

  private boolean runs(Deployment deployment, int ordinal) {
    String name = deployment.getMetadata().getName();
    String hash = templateHash(deployment);
    return pods.values().stream()
        .anyMatch(
            p -> p.deployment.equals(name) && p.templateHash.equals(hash) && p.ordinal == ordinal);
  }

  /**
   * The name of a new pod: {@code <replica set>-<ordinal>} for the first pod of its place, and, as
   * the ReplicaSet controller names every pod, {@code <replica set>-<five random characters>} for a
   * pod that replaces a deleted one (see {@link #replacesDeletedPod}).
   */
  private String podName(Deployment deployment, int ordinal) {
    String slot =
        deployment.getMetadata().getName() + "/" + templateHash(deployment) + "/" + ordinal;
    if (!replaced.contains(slot)) {
      return replicaSetName(deployment) + "-" + ordinal;
    }
    StringBuilder suffix = new StringBuilder();
    suffix.append(NAME_LETTERS.charAt(random.nextInt(NAME_LETTERS.length())));
    for (int i = 1; i < 5; i++) {
      suffix.append(NAME_CHARACTERS.charAt(random.nextInt(NAME_CHARACTERS.length())));
    }
    return replicaSetName(deployment) + "-" + suffix;
  }

  /**
   * Whether a pod of this stand-in replaces a deleted pod (its name ends in the ReplicaSet's random
   * suffix rather than an ordinal): such a pod is a new pod in every respect, a new IP included.
   */
  public static boolean replacesDeletedPod(Pod pod) {
    return !pod.getMetadata().getName().matches(".*-\\d+");
  }

  private void syncLoop() {
    while (running) {
      try {
        syncOnce();
      } catch (RuntimeException e) {
        // like the kubelet, keep syncing: one bad pod or a failed request must not stop the rest
        LOG.warn("kubelet stand-in sync failed: {}", e.toString());
      }
      synchronized (wakeUp) {
        try {
          if (!nudged) {
            wakeUp.wait(syncPeriod.toMillis());
          }
          nudged = false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The ReplicaSet of the Deployment's current template, created when missing. */
  private ReplicaSet replicaSet(Deployment deployment) {
    String name = replicaSetName(deployment);
    ReplicaSet existing = client.apps().replicaSets().inNamespace(namespace).withName(name).get();
    if (existing != null) {
      return existing;
    }
    Map<String, String> labels =
        new LinkedHashMap<>(deployment.getSpec().getTemplate().getMetadata().getLabels());
    labels.put(POD_TEMPLATE_HASH, templateHash(deployment));
    ReplicaSet replicaSet =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .withOwnerReferences(controller("apps/v1", "Deployment", deployment.getMetadata()))
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas(deployment))
            .withSelector(deployment.getSpec().getSelector())
            .withTemplate(deployment.getSpec().getTemplate())
            .endSpec()
            .build();
    return client.apps().replicaSets().inNamespace(namespace).resource(replicaSet).create();
  }

  /**
   * Deletes the ReplicaSets of Deployments that are gone or have another template now (there is no
   * garbage collector here; the Deployment controller would scale old ones to zero instead).
   */
  private void deleteOutdatedReplicaSets(Map<String, Deployment> deployments) {
    for (ReplicaSet rs : client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
      String owner =
          rs.getMetadata().getOwnerReferences() == null
              ? null
              : rs.getMetadata().getOwnerReferences().stream()
                  .filter(ref -> "Deployment".equals(ref.getKind()))
                  .map(ref -> ref.getName())
                  .findFirst()
                  .orElse(null);
      if (owner == null) {
        continue; // not one of ours
      }
      Deployment deployment = deployments.get(owner);
      if (deployment == null || !rs.getMetadata().getName().equals(replicaSetName(deployment))) {
        client.apps().replicaSets().inNamespace(namespace).resource(rs).delete();
      }
    }
  }

  private void startPod(
      Deployment deployment,
      ReplicaSet replicaSet,
      int ordinal,
      String name,
      VolumeSources sources) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(replicaSet.getMetadata().getLabels())
            .withAnnotations(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
            .withOwnerReferences(controller("apps/v1", "ReplicaSet", replicaSet.getMetadata()))
            .endMetadata()
            .withSpec(deployment.getSpec().getTemplate().getSpec())
            .build();
    Map<String, Map<String, byte[]>> volumes;
    try {
      volumes = projectAll(pod, sources);
    } catch (MissingVolumeSourceException e) {
      LOG.info("pod {} waits for its volumes: {}", name, e.getMessage());
      return;
    }
    Pod created = client.pods().inNamespace(namespace).resource(pod).createOr(p -> p.update());
    String ip = runtime.start(created, volumes);
    podStarts.incrementAndGet();
    RunningPod running =
        new RunningPod(
            name,
            created.getMetadata().getUid(),
            deployment.getMetadata().getName(),
            ordinal,
            templateHash(deployment),
            ip,
            Instant.now());
    running.volumes.putAll(volumes);
    pods.put(name, running);
    writePodStatus(running, false);
    LOG.info("started pod {} at {}", name, ip);
  }

  private void stop(RunningPod pod) {
    Pod object = client.pods().inNamespace(namespace).withName(pod.name).get();
    runtime.stop(
        object != null
            ? object
            : new PodBuilder()
                .withNewMetadata()
                .withName(pod.name)
                .withNamespace(namespace)
                .endMetadata()
                .build());
    pods.remove(pod.name);
    client.pods().inNamespace(namespace).withName(pod.name).delete();
    LOG.info("stopped pod {}", pod.name);
  }

  private void restartExitedContainers(RunningPod pod) {
    Pod object = client.pods().inNamespace(namespace).withName(pod.name).get();
    if (object == null) {
      return;
    }
    Instant now = Instant.now();
    for (String container : runtime.exitedContainers(object)) {
      RestartBackOff backOff = pod.backOffs.computeIfAbsent(container, c -> new RestartBackOff());
      if (backOff.allows(now)) {
        runtime.restartContainer(object, container);
        backOff.restarted(now);
        containerRestarts.incrementAndGet();
        LOG.info(
            "pod {}: restarted exited container {} (restart {})",
            pod.name,
            container,
            backOff.restarts);
      }
    }
  }

  private void refreshVolumes(RunningPod pod, VolumeSources sources) {
    Pod object = client.pods().inNamespace(namespace).withName(pod.name).get();
    if (object == null) {
      return;
    }
    Map<String, Map<String, byte[]>> current;
    try {
      current = projectAll(object, sources);
    } catch (MissingVolumeSourceException e) {
      return; // the kubelet keeps the last good content
    }
    current.forEach(
        (volume, files) -> {
          if (!sameFiles(files, pod.volumes.get(volume))) {
            runtime.updateVolume(object, volume, files);
            pod.volumes.put(volume, files);
          }
        });
  }

  private void publishReadiness(RunningPod pod) {
    Pod object = client.pods().inNamespace(namespace).withName(pod.name).get();
    boolean ready = object != null && runtime.isReady(object);
    if (ready != pod.ready) {
      writePodStatus(pod, ready);
    }
  }

  private void writePodStatus(RunningPod pod, boolean ready) {
    Pod object = client.pods().inNamespace(namespace).withName(pod.name).get();
    if (object == null) {
      return;
    }
    object.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(pod.ip)
            .withStartTime(pod.startedAt.toString())
            .withConditions(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus(ready ? "True" : "False")
                    .withLastTransitionTime(Instant.now().toString())
                    .build())
            .build());
    client.pods().inNamespace(namespace).resource(object).updateStatus();
    pod.ready = ready;
  }

  private void publishDeploymentStatus(Deployment deployment) {
    String name = deployment.getMetadata().getName();
    int total = (int) pods.values().stream().filter(p -> p.deployment.equals(name)).count();
    int ready =
        (int) pods.values().stream().filter(p -> p.deployment.equals(name) && p.ready).count();
    var status =
        new DeploymentStatusBuilder()
            .withReplicas(total)
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withUpdatedReplicas(total)
            .withObservedGeneration(deployment.getMetadata().getGeneration())
            .build();
    if (!status.equals(deployment.getStatus())) {
      deployment.setStatus(status);
      client.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
    }
  }

  private Map<String, Map<String, byte[]>> projectAll(Pod pod, VolumeSources sources) {
    Map<String, Map<String, byte[]>> volumes = new LinkedHashMap<>();
    List<Volume> declared =
        pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    for (Volume volume : declared) {
      VolumeProjections.payload(volume, sources.configMaps()::get, sources.secrets()::get)
          .ifPresent(files -> volumes.put(volume.getName(), files));
    }
    return volumes;
  }

  /**
   * The namespace's ConfigMaps and Secrets as one pass sees them: read with one list each, as a
   * kubelet projects from its watch caches. A gateway pod's volume names every possible shard as an
   * optional source (64), and reading each by name cost 130 requests a pass (every 250 ms) for two
   * gateways, which the API server and the pods' start paid in CPU (issue 17).
   */
  private record VolumeSources(Map<String, ConfigMap> configMaps, Map<String, Secret> secrets) {
    static VolumeSources read(KubernetesClient client, String namespace) {
      Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
      client
          .configMaps()
          .inNamespace(namespace)
          .list()
          .getItems()
          .forEach(c -> configMaps.put(c.getMetadata().getName(), c));
      Map<String, Secret> secrets = new LinkedHashMap<>();
      client
          .secrets()
          .inNamespace(namespace)
          .list()
          .getItems()
          .forEach(c -> secrets.put(c.getMetadata().getName(), c));
      return new VolumeSources(configMaps, secrets);
    }
  }

  private static boolean sameFiles(Map<String, byte[]> a, Map<String, byte[]> b) {
    if (b == null || !a.keySet().equals(b.keySet())) {
      return false;
    }
    return a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
  }

  private static int replicas(Deployment deployment) {
    Integer replicas = deployment.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  private static String replicaSetName(Deployment deployment) {
    return deployment.getMetadata().getName() + "-" + templateHash(deployment);
  }

  private static OwnerReference controller(String apiVersion, String kind, ObjectMeta owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withName(owner.getName())
        .withUid(owner.getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Like the pod-template-hash label: a new template means new pods. */
  static String templateHash(Deployment deployment) {
    try {
      byte[] json =
          io.fabric8.kubernetes.client.utils.Serialization.asJson(
                  deployment.getSpec().getTemplate())
              .getBytes(StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    running = false;
    if (deploymentWatch != null) {
      deploymentWatch.close();
    }
    nudge();
    if (loop != null) {
      try {
        loop.join(syncPeriod.toMillis() + 5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      for (RunningPod pod : new ArrayList<>(pods.values())) {
        try {
          stop(pod);
        } catch (KubernetesClientException e) {
          runtime.stop(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(pod.name)
                  .withNamespace(namespace)
                  .endMetadata()
                  .build());
          pods.remove(pod.name);
        }
      }
    }
  }

  private static final class RunningPod {
    final String name;
    final String uid;
    final String deployment;
    final int ordinal;
    final String templateHash;
    final String ip;
    final Instant startedAt;
    final Map<String, Map<String, byte[]>> volumes = new LinkedHashMap<>();
    final Map<String, RestartBackOff> backOffs = new LinkedHashMap<>();
    volatile boolean ready;

    RunningPod(
        String name,
        String uid,
        String deployment,
        int ordinal,
        String templateHash,
        String ip,
        Instant startedAt) {
      this.name = Objects.requireNonNull(name);
      this.uid = Objects.requireNonNull(uid);
      this.deployment = deployment;
      this.ordinal = ordinal;
      this.templateHash = templateHash;
      this.ip = ip;
      this.startedAt = startedAt;
    }
  }

  /** The kubelet's per-container restart back-off. */
  private static final class RestartBackOff {
    static final Duration INITIAL = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(5);
    static final Duration RESET_AFTER = Duration.ofMinutes(10);

    int restarts;
    Instant lastRestart;
    Duration delay = Duration.ZERO;

    boolean allows(Instant now) {
      return lastRestart == null || !now.isBefore(lastRestart.plus(delay));
    }

    void restarted(Instant now) {
      if (lastRestart != null && !now.isBefore(lastRestart.plus(RESET_AFTER))) {
        delay = Duration.ZERO; // ran long enough: a new crash is a first crash again
      }
      delay = delay.isZero() ? INITIAL : min(delay.multipliedBy(2), MAX);
      lastRestart = now;
      restarts++;
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }
  }
}
