package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.reconcile.ownership.Hashing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The agents' latest reports, by gateway and pod. The poller writes, the reconcilers read; each
 * change is announced with the connections it touched, so only those peers are reconciled.
 */
public final class GatewayStateStore {

  /** A gateway: namespace and IpsecGlobal name. */
  public record GatewayId(String namespace, String name) {}

  /**
   * A change of one gateway's reports: which connections (peer names) may now read differently;
   * with {@code everyPeer}, any peer of the gateway may, named in a report or not: a pod's loaded
   * revision or its reachability changed, and a peer's running generation is the one that every
   * reachable pod runs, whichever connections each pod reports.
   */
  public record Change(GatewayId gateway, Set<String> connections, boolean everyPeer) {}

  private final Map<GatewayId, Map<String, AgentReport>> reports = new ConcurrentHashMap<>();
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private final Set<GatewayId> heardFrom = ConcurrentHashMap.newKeySet();
  private final Clock clock;
  private final Duration startupBound;

  /**
   * When the first reconcile asked: a standby operator builds its store long before it leads, and
   * its bound must count from when it starts reconciling.
   */
  private final AtomicReference<Instant> firstAsked = new AtomicReference<>();

  /** A store that knows every gateway from the start: for tests that do not restart. */
  public GatewayStateStore() {
    this(Clock.systemUTC(), Duration.ZERO);
  }

  /**
   * @param startupBound how long after this store starts a gateway whose agents have not reported
   *     yet is taken as unknown rather than as silent ({@link #untilFirstReport})
   */
  public GatewayStateStore(Clock clock, Duration startupBound) {
    this.clock = clock;
    this.startupBound = startupBound;
  }

  /**
   * How much longer the gateway's peers and the gateway itself should keep what their status last
   * said of the tunnels: until an agent of the gateway has reported to this process, or the startup
   * bound has passed since the first time a reconciler asked (a gateway without pods never
   * reports). A starting operator, or a new leader, knows nothing of the tunnels; without this it
   * would write every status as unknown, then back again after the first poll: a write and an Event
   * per peer for tunnels that never went down.
   */
  public Duration untilFirstReport(GatewayId gateway) {
    if (heardFrom.contains(gateway)) {
      return Duration.ZERO;
    }
    Instant now = clock.instant();
    firstAsked.compareAndSet(null, now);
    Duration left = startupBound.minus(Duration.between(firstAsked.get(), now));
    return left.isNegative() ? Duration.ZERO : left;
  }

  public void addListener(Consumer<Change> listener) {
    listeners.add(listener);
  }

  /** Replaces the report of one pod and tells the listeners what it changed. */
  public void put(GatewayId gateway, AgentReport report) {
    Map<String, AgentReport> pods =
        reports.computeIfAbsent(gateway, g -> new ConcurrentHashMap<>());
    AgentReport previous = pods.put(report.pod(), report);
    heardFrom.add(gateway);
    announce(gateway, previous, report);
  }

  /** Forgets pods that are gone (or the whole gateway when {@code keep} is empty). */
  public void retainPods(GatewayId gateway, Set<String> keep) {
    Map<String, AgentReport> pods = reports.get(gateway);
    if (pods == null) {
      return;
    }
    List<AgentReport> removed =
        pods.values().stream().filter(r -> !keep.contains(r.pod())).toList();
    removed.forEach(r -> pods.remove(r.pod()));
    if (pods.isEmpty()) {
      reports.remove(gateway);
    }
    for (AgentReport r : removed) {
      announce(gateway, r, null);
    }
  }

  /** The reports of a gateway's pods, sorted by pod name. */
  public List<AgentReport> reports(GatewayId gateway) {
    Map<String, AgentReport> pods = reports.getOrDefault(gateway, Map.of());
    List<AgentReport> list = new ArrayList<>(pods.values());
    list.sort(Comparator.comparing(AgentReport::pod));
    return list;
  }

