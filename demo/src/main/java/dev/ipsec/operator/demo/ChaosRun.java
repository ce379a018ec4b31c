package dev.ipsec.operator.demo;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.demo.DemoManifests.Ping;
import dev.ipsec.operator.demo.LocalCluster.Site;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code demo --chaos}: with every peer Ready and pings through both tunnels, injects each {@link
 * ChaosFault} in turn and waits for full recovery before the next, then reports each as one line
 * ({@link FaultReport}).
 *
 * <p>What counts, from the injection until the objects are quiet again: the status writes and
 * Events the API server's request log shows ({@link ApiRequestLog}, every request as its authorizer
 * saw it, failed ones too), the Events themselves (their reasons and objects) and every version of
 * the peers and gateways a watch saw ({@link ChurnWatch}). Spurious, by {@link
 * ChaosFault.Visibility}: for a fault users must not see, any status write, any Event and any Ready
 * flip; for a real outage, a write that left an object as it was, a peer's Ready going down more
 * than once, and an Event reason repeated on one object (a second TunnelDown is a flap) ({@link
 * FaultChurn}). Lost: a peer not Ready at the end, or a fact of the running state that differs from
 * before ({@link RunningState}).
 */
public final class ChaosRun {

  /** The objects count as settled after this long without a status write or an Event. */
  static final Duration QUIET = Duration.ofSeconds(5);

  /** A fault's writes are counted for at most this long after its recovery. */
  static final Duration MAX_SETTLE = Duration.ofSeconds(30);

  private static final Duration POLL = Duration.ofMillis(200);

  private final LocalCluster cluster;
  private final DemoManifests manifests;
  private final Consumer<String> say;
  private final BooleanSupplier stopRequested;

  public ChaosRun(
      LocalCluster cluster,
      DemoManifests manifests,
      Consumer<String> say,
      BooleanSupplier stopRequested) {
    this.cluster = cluster;
    this.manifests = manifests;
    this.say = say;
    this.stopRequested = stopRequested;
  }

  /** Runs every fault in order, printing its line as it finishes; stops early on a stop request. */
  public List<FaultReport> run() {
    List<FaultReport> reports = new ArrayList<>();
    for (ChaosFault fault : ChaosFault.values()) {
      if (stopRequested.getAsBoolean()) {
        break;
      }
      FaultReport report = run(fault, target());
      say.accept(report.line());
      reports.add(report);
    }
    return reports;
  }

  /**
   * The gateway a fault hits: the example's first (in {@code examples/site-to-site}, site-a, whose
   * peer initiates). A charon restarted on the initiating side initiates at once and the responder
   * replaces its old SAs (INITIAL_CONTACT); on the responding side the tunnel would wait for the
   * initiator's dead peer detection (docs/reliability.md).
   */
  private String target() {
    return manifests.sites().get(0).gateway();
  }

  private FaultReport run(ChaosFault fault, String gateway) {
    Set<String> eventsBefore = eventNames();
    Map<String, String> runningBefore = runningState();
    int mark = cluster.apiRequests().size();
    try (ChurnWatch watch = ChurnWatch.start(cluster.client(), cluster.namespace())) {
      long injected = System.nanoTime();
      BooleanSupplier back = fault.inject(cluster, gateway);
      Duration wait = fault.bound().plus(fault.bound());
      Optional<Duration> recovered = awaitRecovery(back, injected, wait);
      boolean pings = recovered.isPresent() || pingsPass();
      settle(mark);
      List<ApiRequest> during = cluster.apiRequests().since(mark);
      List<ApiRequest> statusWrites = during.stream().filter(ChaosRun::isStatusWrite).toList();
      int eventWrites = (int) during.stream().filter(ChaosRun::isEventWrite).count();
      List<Event> newEvents =
          events().stream().filter(e -> !eventsBefore.contains(e.getMetadata().getName())).toList();
      List<String> churn =
          FaultChurn.of(
              fault.visibility(),
              statusWrites,
              newEvents,
              watch.readiness(),
              watch.statusChanges());
      return new FaultReport(
          fault,
          recovered,
          pings,
          statusWrites.size(),
          FaultChurn.writtenObjects(statusWrites),
          eventWrites,
          newEvents.stream()
              .map(e -> e.getReason() + " " + e.getInvolvedObject().getName())
              .sorted()
              .toList(),
          churn,
          lost(runningBefore));
    }
  }

