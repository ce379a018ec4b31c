package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.reconcile.agentstate.AgentReport;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.RenderedGateway;
import dev.ipsec.operator.render.RenderedGateway.RenderedConnection;
import dev.ipsec.operator.volume.ConfigVolumePlan;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What each gateway's written volume holds of each peer (which generation, its own current
 * rendering or a previous one kept running, or nothing because a deleted Secret revoked it), and
 * which generation the gateway's agents actually run: the one in the revision they report loaded.
 * The IpsecGlobal reconciler writes a plan's view here, the IpsecPeer reconciler reads it for its
 * status; each change is announced with the peers it concerns, as {@link LeftOutPeers} does.
 *
 * <p>Only memory, and rebuilt by the first plan after a start from the volume itself (the kept
 * files carry their generation): until then a peer's reconciler learns nothing here ({@link
 * View#planned} false) and keeps what its status says.
 */
public final class PeerGenerations {

  /** How many recent revisions of a gateway are remembered, for agents a revision behind. */
  static final int HISTORY = 8;

  /**
   * One peer in a written volume.
   *
   * @param generation the generation its files were rendered from (null when they do not say)
   * @param previous the files are a previous rendering kept running, not the spec's current one
   * @param connection the connection those files define (its CHILD SA names)
   */
  public record Written(Long generation, boolean previous, RenderedConnection connection) {}

  /**
   * What one peer's status needs.
   *
   * @param planned the gateway was planned since this operator started (else nothing is known)
   * @param written what the volume holds of the peer, null when nothing
   * @param revoked why its running configuration was removed with a deleted Secret, or null
   * @param runningKnown whether the agents' loaded revision is known, so {@code running} is
   * @param running the generation the agents run, null when they run none of the peer
   */
  public record View(
      boolean planned, Written written, FieldError revoked, boolean runningKnown, Long running) {}

  private record Plan(String revision, Map<String, Written> peers) {}

  /**
   * What a peer that asks reads of its view, so that the first plan announces only the peers whose
   * status it changes.
   *
   * @param runningOnly the peer's spec is valid: its status takes only the running generation from
   *     the view (while that is not known, {@code statusRunning})
   * @param statusRunning the running generation its status shows
   */
  public record Reads(boolean runningOnly, Long statusRunning) {

    /** Everything of the view: an invalid spec's status shows what is kept or revoked. */
    public static final Reads WHOLE = new Reads(false, null);
  }

  /** A peer that asked before its gateway's first plan: what it reads, with which reports. */
  private record Asked(Reads reads, List<AgentReport> reports) {}

  private final Map<GatewayId, Deque<Plan>> plans = new HashMap<>();
  private final Map<GatewayId, Map<String, FieldError>> revoked = new HashMap<>();
  private final Map<GatewayId, Map<String, Asked>> askedBeforePlan = new HashMap<>();
  private final List<Consumer<PeersChanged>> listeners = new CopyOnWriteArrayList<>();

  public void addListener(Consumer<PeersChanged> listener) {
    listeners.add(listener);
  }

  /**
   * Records a written plan of {@code gateway}.
   *
   * @param written what the volume holds, by peer
   * @param revokedNow peers whose kept configuration this plan dropped with a deleted Secret
   * @param peers every peer of the gateway: a revocation stays while the peer still runs nothing
   */
  public void put(
      GatewayId gateway,
      String revision,
      Map<String, Written> written,
      Map<String, FieldError> revokedNow,
      Set<String> peers) {
    Set<String> changed = new TreeSet<>();
    synchronized (this) {
      Deque<Plan> history = plans.computeIfAbsent(gateway, g -> new ArrayDeque<>());
      Map<String, Written> before = history.isEmpty() ? null : history.peekFirst().peers();
      Map<String, FieldError> revokedBefore = revoked.getOrDefault(gateway, Map.of());
      Map<String, FieldError> revokedAfter = new TreeMap<>(revokedBefore);
      revokedAfter.keySet().removeIf(p -> written.containsKey(p) || !peers.contains(p));
      revokedAfter.putAll(revokedNow);
      revoked.put(gateway, revokedAfter);
      history.removeIf(p -> p.revision().equals(revision));
      history.addFirst(new Plan(revision, Map.copyOf(written)));
      while (history.size() > HISTORY) {
        history.removeLast();
      }
      Set<String> names = new TreeSet<>(written.keySet());
      names.addAll(revokedAfter.keySet());
      names.addAll(revokedBefore.keySet());
      if (before == null) {
        // the first plan since the start: a peer that has not asked yet learns it when its first
        // reconcile (queued by the start) asks; one that asked is told only when its status
        // changes with it (at 10,000 peers, announcing every peer written reconciled each again)
        names.removeAll(written.keySet());
        changed.addAll(names);
        askedBeforePlan
            .getOrDefault(gateway, Map.of())
            .forEach(
                (peer, asked) -> {
                  if (statusChanges(history, peer, asked)) {
                    changed.add(peer);
                  }
                });
        askedBeforePlan.remove(gateway);
      } else {
        names.addAll(before.keySet());
        names.stream()
            .filter(
                p ->
                    !Objects.equals(before.get(p), written.get(p))
                        || !Objects.equals(revokedBefore.get(p), revokedAfter.get(p)))
            .forEach(changed::add);
      }
    }
    if (!changed.isEmpty()) {
      PeersChanged change = new PeersChanged(gateway, changed);
      listeners.forEach(l -> l.accept(change));
    }
  }

