package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.wire.AgentState;
import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.agent.wire.StateSnapshot;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.CertificateRequest;
import dev.ipsec.operator.pki.IssuedCertificate;
import dev.ipsec.operator.pki.PeerVerifier;
import dev.ipsec.operator.pki.TlsContexts;
import dev.ipsec.operator.reconcile.OperatorHarness;
import dev.ipsec.operator.reconcile.OwnedPods;
import dev.ipsec.operator.reconcile.TestResources;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.gateway.GatewayObjects;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.status.Conditions;
import dev.ipsec.operator.threads.CommonPoolParallelism;
import dev.ipsec.operator.threads.DaemonThreads;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag {@code benchmark}, excluded by default). Run with
 *
 * <pre>mvn -B -o -ntp -pl operator -am test -Pbenchmark -Dtest=GatewayFleetStatusBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * (add {@code -Dfleet.gateways=100} for another fleet size). The real operator, reconcilers
 * included, on the mock API server with {@value #DEFAULT_GATEWAYS} IpsecGlobals of {@value #PODS}
 * ready pods each and two IpsecPeers per gateway. A gateway runs one replica ({@code
 * spec.gateway.replicas} may only be 0 or 1), so its two pods are those of a rollout with {@code
 * maxSurge} 1: both under one ReplicaSet of the operator's Deployment, each Ready with a {@code
 * status.podIP} of its own in 127.1/16 (Linux routes all of 127/8 to the loopback interface). Every
 * pod's agent is a real HTTPS long-poll server on its pod's address and the operator's one agent
 * port, with a certificate the operator's CA issued for the gateway, all on one event loop ({@link
 * FleetAgents}; {@code -Dfleet.fakeAgents=jdk}: the JDK's server each, {@link LongPollAgent}, three
 * threads a pod, as before). Pod {@code p} of a gateway holds the SA of the gateway's peer {@code
 * p}, and loads the configuration revision the operator announces on the pod.
 *
 * <p>Once every peer is established and every gateway loaded and ready, nothing changes for {@value
 * #QUIET_SECONDS} s (the status writes then should be none), then each pod's SA goes down or comes
 * up every {@code fleet.changeEverySeconds} s (default {@value #DEFAULT_CHANGE_EVERY}), staggered
 * so that the two pods of a gateway change half a period apart. A watch on IpsecPeers and one on
 * IpsecGlobals, with a client of their own, take the time on receipt of the status that shows the
 * change: the peer's {@code Established}, the gateway's {@code peers.established}. Prints p50, p99
 * and max of both, the operator's threads (new since its start, named by group; without the fake
 * agents', the mock API server's and the watching client's) and the heap after GC (the whole JVM's,
 * mock API server and fakes included, so an upper bound; and its growth since just before the
 * operator started). Targets (issue 17): p99 at most 2 s, threads independent of the gateway count,
 * heap at most 512 MiB. Also prints figures that the machine's load does not move: how many
 * IpsecGlobal reconciles went the full way and how many wrote the status alone, the CPU time and
 * the heap allocated per change by thread group (the operator, the mock API server, the fake
 * agents, the watching client; GC and JIT as the process's CPU no thread has), and whether the
 * machine was saturated (the cores the JVM got, the load average), so that a p99 is read for what
 * it is. {@code -Dfleet.gatewayStatusEveryMs=0} turns the operator's coalescing of a gateway's
 * report-started reconciles off, for a comparison. Where a change waits, for each kind: change to
 * the operator's store, store to the status write's arrival at the server (the operator's queue,
 * coalescing and reconcile), write to the watch ({@link ChangeStages}, the writes read by {@link
 * StatusWriteTrace} in front of the store), with the server's answer time; the status writes by
 * answer (a 409 sends JOSDK's {@code PrimaryUpdateAndCacheUtils} to wait for the informer and write
 * again); JOSDK's reconciles by controller, their mean time and the most waiting at once; the
 * threads the JVM started while changing. The only assertion is that changes reached the status.
 */
@Tag("benchmark")
class GatewayFleetStatusBenchmark {

  static final int DEFAULT_GATEWAYS = 500;
  static final int DEFAULT_CHANGE_EVERY = 5;
  static final int GATEWAYS = Integer.getInteger("fleet.gateways", DEFAULT_GATEWAYS);
  static final int PODS = 2;
  static final int CHANGE_EVERY_SECONDS =
      Integer.getInteger("fleet.changeEverySeconds", DEFAULT_CHANGE_EVERY);

  /**
   * {@code -Dfleet.gatewayStatusEveryMs}: the operator's least time between two report-started
   * reconciles of a gateway; unset, the operator's default; 0 gives one per report (as before issue
   * 17's fleet3 step), for a comparison in the same hour.
   */
  static final Duration GATEWAY_STATUS_EVERY =
      Duration.ofMillis(
          Long.getLong(
              "fleet.gatewayStatusEveryMs", AgentPolling.DEFAULT_GATEWAY_STATUS_EVERY.toMillis()));

  /**
   * {@code -Dfleet.fakeAgents=jdk}: each agent on the JDK's HTTPS server ({@link LongPollAgent},
   * three threads a pod), as before issue 17's fleet3 step; else all on one event loop ({@link
   * FleetAgents}).
   */
  static final boolean JDK_AGENTS = "jdk".equals(System.getProperty("fleet.fakeAgents"));

  /**
   * Whether {@link CompletableFuture}'s asynchronous steps run in the common pool, as in the
   * operator's JVM ({@code ipsec-operator run} calls {@link CommonPoolParallelism#atLeastTwo} first
   * thing); {@code -Dfleet.commonPool=jdk} leaves the JDK's choice, a new thread per step on 2
   * cores, for a comparison. Decided before the harness or the operator use the pool.
   */
  static final boolean COMMON_POOL =
      "jdk".equals(System.getProperty("fleet.commonPool"))
          ? new CompletableFuture<Void>().defaultExecutor() instanceof ForkJoinPool
          : CommonPoolParallelism.atLeastTwo();

  static final int QUIET_SECONDS = 10;
  static final Duration MEASURE = Duration.ofSeconds(30);
  static final Duration SETUP_LIMIT = Duration.ofMinutes(20);
  static final String NS = OperatorHarness.NS;

  /** A thread name with its numbers taken out: the group it belongs to. */
  private static final Pattern NUMBERS = Pattern.compile("\\d+");

  private static final Pattern HTTP_CLIENT = Pattern.compile("^HttpClient-(\\d+)-");

  /** One change not yet seen in the status: what the status must show, and since when. */
  private record Pending(long value, long at) {}

  @Test
  void agentStateChangesReachTheStatusOfFiveHundredGateways() throws Exception {
    long t0 = System.nanoTime();
    List<LongPollAgent> agents = new ArrayList<>();
    ExecutorService handlers = Executors.newCachedThreadPool(DaemonThreads.named("fake-agent"));
    FleetAgents fleetAgents = JDK_AGENTS ? null : new FleetAgents();
    ScheduledExecutorService changer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fake-agent-changer"));
    List<Watch> watches = new ArrayList<>();
    StatusWriteTrace[] statusWrites = new StatusWriteTrace[1];
    try (OperatorHarness k8s =
        new OperatorHarness(store -> statusWrites[0] = new StatusWriteTrace(store))) {
      CertificateAuthority ca =
          OperatorHarness.settings().caSecret().loadOrCreate(k8s.client, Clock.systemUTC());
      k8s.create(TestResources.ikeGroup("ike", 14));
      k8s.create(TestResources.espGroup("esp"));
      k8s.create(TestResources.pskSecret("psk", "fleet-benchmark-psk"));
      for (int g = 0; g < GATEWAYS; g++) {
        k8s.create(gateway(gatewayName(g)));
        for (int p = 0; p < PODS; p++) {
          k8s.create(
              TestResources.pskPeer(
                  peerName(g, p), gatewayName(g), "ike", "esp", "psk", g * PODS + p));
        }
      }
      log(t0, "%d IpsecGlobals and %d IpsecPeers in the API server", GATEWAYS, GATEWAYS * PODS);

      // the agents: each on its pod's address and the one agent port of the operator's settings
      AgentStateDocument recorded = AgentDocuments.fixture("established");
      int port = freePort(podIp(0));
      // what each pod's agent serves from now on
      Map<String, Consumer<AgentState>> byPod = new HashMap<>();
      Map<String, FleetPod> pods = new TreeMap<>();
      PeerVerifier operatorClients =
          PeerVerifier.operatorClients(ca::certificate, Clock.systemUTC());
      for (int g = 0; g < GATEWAYS; g++) {
        IssuedCertificate certificate =
            ca.issue(CertificateRequest.agent(NS, gatewayName(g), List.of()), Clock.systemUTC());
        SSLContext context = TlsContexts.create(certificate, operatorClients);
        for (int p = 0; p < PODS; p++) {
          FleetPod pod = new FleetPod(g, p, recorded);
          InetSocketAddress address =
              new InetSocketAddress(InetAddress.getByName(podIp(pod.index)), port);
          if (JDK_AGENTS) {
            LongPollAgent agent =
                LongPollAgent.start(context, handlers, pod.name, address, pod.state());
            agents.add(agent);
            byPod.put(pod.name, agent::publish);
          } else {
            byPod.put(
                pod.name,
                fleetAgents.start(pod.name, address, certificate, operatorClients, pod.state())
                    ::publish);
          }
          pods.put(pod.name, pod);
        }
      }
      log(
          t0,
          "%d agents listening on 127.1.x.y:%d (%s)",
          byPod.size(),
          port,
          JDK_AGENTS ? "the JDK's HTTPS server each" : "one event loop");

      // the watching side: a client of its own, so its threads are not counted as the operator's
      Set<String> clientsBefore = httpClientIds();
      // fabric8 names an HTTP client's threads after its factory's identity: a factory of its own
      // tells the watching client's threads from the operator's client's
      HttpClient.Factory watchingHttp =
          (HttpClient.Factory)
              Class.forName("io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory")
                  .getDeclaredConstructor()
                  .newInstance();
      String watchingThreads =
          "JdkHttpClientFactory-" + System.identityHashCode(watchingHttp) + "-";
      KubernetesClient watcher =
          new KubernetesClientBuilder()
              .withConfig(k8s.client.getConfiguration())
              .withHttpClientFactory(watchingHttp)
              .build();
      Map<String, Pending> peerPending = new ConcurrentHashMap<>();
      Map<String, Deque<Pending>> gatewayPending = new ConcurrentHashMap<>();
      List<Long> peerLatencies = Collections.synchronizedList(new ArrayList<>());
      List<Long> gatewayLatencies = Collections.synchronizedList(new ArrayList<>());
      AtomicLong peerWrites = new AtomicLong();
      AtomicLong gatewayWrites = new AtomicLong();
      // where a change's time goes: the operator's store, its status write at the server, the watch
      ChangeStages peerStages = new ChangeStages();
      ChangeStages gatewayStages = new ChangeStages();
      List<Long> peerAnswers = Collections.synchronizedList(new ArrayList<>());
      List<Long> gatewayAnswers = Collections.synchronizedList(new ArrayList<>());
      statusWrites[0].listen(
          (plural, name, arrived, answered) -> {
            if (plural.equals("ipsecpeers")) {
              peerAnswers.add(answered - arrived);
              peerStages.written(name, arrived);
            } else {
              gatewayAnswers.add(answered - arrived);
              gatewayStages.written(name, arrived);
            }
          });
      watches.add(
          watcher
              .resources(IpsecPeer.class)
              .inNamespace(NS)
              .watch(
                  onModified(
                      peer -> {
                        long now = System.nanoTime();
                        peerWrites.incrementAndGet();
                        if (peer.getStatus() == null) {
                          return;
                        }
                        long established = established(peer);
                        String name = peer.getMetadata().getName();
                        peerStages.seen(name, established, now);
                        Pending pending = peerPending.get(name);
                        if (pending != null
                            && pending.value() == established
                            && peerPending.remove(name, pending)) {
                          peerLatencies.add(now - pending.at());
                        }
                      })));
      watches.add(
          watcher
              .resources(IpsecGlobal.class)
              .inNamespace(NS)
              .watch(
                  onModified(
                      gw -> {
                        long now = System.nanoTime();
                        gatewayWrites.incrementAndGet();
                        Integer established = peersEstablished(gw);
                        if (established == null) {
                          return;
                        }
                        gatewayStages.seen(gw.getMetadata().getName(), established, now);
                        Deque<Pending> queue = gatewayPending.get(gw.getMetadata().getName());
                        if (queue == null) {
                          return;
                        }
                        synchronized (queue) {
                          // the newest change this status shows; older ones it shows too
                          Pending newest = null;
                          for (Pending p : queue) {
                            if (p.value() == established) {
                              newest = p;
                            }
                          }
                          while (newest != null && !queue.isEmpty()) {
                            Pending p = queue.removeFirst();
                            gatewayLatencies.add(now - p.at());
                            if (p == newest) {
                              break;
                            }
                          }
                        }
                      })));
      Set<String> watcherClients = httpClientIds();
      watcherClients.removeAll(clientsBefore);

      // the operator
      Set<Long> threadsBefore = threadIds();
      long heapBefore = heapAfterGc();
      GatewayDefaults defaults = GatewayDefaults.defaults();
      SimpleMeterRegistry metrics = new SimpleMeterRegistry();
      k8s.start(
          OperatorHarness.settings()
              .withMetrics(metrics)
              .withGateway(defaults.withAgentPorts(port, defaults.agentMetricsPort()))
              .withAgentPolling(
                  new AgentPolling(
                          true,
                          Duration.ofSeconds(30),
                          Duration.ofSeconds(30),
                          Duration.ofSeconds(1))
                      .withGatewayStatusEvery(GATEWAY_STATUS_EVERY)));
      long operatorStarted = System.nanoTime();
      log(t0, "operator started");
      k8s.operator()
          .gatewayStates()
          .addListener(
              change -> {
                long now = System.nanoTime();
                gatewayStages.reported(change.gateway().name(), now);
                // a connection is named after its peer here
                change.connections().forEach(c -> peerStages.reported(c, now));
              });

      // the Deployment controller's part: a ReplicaSet and the pods once a Deployment exists
      Set<String> podsCreated = new HashSet<>();
      long deadline = System.nanoTime() + SETUP_LIMIT.toNanos();
      long nextLog = 0;
      while (podsCreated.size() < pods.size() && System.nanoTime() < deadline) {
        List<Deployment> deployments =
            k8s.client.apps().deployments().inNamespace(NS).list().getItems();
        if (System.nanoTime() > nextLog) {
          log(
              t0,
              "%d Deployments written, %d pods created",
              deployments.size(),
              podsCreated.size());
          if (deployments.isEmpty()) {
            IpsecGlobal first =
                k8s.client.resources(IpsecGlobal.class).inNamespace(NS).withName("gw-0").get();
            log(t0, "gw-0's status: %s", k8s.json.asJson(first.getStatus()));
          }
          nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        }
        for (Deployment d : deployments) {
          String gateway = d.getMetadata().getLabels().get(Labels.GATEWAY);
          if (gateway == null || podsCreated.contains(podName(gatewayIndex(gateway), 0))) {
            continue;
          }
          int g = gatewayIndex(gateway);
          ReplicaSet rs = OwnedPods.replicaSet(k8s, d, gateway, gateway + "-gateway-rs");
          for (int p = 0; p < PODS; p++) {
            FleetPod pod = pods.get(podName(g, p));
            OwnedPods.create(k8s, rs, gateway, pod.name, podIp(pod.index));
            podsCreated.add(pod.name);
          }
        }
        Thread.sleep(1000);
      }
      log(t0, "%d pods created, %d Deployments", podsCreated.size(), podsCreated.size() / PODS);

      // the kubelet's and the agents' part: each agent loads the revision announced on its pod
      long steadySince = 0;
      while (System.nanoTime() < deadline) {
        for (Pod pod : k8s.client.pods().inNamespace(NS).list().getItems()) {
          Map<String, String> annotations = pod.getMetadata().getAnnotations();
          String revision = annotations == null ? null : annotations.get(Labels.CONFIG_REVISION);
          FleetPod fleetPod = pods.get(pod.getMetadata().getName());
          if (revision != null && fleetPod != null && !revision.equals(fleetPod.configRevision)) {
            fleetPod.configRevision = revision;
            byPod.get(fleetPod.name).accept(fleetPod.state());
          }
        }
        Steady steady = steady(k8s);
        log(t0, "waiting for the steady state: %s", steady);
        if (steady.all()) {
          steadySince = System.nanoTime();
          break;
        }
        Thread.sleep(5000);
      }
      assertThat(steadySince).as("every peer established, every gateway loaded").isPositive();
      double setupSeconds = (steadySince - operatorStarted) / 1e9;

      // nothing changes: nothing should be written
      long peerWritesBefore = peerWrites.get();
      long gatewayWritesBefore = gatewayWrites.get();
      Thread.sleep(TimeUnit.SECONDS.toMillis(QUIET_SECONDS));
      long quietPeerWrites = peerWrites.get() - peerWritesBefore;
      long quietGatewayWrites = gatewayWrites.get() - gatewayWritesBefore;

      // the SAs go down and come up
      long periodNanos = TimeUnit.SECONDS.toNanos(CHANGE_EVERY_SECONDS);
      AtomicLong changes = new AtomicLong();
      AtomicLong peerSuperseded = new AtomicLong();
      for (FleetPod pod : pods.values()) {
        Consumer<AgentState> agent = byPod.get(pod.name);
        String gateway = gatewayName(pod.gateway);
        Deque<Pending> queue = gatewayPending.computeIfAbsent(gateway, g -> new ArrayDeque<>());
        long offset = periodNanos * ((long) pod.pod * GATEWAYS + pod.gateway) / pods.size();
        changer.scheduleAtFixedRate(
            () -> {
              long established;
              synchronized (pods) {
                pod.up = !pod.up;
                established =
                    pods.values().stream()
                        .filter(other -> other.gateway == pod.gateway && other.up)
                        .count();
              }
              long now = System.nanoTime();
              if (peerPending.put(pod.peer, new Pending(pod.up ? 1 : 0, now)) != null) {
                peerSuperseded.incrementAndGet();
              }
              peerStages.made(pod.peer, pod.up ? 1 : 0, now);
              synchronized (queue) {
                queue.addLast(new Pending(established, now));
              }
              gatewayStages.made(gateway, established, now);
              changes.incrementAndGet();
              agent.accept(pod.state());
            },
            offset,
            periodNanos,
            TimeUnit.NANOSECONDS);
      }
      long measuring = System.nanoTime();
      peerWritesBefore = peerWrites.get();
      gatewayWritesBefore = gatewayWrites.get();
      double fullBefore = gatewayReconciles(metrics, "full");
      double statusOnlyBefore = gatewayReconciles(metrics, "status");
      double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      long processCpuBefore = processCpuNanos();
      long gcBefore = gcMillis();
      Map<Long, ThreadUsage> usageBefore = threadUsage();
      long threadsStartedBefore = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
      Map<String, Long> statusWritesBefore = statusWrites[0].counts();
      Map<String, double[]> reconcileTimesBefore = reconcileTimes(metrics);
      Map<String, Double> queuedMost = new ConcurrentHashMap<>();
      // threads that end during the window keep their last sample
      Map<Long, ThreadUsage> usageLatest = new ConcurrentHashMap<>(usageBefore);
      ScheduledExecutorService sampler =
          Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("benchmark-sampler"));
      sampler.scheduleAtFixedRate(
          () -> {
            usageLatest.putAll(threadUsage());
            reconcilesQueued(metrics).forEach((k, v) -> queuedMost.merge(k, v, Math::max));
          },
          1,
          1,
          TimeUnit.SECONDS);
      Thread.sleep(MEASURE.toMillis());
      changer.shutdownNow();
      changer.awaitTermination(5, TimeUnit.SECONDS);
      long changed = changes.get();
      Thread.sleep(5000); // let the last changes arrive
      long measured = System.nanoTime();
      long writesOfPeers = peerWrites.get() - peerWritesBefore;
      long writesOfGateways = gatewayWrites.get() - gatewayWritesBefore;
      double fullReconciles = gatewayReconciles(metrics, "full") - fullBefore;
      double statusOnlyReconciles = gatewayReconciles(metrics, "status") - statusOnlyBefore;
      long processCpu = processCpuNanos() - processCpuBefore;
      long gcWindow = gcMillis() - gcBefore;
      long threadsStarted =
          ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - threadsStartedBefore;
      Map<String, Long> statusWritesInWindow = statusWrites[0].counts();
      statusWritesBefore.forEach((k, v) -> statusWritesInWindow.merge(k, -v, Long::sum));
      Map<String, double[]> reconcileTimesInWindow = reconcileTimes(metrics);
      sampler.shutdownNow();
      sampler.awaitTermination(5, TimeUnit.SECONDS);
      usageLatest.putAll(threadUsage());

      Map<String, Integer> operatorThreads =
          operatorThreads(
              threadsBefore, watcherClients, httpClientIdsAmong(threadsBefore), watchingThreads);
      int threadCount = operatorThreads.values().stream().mapToInt(Integer::intValue).sum();
      Set<Long> operatorThreadIds =
          operatorThreadList(
                  threadsBefore, watcherClients, httpClientIdsAmong(threadsBefore), watchingThreads)
              .stream()
              .map(Thread::getId)
              .collect(Collectors.toSet());
      Map<String, Long> cpuByGroup = new TreeMap<>();
      Map<String, Long> allocatedByGroup = new TreeMap<>();
      Map<String, Long> otherCpu = new TreeMap<>();
      long threadsCpu = 0;
      for (Map.Entry<Long, ThreadUsage> e : usageLatest.entrySet()) {
        ThreadUsage last = e.getValue();
        ThreadUsage first = usageBefore.getOrDefault(e.getKey(), new ThreadUsage(last.name, 0, 0));
        long used = Math.max(0, last.cpu - first.cpu);
        String group =
            cpuGroup(
                last.name, operatorThreadIds.contains(e.getKey()), watcherClients, watchingThreads);
        cpuByGroup.merge(group, used, Long::sum);
        allocatedByGroup.merge(group, Math.max(0, last.allocated - first.allocated), Long::sum);
        if (group.equals(OTHER) && used > 0) {
          otherCpu.merge(NUMBERS.matcher(last.name).replaceAll("N"), used, Long::sum);
        }
        threadsCpu += used;
      }
      // GC and the JIT compilers are no Java thread's, nor a thread that came and went unsampled
      cpuByGroup.put(JVM_ITSELF, Math.max(0, processCpu - threadsCpu));
      long operatorCpu = cpuByGroup.getOrDefault(OPERATOR, 0L);
      long heap = heapAfterGc();
      int unseenGateways = gatewayPending.values().stream().mapToInt(Deque::size).sum();

      List<Long> peers = sorted(peerLatencies);
      List<Long> gateways = sorted(gatewayLatencies);
      assertThat(peers).as("agent state changes that reached a peer's status").isNotEmpty();
      assertThat(gateways).as("agent state changes that reached a gateway's status").isNotEmpty();
      System.out.printf(
          "%n=== GatewayFleetStatusBenchmark: %d gateways x %d pods, %d peers, the real operator"
              + " on the mock API server (load average at the end %.1f on %d cores) ===%n",
          GATEWAYS,
          PODS,
          GATEWAYS * PODS,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          "setup: every peer established and every gateway loaded and ready %.1f s after the"
              + " operator started; CompletableFuture's asynchronous steps (each HTTP response)"
              + " %s%n",
          setupSeconds,
          COMMON_POOL
              ? "in the common pool of " + ForkJoinPool.getCommonPoolParallelism() + " threads"
              : "in a new thread each (the JDK's choice on 2 cores, -Dfleet.commonPool=jdk)");
      System.out.printf(
          "no agent change for %d s: %d peer and %d gateway status writes (should be 0)%n",
          QUIET_SECONDS, quietPeerWrites, quietGatewayWrites);
      System.out.printf(
          "agent changes: %d in %.0f s (%.0f/s, each pod every %d s; a gateway's reports"
              + " reconcile it at most every %d ms); status writes seen: %d of peers, %d of"
              + " gateways%n",
          changed,
          (measured - measuring) / 1e9 - 5,
          (double) pods.size() / CHANGE_EVERY_SECONDS,
          CHANGE_EVERY_SECONDS,
          GATEWAY_STATUS_EVERY.toMillis(),
          writesOfPeers,
          writesOfGateways);
      System.out.printf(
          "IpsecGlobal reconciles while changing: %.0f full (render, plan, compare every owned"
              + " object), %.0f status only; %.2f full per change%n",
          fullReconciles, statusOnlyReconciles, fullReconciles / Math.max(1, changed));
      System.out.printf(
          "CPU per agent change: %.2f ms in the operator's threads (reconcilers, poller, its"
              + " client), %.2f ms in the whole JVM (mock API server, fakes and watches"
              + " included)%n",
          operatorCpu / 1e6 / Math.max(1, changed), processCpu / 1e6 / Math.max(1, changed));
      System.out.printf(
          "CPU per agent change by thread group: %s; unattributed threads: %s%n",
          perChange(cpuByGroup, changed), perChange(otherCpu, changed));
      System.out.printf(
          "heap allocated per agent change by thread group (KiB): %s; GC pauses and cycles %d ms"
              + " in the window (%.2f ms per change)%n",
          allocatedByGroup.entrySet().stream()
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .map(
                  e ->
                      String.format(
                          "%s %.0f", e.getKey(), e.getValue() / 1024.0 / Math.max(1, changed)))
              .collect(Collectors.joining(", ")),
          gcWindow,
          (double) gcWindow / Math.max(1, changed));
      double windowSeconds = (measured - measuring) / 1e9;
      double changesPerSecond = (double) pods.size() / CHANGE_EVERY_SECONDS;
      int cores = Runtime.getRuntime().availableProcessors();
      double loadEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      double gotCores = processCpu / 1e9 / windowSeconds;
      // the JVM alone fills the cores, or other processes compete for them
      boolean saturated = gotCores >= 0.8 * cores || loadEnd >= cores;
      System.out.printf(
          "saturation: at %.0f changes/s this JVM used %.2f ms of CPU per change made and %.2f ms"
              + " per status write seen, %.2f cores on average over the %.0f s window, of %d"
              + " (changes merged while waiting make the first figure a floor of its demand);"
              + " load average %.1f at the start of the changes, %.1f at the end: %s%n",
          changesPerSecond,
          processCpu / 1e6 / Math.max(1, changed),
          processCpu / 1e6 / Math.max(1, writesOfPeers + writesOfGateways),
          gotCores,
          windowSeconds,
          cores,
          loadAtStart,
          loadEnd,
          !saturated
              ? "not saturated"
              : gotCores >= 0.8 * cores
                  ? "SATURATED by this JVM alone (the latencies below include waiting for a core;"
                      + " a lower rate, -Dfleet.changeEverySeconds=20, shows the operator's own)"
                  : "SATURATED by other processes (load average at least the cores: the latencies"
                      + " below include waiting for a core; repeat on a quiet machine)");
      printLatency(
          "agent state change -> IpsecPeer status (Established) received by a watch",
          peers,
          peerPending.size() + peerSuperseded.get());
      printLatency(
          "agent state change -> IpsecGlobal status (peers.established) received by a watch",
          gateways,
          unseenGateways);
      System.out.printf(
          "where a change waits, IpsecPeer: %s; the server's answer to a status write p50 %.1f"
              + " ms, p99 %.1f ms%n"
              + "where a change waits, IpsecGlobal: %s; the server's answer to a status write p50"
              + " %.1f ms, p99 %.1f ms%n",
          peerStages.summary(),
          percentileOrNaN(sorted(peerAnswers), 50) / 1e6,
          percentileOrNaN(sorted(peerAnswers), 99) / 1e6,
          gatewayStages.summary(),
          percentileOrNaN(sorted(gatewayAnswers), 50) / 1e6,
          percentileOrNaN(sorted(gatewayAnswers), 99) / 1e6);
      System.out.printf(
          "status writes at the server while changing, by kind and answer (409: a stale"
              + " resourceVersion, written again once the informer shows a newer one): %s%n",
          statusWritesInWindow);
      System.out.printf(
          "JOSDK reconciles while changing, by controller (count, mean and the most at once"
              + " submitted and not finished, sampled each second): %s%n",
          reconcileSummary(reconcileTimesBefore, reconcileTimesInWindow, queuedMost));
      System.out.printf(
          "operator threads: %d (target: independent of the gateway count), by group: %s;"
              + " threads started in the JVM while changing: %d (%.2f per change)%n",
          threadCount,
          operatorThreads,
          threadsStarted,
          (double) threadsStarted / Math.max(1, changed));
      System.out.printf(
          "heap after GC: %d MiB for the whole JVM, mock API server and %d fake agents included"
              + " (target <= 512 MiB: %s); %+d MiB since just before the operator started%n%n",
          heap / (1024 * 1024),
          byPod.size(),
          heap <= 512L * 1024 * 1024 ? "met" : "MISSED",
          (heap - heapBefore) / (1024 * 1024));
      watches.forEach(Watch::close);
      watcher.close();
    } finally {
      changer.shutdownNow();
      watches.forEach(Watch::close);
      agents.forEach(LongPollAgent::close);
      handlers.shutdownNow();
      if (fleetAgents != null) {
        fleetAgents.close();
      }
    }
  }

  /**
   * A fleet pod: pod {@code p} of gateway {@code g} holds the SA of the gateway's peer {@code p}.
   */
  private static final class FleetPod {

    final int gateway;
    final int pod;
    final int index;
    final String name;
    final String peer;
    final List<String> peers;
    final StateSnapshot.ConnectionState upState;
    final AgentState recorded;
    volatile boolean up = true;
    volatile String configRevision;
    private long saRevision = 1;

    FleetPod(int gateway, int pod, AgentStateDocument recorded) {
      this.gateway = gateway;
      this.pod = pod;
      this.index = gateway * PODS + pod;
      this.name = podName(gateway, pod);
      this.peer = peerName(gateway, pod);
      List<String> all = new ArrayList<>();
      for (int p = 0; p < PODS; p++) {
        all.add(peerName(gateway, p));
      }
      this.peers = List.copyOf(all);
      this.recorded = recorded.state();
      StateSnapshot.ConnectionState c = recorded.state().sas().connections().get("peer-b");
      StateSnapshot.ChildSaState child = c.children().get("peer-b-tunnel-1");
      this.upState =
          new StateSnapshot.ConnectionState(
              c.ikeSa(),
              Map.of(peer + "-tunnel-1", child),
              c.childrenInstalled(),
              c.deadPeerDetection(),
              c.rekeys(),
              c.lastFailure());
    }

    /** What the agent reports: both peers loaded, the SA of its own peer up or gone. */
    synchronized AgentState state() {
      saRevision++;
      return new AgentState(
          AgentDocuments.loader(
              configRevision,
              peers.stream().map(AgentDocuments::loaded).toList(),
              Map.of(),
              Map.of()),
          null,
          recorded.charon(),
          new StateSnapshot(saRevision, Instant.now(), up ? Map.of(peer, upState) : Map.of()));
    }
  }

  /** How far the fleet is from its steady state. */
  private record Steady(int peers, int peersEstablished, int gateways, int gatewaysSteady) {
    boolean all() {
      return peersEstablished == GATEWAYS * PODS && gatewaysSteady == GATEWAYS;
    }

    @Override
    public String toString() {
      return peersEstablished
          + " of "
          + peers
          + " peers established and loaded, "
          + gatewaysSteady
          + " of "
          + gateways
          + " gateways with all peers up, loaded and ready";
    }
  }

  private static Steady steady(OperatorHarness k8s) {
    List<IpsecPeer> peers = k8s.client.resources(IpsecPeer.class).inNamespace(NS).list().getItems();
    List<IpsecGlobal> gateways =
        k8s.client.resources(IpsecGlobal.class).inNamespace(NS).list().getItems();
    int established =
        (int)
            peers.stream()
                .filter(
                    p ->
                        p.getStatus() != null
                            && Conditions.isTrue(p.getStatus().getConditions(), "Established")
                            && Conditions.isTrue(p.getStatus().getConditions(), "ConfigLoaded"))
                .count();
    int steady =
        (int)
            gateways.stream()
                .filter(
                    g ->
                        g.getStatus() != null
                            && g.getStatus().getPeers() != null
                            && Integer.valueOf(PODS)
                                .equals(g.getStatus().getPeers().getEstablished())
                            && Conditions.isTrue(g.getStatus().getConditions(), "ConfigLoaded")
                            && Conditions.isTrue(g.getStatus().getConditions(), "Ready"))
                .count();
    return new Steady(peers.size(), established, gateways.size(), steady);
  }

  private static IpsecGlobal gateway(String name) {
    return new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
        .unmarshal(
            """
            apiVersion: ipsec.dev/v1alpha1
            kind: IpsecGlobal
            metadata: {name: %s, namespace: vpn}
            spec:
              gateway:
                replicas: 1
            """
                .formatted(name),
            IpsecGlobal.class);
  }

  static String gatewayName(int g) {
    return "gw-" + g;
  }

  static int gatewayIndex(String gateway) {
    return Integer.parseInt(gateway.substring("gw-".length()));
  }

  static String peerName(int g, int p) {
    return "peer-" + g + "-" + p;
  }

  static String podName(int g, int p) {
    return GatewayObjects.workloadName(gatewayName(g)) + "-pod" + p;
  }

  /** Pod {@code i}'s address: Linux routes all of 127/8 to the loopback interface. */
  static String podIp(int i) {
    return "127.1." + (i / 200) + "." + (i % 200 + 1);
  }

  private static int freePort(String address) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return socket.getLocalPort();
    }
  }

  private static <T> Watcher<T> onModified(java.util.function.Consumer<T> onStatus) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        if (action == Action.MODIFIED) {
          onStatus.accept(resource);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        if (cause != null) {
          System.out.println("GatewayFleetStatusBenchmark: a watch ended: " + cause);
        }
      }
    };
  }

  private static void log(long t0, String format, Object... args) {
    System.out.printf(
        "GatewayFleetStatusBenchmark %6.1f s: %s%n",
        (System.nanoTime() - t0) / 1e9, String.format(format, args));
  }

  private static void printLatency(String what, List<Long> sorted, long unseen) {
    System.out.printf(
        "%s: p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d changes, %d not seen"
            + " (target p99 <= 2000 ms: %s)%n",
        what,
        percentile(sorted, 50) / 1e6,
        percentile(sorted, 99) / 1e6,
        sorted.get(sorted.size() - 1) / 1e6,
        sorted.size(),
        unseen,
        percentile(sorted, 99) <= 2e9 ? "met" : "MISSED");
  }

  private static List<Long> sorted(List<Long> latencies) {
    List<Long> sorted;
    synchronized (latencies) {
      sorted = new ArrayList<>(latencies);
    }
    Collections.sort(sorted);
    return sorted;
  }

  private static double percentileOrNaN(List<Long> sorted, int p) {
    return sorted.isEmpty() ? Double.NaN : percentile(sorted, p);
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static Set<Long> threadIds() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getId)
        .collect(Collectors.toSet());
  }

  /** The ids of the JDK HTTP clients with a thread alive ({@code HttpClient-<id>-...}). */
  private static Set<String> httpClientIds() {
    Set<String> ids = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      Matcher m = HTTP_CLIENT.matcher(t.getName());
      if (m.find()) {
        ids.add(m.group(1));
      }
    }
    return ids;
  }

  /**
   * The JDK HTTP clients alive before the operator started that are not the watching client's: the
   * harness's client, which the operator uses as its own.
   */
  private static Set<String> httpClientIdsAmong(Set<Long> before) {
    Set<String> ids = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      Matcher m = HTTP_CLIENT.matcher(t.getName());
      if (m.find() && before.contains(t.getId())) {
        ids.add(m.group(1));
      }
    }
    return ids;
  }

  /**
   * The operator's threads by group: those started since just before the operator, and those of the
   * client it was given, without the fake agents' ({@code fake-agent*}, the JDK HTTP server's
   * dispatcher and timers), the mock API server's (Vert.x) and the watching client's.
   */
  private static Map<String, Integer> operatorThreads(
      Set<Long> before,
      Set<String> watcherClients,
      Set<String> operatorClientsBefore,
      String watchingThreads) {
    Map<String, Integer> groups = new TreeMap<>();
    for (Thread t :
        operatorThreadList(before, watcherClients, operatorClientsBefore, watchingThreads)) {
      groups.merge(NUMBERS.matcher(t.getName()).replaceAll("N"), 1, Integer::sum);
    }
    return groups;
  }

  /** The operator's threads alive now, as {@link #operatorThreads} counts them. */
  private static List<Thread> operatorThreadList(
      Set<Long> before,
      Set<String> watcherClients,
      Set<String> operatorClientsBefore,
      String watchingThreads) {
    Set<String> foreignClients = new HashSet<>(watcherClients);
    operatorClientsBefore.removeAll(watcherClients);
    Function<Thread, Boolean> operators =
        t -> {
          String name = t.getName();
          Matcher m = HTTP_CLIENT.matcher(name);
          if (m.find()) {
            String id = m.group(1);
            return !foreignClients.contains(id)
                && (operatorClientsBefore.contains(id) || !before.contains(t.getId()));
          }
          return !before.contains(t.getId())
              && !name.startsWith("fake-agent")
              && !name.startsWith(watchingThreads)
              && !name.startsWith("HTTP-Dispatcher")
              && !name.startsWith("idle-timeout-task")
              && !name.startsWith("vert.x")
              && !name.startsWith("vertx")
              && !name.startsWith("api-store-watch");
        };
    List<Thread> threads = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && operators.apply(t)) {
        threads.add(t);
      }
    }
    return threads;
  }

  static final String OPERATOR = "operator";
  static final String API_SERVER = "mock API server";
  static final String FAKE_AGENTS = "fake agents";
  static final String WATCHER = "watching client";
  static final String OTHER = "other threads";
  static final String JVM_ITSELF = "GC, JIT and gone threads";

  /**
   * Which part of the benchmark a thread works for: the operator's (as {@link #operatorThreads}
   * counts them), the mock API server's (Vert.x, and the thread of each watch that sends its
   * events), the fake agents' (their handlers, changer, the JDK HTTP server's dispatchers and
   * timers), the watching client's, or none of these.
   */
  private static String cpuGroup(
      String name, boolean operators, Set<String> watcherClients, String watchingThreads) {
    Matcher client = HTTP_CLIENT.matcher(name);
    if (operators) {
      return OPERATOR;
    } else if (name.startsWith(watchingThreads)
        || (client.find() && watcherClients.contains(client.group(1)))) {
      return WATCHER;
    } else if (name.startsWith("vert.x")
        || name.startsWith("vertx")
        || name.startsWith("api-store-watch")) {
      return API_SERVER;
    } else if (name.startsWith("fake-agent")
        || name.startsWith("HTTP-Dispatcher")
        || name.startsWith("idle-timeout-task")
        || name.startsWith("server-timer")) {
      return FAKE_AGENTS;
    }
    return OTHER;
  }

  /** Each group's CPU time per change, in ms, largest first. */
  private static String perChange(Map<String, Long> cpuNanos, long changes) {
    return cpuNanos.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .map(
            e -> String.format("%s %.2f ms", e.getKey(), e.getValue() / 1e6 / Math.max(1, changes)))
        .collect(Collectors.joining(", "));
  }

  /** 1 when the peer's status says {@code Established} True, else 0. */
  private static long established(IpsecPeer peer) {
    return peer.getStatus() != null
            && Conditions.isTrue(peer.getStatus().getConditions(), "Established")
        ? 1
        : 0;
  }

  /** The gateway status's {@code peers.established}, or null without one. */
  private static Integer peersEstablished(IpsecGlobal gw) {
    return gw.getStatus() == null || gw.getStatus().getPeers() == null
        ? null
        : gw.getStatus().getPeers().getEstablished();
  }

  private static final String JOSDK_EXECUTION = "operator.sdk.controllers.execution.";
  private static final String JOSDK_QUEUED = "operator.sdk.reconciliations.queue.size.";

  /** JOSDK's timers of its controllers' executions: count and total ms, by controller. */
  private static Map<String, double[]> reconcileTimes(SimpleMeterRegistry metrics) {
    Map<String, double[]> times = new TreeMap<>();
    for (Timer timer : metrics.find(JOSDK_EXECUTION + "reconcile").timers()) {
      String controller = timer.getId().getTag("controller");
      times.merge(
          String.valueOf(controller),
          new double[] {timer.count(), timer.totalTime(TimeUnit.MILLISECONDS)},
          (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
    }
    return times;
  }

  /** JOSDK's gauges of reconciles submitted and not finished, by controller. */
  private static Map<String, Double> reconcilesQueued(SimpleMeterRegistry metrics) {
    Map<String, Double> queued = new TreeMap<>();
    for (Meter meter : metrics.getMeters()) {
      String name = meter.getId().getName();
      if (name.startsWith(JOSDK_QUEUED) && meter instanceof Gauge gauge) {
        queued.put(name.substring(JOSDK_QUEUED.length()), gauge.value());
      }
    }
    return queued;
  }

  private static String reconcileSummary(
      Map<String, double[]> before, Map<String, double[]> after, Map<String, Double> queuedMost) {
    return after.entrySet().stream()
        .map(
            e -> {
              double[] first = before.getOrDefault(e.getKey(), new double[2]);
              double count = e.getValue()[0] - first[0];
              double ms = e.getValue()[1] - first[1];
              return String.format(
                  "%s %.0f, %.2f ms, %.0f queued",
                  e.getKey(),
                  count,
                  count == 0 ? 0 : ms / count,
                  queuedMost.getOrDefault(e.getKey(), Double.NaN));
            })
        .collect(Collectors.joining("; "));
  }

  /** The IpsecGlobal reconciles so far that took {@code path} ("full" or "status"). */
  private static double gatewayReconciles(SimpleMeterRegistry metrics, String path) {
    Counter counter = metrics.find("ipsec.operator.gateway.reconciles").tag("path", path).counter();
    return counter == null ? 0 : counter.count();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** A thread's name, CPU time and bytes allocated so far. */
  private record ThreadUsage(String name, long cpu, long allocated) {}

  /** Every live thread's usage so far, by id. */
  private static Map<Long, ThreadUsage> threadUsage() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<Long, ThreadUsage> usage = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      long id = t.getId();
      long cpu = threads.getThreadCpuTime(id);
      long allocated = threads.getThreadAllocatedBytes(id);
      if (cpu >= 0) {
        usage.put(id, new ThreadUsage(t.getName(), cpu, Math.max(0, allocated)));
      }
    }
    return usage;
  }

  /** The collectors' accumulated time (pauses, and G1's concurrent cycles). */
  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime)
        .filter(t -> t > 0)
        .sum();
  }
}