  /**
   * Waits until the component is back, every peer is Ready with its SAs up, and pings pass through
   * both tunnels; returns how long that took from the injection.
   */
  private Optional<Duration> awaitRecovery(BooleanSupplier back, long injected, Duration wait) {
    long deadline = injected + wait.toNanos();
    while (System.nanoTime() < deadline && !stopRequested.getAsBoolean()) {
      try {
        if (back.getAsBoolean() && allPeersUp() && pingsPass()) {
          return Optional.of(Duration.ofNanos(System.nanoTime() - injected));
        }
      } catch (RuntimeException e) {
        // the API server restarting, a pod between its deletion and its successor: not yet
      }
      pause(POLL);
    }
    return Optional.empty();
  }

  /** Waits until no status write or Event has been made for {@link #QUIET}. */
  private void settle(int mark) {
    long limit = System.nanoTime() + MAX_SETTLE.toNanos();
    long count = -1;
    long quietSince = System.nanoTime();
    while (System.nanoTime() < limit && !stopRequested.getAsBoolean()) {
      long now =
          cluster.apiRequests().since(mark).stream()
              .filter(r -> isStatusWrite(r) || isEventWrite(r))
              .count();
      if (now != count) {
        count = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= QUIET.toNanos()) {
        return;
      }
      pause(POLL);
    }
  }

  /** A peer not Ready at the end, and whatever of the running state differs from before. */
  private List<String> lost(Map<String, String> runningBefore) {
    List<String> lost = new ArrayList<>();
    for (IpsecPeer peer : cluster.peers()) {
      if (!PeerTable.isUp(peer)) {
        lost.add("IpsecPeer " + peer.getMetadata().getName() + " not Ready");
      }
    }
    lost.addAll(RunningState.lost(runningBefore, runningState()));
    return lost;
  }

  private Map<String, String> runningState() {
    return RunningState.of(
        cluster.peers(),
        cluster
            .client()
            .resources(IpsecGlobal.class)
            .inNamespace(cluster.namespace())
            .list()
            .getItems());
  }

  private boolean allPeersUp() {
    List<IpsecPeer> peers = cluster.peers();
    return !peers.isEmpty() && peers.stream().allMatch(PeerTable::isUp);
  }

  /**
   * Two echo requests across every peer's tunnel, each answered and counted by the receiving
   * gateway's CHILD SAs (so they went through ESP, not around it).
   */
  private boolean pingsPass() {
    for (Ping ping : manifests.pings()) {
      Optional<Site> receiver =
          manifests.sites().stream().filter(s -> s.innerAddress().equals(ping.to())).findFirst();
      long before = receiver.map(s -> SiteToSiteDemo.packetsIn(cluster, s.gateway())).orElse(-1L);
      CommandResult result =
          cluster.execInPod(
              ping.gateway(),
              List.of(
                  "ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", "-I", ping.from(), ping.to()),
              Duration.ofSeconds(10));
      long after = receiver.map(s -> SiteToSiteDemo.packetsIn(cluster, s.gateway())).orElse(-1L);
      if (!result.succeeded() || (receiver.isPresent() && after <= before)) {
        return false;
      }
    }
    return true;
  }

  private Set<String> eventNames() {
    return events().stream().map(e -> e.getMetadata().getName()).collect(Collectors.toSet());
  }

  private List<Event> events() {
    return cluster.client().v1().events().inNamespace(cluster.namespace()).list().getItems();
  }

  /** PATCH or PUT of the status of an ipsec.dev kind. */
  static boolean isStatusWrite(ApiRequest r) {
    return ApiRequest.REQUEST.equals(r.source())
        && "ipsec.dev".equals(r.group())
        && r.resource().endsWith("/status")
        && (r.verb().equals("patch") || r.verb().equals("update"));
  }

  /** A create, update or patch of an Event, core or events.k8s.io. */
  static boolean isEventWrite(ApiRequest r) {
    return ApiRequest.REQUEST.equals(r.source())
        && r.resource().equals("events")
        && (r.group().isEmpty() || r.group().equals("events.k8s.io"))
        && (r.verb().equals("create") || r.verb().equals("patch") || r.verb().equals("update"));
  }

  private void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