  /**
   * How the gateway sees one peer, merged over its pods: the pod with an established IKE SA wins
   * (only one pod holds a given SA), then any reachable pod. Before the gateway's first report, an
   * observation that says so; after that, empty while no pod reports.
   */
  public Optional<PeerObservation> observe(GatewayId gateway, String connection) {
    List<AgentReport> pods = reports(gateway);
    if (pods.isEmpty()) {
      return untilFirstReport(gateway).isZero()
          ? Optional.empty()
          : Optional.of(PeerObservation.beforeFirstReport());
    }
    List<AgentReport> reachable = pods.stream().filter(AgentReport::reachable).toList();
    if (reachable.isEmpty()) {
      return Optional.of(
          PeerObservation.unreachable(
              pods.stream()
                  .map(AgentReport::problem)
                  .filter(Objects::nonNull)
                  .distinct()
                  .collect(Collectors.joining("; "))));
    }
    AgentReport.Connection best = null;
    String loadError = null;
    for (AgentReport r : reachable) {
      AgentReport.Connection c = r.connections().get(connection);
      if (c == null) {
        continue;
      }
      if (c.loadError() != null) {
        loadError = c.loadError();
      }
      if (best == null || (c.established() && !best.established())) {
        best = c;
      }
    }
    return Optional.of(PeerObservation.seen(best, loadError, commonAlgorithms(reachable)));
  }

  /**
   * The algorithms every reachable pod's charon offers: a peer may be served by any of them. Pods
   * whose agent did not say are left out; none saying gives an empty map (nothing checked).
   */
  private static Map<String, Set<String>> commonAlgorithms(List<AgentReport> pods) {
    Map<String, Set<String>> same = sameOffer(pods);
    if (same != null) {
      // the usual case, pods of one image: their offer as it is, not copied for every peer
      return same;
    }
    Map<String, Set<String>> common = null;
    for (AgentReport pod : pods) {
      Map<String, Set<String>> offered = pod.charonAlgorithms();
      if (offered.isEmpty()) {
        continue;
      }
      if (common == null) {
        common = new TreeMap<>();
        for (Map.Entry<String, Set<String>> section : offered.entrySet()) {
          common.put(section.getKey(), new TreeSet<>(section.getValue()));
        }
      } else {
        common.keySet().retainAll(offered.keySet());
        for (Map.Entry<String, Set<String>> section : common.entrySet()) {
          section.getValue().retainAll(offered.get(section.getKey()));
        }
      }
    }
    return common == null ? Map.of() : common;
  }

  /**
   * The one offer every pod that says one makes (an empty map when none says), or null when they
   * differ. Only read: the reports' maps are never changed.
   */
  private static Map<String, Set<String>> sameOffer(List<AgentReport> pods) {
    Map<String, Set<String>> same = Map.of();
    for (AgentReport pod : pods) {
      Map<String, Set<String>> offered = pod.charonAlgorithms();
      if (offered.isEmpty()) {
        continue;
      }
      if (same.isEmpty()) {
        same = offered;
      } else if (!same.equals(offered)) {
        return null;
      }
    }
    return same;
  }

  private void announce(GatewayId gateway, AgentReport before, AgentReport after) {
    Change change =
        new Change(gateway, changedConnections(before, after), everyPeer(before, after));
    listeners.forEach(l -> l.accept(change));
  }

  /**
   * Whether the pod's loaded revision or reachability changed: a newly loaded revision may run
   * another generation of any peer (its runningGeneration), also of a peer whose connection this
   * pod does not report, once it was the last pod to load it.
   */
  private static boolean everyPeer(AgentReport before, AgentReport after) {
    boolean reachabilityChanged =
        (before != null && before.reachable()) != (after != null && after.reachable());
    boolean revisionChanged =
        !Objects.equals(
            before == null ? null : before.configRevision(),
            after == null ? null : after.configRevision());
    return reachabilityChanged || revisionChanged;
  }

  private static Set<String> changedConnections(AgentReport before, AgentReport after) {
    Map<String, AgentReport.Connection> b = before == null ? Map.of() : before.connections();
    Map<String, AgentReport.Connection> a = after == null ? Map.of() : after.connections();
    Set<String> names = new TreeSet<>(b.keySet());
    names.addAll(a.keySet());
    if (everyPeer(before, after)) {
      return names;
    }
    return names.stream()
        .filter(n -> !Hashing.sameJson(b.get(n), a.get(n)))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