  /**
   * What a written plan holds of each peer: the current rendering at the peer's generation, or the
   * kept files at the generation their header names.
   *
   * @param generations each peer's {@code metadata.generation}, by name
   */
  public static Map<String, Written> of(
      ConfigVolumePlan plan,
      Map<String, Long> generations,
      RenderedGateway rendered,
      LastKnownGood.Previous previous) {
    Map<String, Written> written = new TreeMap<>();
    for (String peer : plan.placedConnections()) {
      if (plan.carriedConnections().contains(peer)) {
        previous
            .of(peer)
            .ifPresent(
                files ->
                    written.put(
                        peer,
                        new Written(
                            WrittenPeerFiles.renderedFrom(peer, files).generation(),
                            true,
                            LastKnownGood.connection(peer, files))));
      } else {
        written.put(
            peer, new Written(generations.get(peer), false, rendered.connections().get(peer)));
      }
    }
    return written;
  }

  public synchronized void forget(GatewayId gateway) {
    plans.remove(gateway);
    revoked.remove(gateway);
    askedBeforePlan.remove(gateway);
  }

  /**
   * The view of one peer. The generation running is the one of the revision every reachable agent
   * reports loaded; unknown while they report none, disagree, or report a revision not remembered.
   */
  public View view(GatewayId gateway, String peer, List<AgentReport> reports) {
    return view(gateway, peer, reports, Reads.WHOLE);
  }

  /**
   * The view of one peer, {@code reads} saying what its status takes from it (see {@link
   * #view(GatewayId, String, List)}).
   */
  public synchronized View view(
      GatewayId gateway, String peer, List<AgentReport> reports, Reads reads) {
    Deque<Plan> history = plans.get(gateway);
    if (history == null || history.isEmpty()) {
      askedBeforePlan
          .computeIfAbsent(gateway, g -> new HashMap<>())
          .merge(
              peer,
              new Asked(reads, List.copyOf(reports)),
              // whoever asked for more than the running generation is told
              (a, b) -> a.reads().runningOnly() ? b : a);
      return new View(false, null, null, false, null);
    }
    return view(history, gateway, peer, reports);
  }

  /**
   * Whether the first plan changes the status of a peer that asked before it: always when it reads
   * the whole view (it was told nothing is planned), else when the plan makes the generation its
   * agents run known and that is not the one its status shows.
   */
  private boolean statusChanges(Deque<Plan> history, String peer, Asked asked) {
    if (!asked.reads().runningOnly()) {
      return true;
    }
    View now = view(history, null, peer, asked.reports());
    return now.runningKnown() && !Objects.equals(now.running(), asked.reads().statusRunning());
  }

  private View view(
      Deque<Plan> history, GatewayId gateway, String peer, List<AgentReport> reports) {
    Written written = history.peekFirst().peers().get(peer);
    FieldError revocation =
        gateway == null ? null : revoked.getOrDefault(gateway, Map.of()).get(peer);
    boolean known = false;
    Long running = null;
    for (AgentReport report : reports) {
      if (!report.reachable()) {
        continue;
      }
      Plan loaded =
          history.stream()
              .filter(p -> p.revision().equals(report.configRevision()))
              .findFirst()
              .orElse(null);
      if (loaded == null) {
        return new View(true, written, revocation, false, null);
      }
      Written there = loaded.peers().get(peer);
      Long generation = there == null ? null : there.generation();
      if (known && !Objects.equals(running, generation)) {
        return new View(true, written, revocation, false, null);
      }
      known = true;
      running = generation;
    }
    return new View(true, written, revocation, known, running);
  }
}
