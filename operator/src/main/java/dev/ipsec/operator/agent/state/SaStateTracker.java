package dev.ipsec.operator.agent.state;

import dev.ipsec.operator.agent.wire.StateSnapshot;
import dev.ipsec.operator.agent.wire.StateSnapshot.ChildSaState;
import dev.ipsec.operator.agent.wire.StateSnapshot.ConnectionState;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdAction;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdOutcome;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdState;
import dev.ipsec.operator.agent.wire.StateSnapshot.FailureReason;
import dev.ipsec.operator.agent.wire.StateSnapshot.FailureState;
import dev.ipsec.operator.agent.wire.StateSnapshot.IkeSaState;
import dev.ipsec.operator.agent.wire.StateSnapshot.RekeyState;
import dev.ipsec.operator.vici.ViciMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The SA state of one charon, built from {@code list-sas} polls and the {@code ike-updown}, {@code
 * child-updown}, {@code ike-rekey}, {@code child-rekey} and {@code log} events.
 *
 * <h2>Contract (what {@code GET /v1/state} serves)</h2>
 *
 * <ul>
 *   <li>{@link #snapshot()} returns the current {@link StateSnapshot}; its {@code revision} starts
 *       at 0 and increases by exactly one per change.
 *   <li><b>The revision changes only on meaningful transitions</b>: an SA's state, unique id or
 *       SPIs, which SA is current, a rekey count, a DPD outcome or action, a new failure. Byte and
 *       packet counters and charon's countdown timers never change it: relative times ({@code
 *       established}, {@code rekey-time}, {@code install-time}, ...) are turned into instants once
 *       per SA (unique id and SPI) and then kept. Counters are available from {@link #traffic()}
 *       for metrics.
 *   <li>{@link #awaitNewerThan(long, Duration)} blocks until a snapshot with a revision greater
 *       than the given one exists, or {@code maxWait} passes, and then returns the current snapshot
 *       (whose revision tells the caller which case happened). It never blocks longer than {@code
 *       maxWait}.
 *   <li>Connections are keyed by name; configured connections ({@link #setConfiguredConnections})
 *       are always present, others only while they have SAs or history. Children are keyed by child
 *       name: the INSTALLED CHILD SA of that name is shown (a rekeyed one lingers as DELETED for 5
 *       s), otherwise the newest.
 *   <li>DPD: a {@code giving up after N retransmits} (IKEv2) or {@code DPD check timed out} (IKEv1)
 *       log line for an IKE SA that had been ESTABLISHED records outcome {@code PEER_DEAD} and
 *       drops that SA at once (charon destroys it as it gives up, before its down event); the
 *       action is {@code RESTART} when charon logs {@code restarting CHILD_SA} for that SA,
 *       otherwise the configured {@code dpd_action} (learned from {@link #onListConns}), {@code
 *       CLEAR} when unknown. Log lines and updown events arrive in no stable order, so they are
 *       correlated by IKE SA unique id, never by order.
 *   <li>Failures ({@link FailureReason}) come from log lines. The first failure of an episode is
 *       kept; repeats of the same reason (a retry loop) do not change the snapshot until the
 *       connection is ESTABLISHED again.
 * </ul>
 *
 * <p>Thread-safe; all inputs are cheap and never block on I/O. Charon reuses unique ids after a
 * restart: call {@link #onDaemonRestart()} when the VICI connection comes back.
 */
public final class SaStateTracker {

  private static final int REMEMBERED_IDS = 32;

  /** A noblock poll may skip a busy IKE SA; only this many misses in a row mean it is gone. */
  static final int MISSED_POLLS_BEFORE_GONE = 2;

  private final Clock clock;

  /** When this tracker began counting DPD outcomes and rekeys: the agent's start. */
  private final Instant countingSince;

  private final Object lock = new Object();
  private final Map<String, Conn> conns = new TreeMap<>();
  private final Set<String> configured = new TreeSet<>();

  /**
   * Absolute times per SA, computed once: key → [established|installed, rekeyAt,
   * reauthAt|expiresAt].
   */
  private final Map<String, Instant[]> times = new HashMap<>();

  /** Counters of the CHILD SAs of the latest poll, by SA key. */
  private Map<String, TrafficCounters> liveCounters = new HashMap<>();

  /** Final counters of CHILD SAs that are gone, summed per connection and child. */
  private final Map<List<String>, long[]> retiredCounters = new HashMap<>();

  private StateSnapshot current;

  /** Connections touched since the last publish; {@code allDirty} after polls and config input. */
  private final Set<String> dirty = new HashSet<>();

  private boolean allDirty;

  public SaStateTracker(Clock clock) {
    this.clock = clock;
    this.countingSince = clock.instant();
    this.current = new StateSnapshot(0, countingSince, Map.of());
  }

  public SaStateTracker() {
    this(Clock.systemUTC());
  }

  // ------------------------------------------------------------------ reading

  public StateSnapshot snapshot() {
    synchronized (lock) {
      return current;
    }
  }

  /**
   * See the class contract: returns at once if a newer revision exists, else waits up to {@code
   * maxWait}.
   */
  public StateSnapshot awaitNewerThan(long revision, Duration maxWait) throws InterruptedException {
    long deadline = System.nanoTime() + maxWait.toNanos();
    synchronized (lock) {
      while (current.revision() <= revision) {
        long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMillis <= 0) {
          break;
        }
        lock.wait(leftMillis);
      }
      return current;
    }
  }

  /** Bytes and packets per connection and child, monotonic while the agent runs. */
  public List<TrafficCounters> traffic() {
    synchronized (lock) {
      Map<List<String>, long[]> totals =
          new TreeMap<>(
              Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
      retiredCounters.forEach((k, v) -> totals.put(k, v.clone()));
      for (TrafficCounters c : liveCounters.values()) {
        long[] t = totals.computeIfAbsent(List.of(c.connection(), c.child()), k -> new long[4]);
        t[0] += c.bytesIn();
        t[1] += c.bytesOut();
        t[2] += c.packetsIn();
        t[3] += c.packetsOut();
      }
      List<TrafficCounters> out = new ArrayList<>();
      totals.forEach(
          (k, t) -> out.add(new TrafficCounters(k.get(0), k.get(1), t[0], t[1], t[2], t[3])));
      return out;
    }
  }

  // ------------------------------------------------------------------ inputs

  /** The connections the agent has loaded: they are listed even without SAs. */
  public void setConfiguredConnections(Collection<String> names) {
    synchronized (lock) {
      configured.clear();
      configured.addAll(names);
      allDirty = true;
      publish(clock.instant());
    }
  }

  /** A {@code list-conns} result: learns each connection's configured {@code dpd_action}. */
  public void onListConns(List<ViciMessage> listConnEvents) {
    synchronized (lock) {
      for (ViciMessage event : listConnEvents) {
        event
            .sections()
            .forEach((name, conn) -> conn(name).configuredDpdAction = dpdActionOf(conn));
      }
      allDirty = true;
      publish(clock.instant());
    }
  }

  /**
   * A complete {@code list-sas} result (one message per IKE SA). With {@code noblock} charon skips
   * IKE SAs that are busy at that moment (checked out for a DPD exchange, a rekey, ...), so an IKE
   * SA missing from one poll is kept; it is dropped once it missed {@value
   * #MISSED_POLLS_BEFORE_GONE} polls in a row, or at once when a down or rekey event says it is
   * gone. A listed IKE SA lists all its CHILD SAs, so a child missing there is gone.
   */
  public void onListSas(List<ViciMessage> listSaEvents) {
    Instant now = clock.instant();
    synchronized (lock) {
      allDirty = true;
      Map<String, Set<Long>> listed = new HashMap<>();
      Map<String, TrafficCounters> counters = new HashMap<>();
      for (ViciMessage event : listSaEvents) {
        event
            .sections()
            .forEach(
                (name, data) -> {
                  IkeEntry entry = conn(name).upsert(data, now);
                  entry.missedPolls = 0;
                  entry.children.clear();
                  for (ViciMessage child : children(data)) {
                    entry.children.put(id(child), new Seen(child, now));
                    child
                        .string("spi-in")
                        .ifPresent(spi -> counters.put(childKey(child), counters(name, child)));
                  }
                  listed.computeIfAbsent(name, k -> new HashSet<>()).add(id(data));
                });
      }
      conns.forEach(
          (name, c) -> {
            Set<Long> ids = listed.getOrDefault(name, Set.of());
            c.ikeSas
                .entrySet()
                .removeIf(
                    sa -> {
                      if (ids.contains(sa.getKey())) {
                        return false;
                      }
                      if (++sa.getValue().missedPolls >= MISSED_POLLS_BEFORE_GONE) {
                        return true;
                      }
                      sa.getValue()
                          .children
                          .values()
                          .forEach(
                              child -> {
                                TrafficCounters live = liveCounters.get(childKey(child.data()));
                                if (live != null) {
                                  counters.put(childKey(child.data()), live);
                                }
                              });
                      return false;
                    });
          });
      liveCounters.forEach(
          (key, c) -> {
            if (!counters.containsKey(key)) {
              long[] t =
                  retiredCounters.computeIfAbsent(
                      List.of(c.connection(), c.child()), k -> new long[4]);
              t[0] += c.bytesIn();
              t[1] += c.bytesOut();
              t[2] += c.packetsIn();
              t[3] += c.packetsOut();
            }
          });
      liveCounters = counters;
      pruneTimes();
      publish(now);
    }
  }

  /** One VICI event; unknown event names are ignored. */
  public void onEvent(String event, ViciMessage message) {
    Instant now = clock.instant();
    synchronized (lock) {
      switch (event) {
        case "ike-updown" -> onIkeUpdown(message, now);
        case "child-updown" -> onChildUpdown(message, now);
        case "ike-rekey" -> onIkeRekey(message, now);
        case "child-rekey" -> onChildRekey(message, now);
        case "log" -> {
          if (!onLog(message, now)) {
            return; // most log lines mean nothing for the state: skip the rebuild
          }
        }
        default -> {
          return;
        }
      }
      publish(now);
    }
  }

  /**
   * charon is not reachable (connection refused or broken, not a mere timeout): a dead charon has
   * no SAs, so none are shown until it answers again. Same effect as {@link #onDaemonRestart()}.
   */
  public void onDaemonUnreachable() {
    onDaemonRestart();
  }

  /**
   * charon restarted: its SAs are gone and it will reuse unique ids. History (DPD, rekeys,
   * failures) stays.
   */
  public void onDaemonRestart() {
    synchronized (lock) {
      conns.values().forEach(c -> c.ikeSas.clear()); // gone for sure, no grace
      onListSas(List.of());
      times.clear();
      conns
          .values()
          .forEach(
              c -> {
                c.establishedIds.clear();
                c.rekeyedIkeIds.clear();
                c.rekeyedChildIds.clear();
              });
    }
  }

  // ------------------------------------------------------------------ events

  /**
   * An event message holds one section per connection it concerns, named after it, with that
   * connection's IKE SA in it.
   */
  private void forEachConnection(ViciMessage message, BiConsumer<Conn, ViciMessage> handler) {
    message.sections().forEach((name, data) -> handler.accept(conn(name), data));
  }

  private void onIkeUpdown(ViciMessage message, Instant now) {
    boolean up = message.has("up");
    forEachConnection(
        message,
        (c, data) -> {
          if (up) {
            c.upsert(data, now);
          } else {
            c.ikeSas.remove(id(data));
          }
        });
  }

  private void onChildUpdown(ViciMessage message, Instant now) {
    boolean up = message.has("up");
    forEachConnection(
        message,
        (c, data) -> {
          // a child going down must not bring back an IKE SA whose own down event came first
          IkeEntry entry = up ? c.upsert(data, now) : c.ikeSas.get(id(data));
          if (entry == null) {
            return;
          }
          for (ViciMessage child : children(data)) {
            if (up) {
              entry.children.put(id(child), new Seen(child, now));
            } else {
              entry.children.remove(id(child));
            }
          }
        });
  }

  private void onIkeRekey(ViciMessage message, Instant now) {
    forEachConnection(
        message,
        (c, data) -> {
          if (firstRekeyOf(c.rekeyedIkeIds, data.section("old"))) {
            c.ikeRekeys++;
            c.lastIkeRekey = now;
          }
          IkeEntry old = data.section("old").map(o -> c.ikeSas.remove(id(o))).orElse(null);
          data.section("new")
              .ifPresent(
                  n -> {
                    IkeEntry entry = c.upsert(n, now);
                    if (old != null) {
                      old.children.forEach(
                          entry.children::putIfAbsent); // CHILD SAs move to the new IKE SA
                    }
                  });
        });
  }

  private void onChildRekey(ViciMessage message, Instant now) {
    forEachConnection(
        message,
        (c, data) -> {
          IkeEntry entry = c.upsert(data, now);
          // here child-sas is keyed by the bare child name, each with old and new
          data.section("child-sas")
              .map(ViciMessage::sections)
              .orElse(Map.of())
              .forEach(
                  (childName, pair) -> {
                    if (firstRekeyOf(c.rekeyedChildIds, pair.section("old"))) {
                      c.childRekeys++;
                      c.lastChildRekey = now;
                    }
                    pair.section("old").ifPresent(o -> entry.children.put(id(o), new Seen(o, now)));
                    pair.section("new").ifPresent(n -> entry.children.put(id(n), new Seen(n, now)));
                  });
        });
  }

  /** Whether this rekey event is the first for its old SA (an event without one always counts). */
  private static boolean firstRekeyOf(RecentIds counted, Optional<ViciMessage> old) {
    return old.map(o -> counted.add(id(o))).orElse(true);
  }

  /** Returns whether the line may have changed the state. */
  private boolean onLog(ViciMessage message, Instant now) {
    String name = message.string("ikesa-name", null);
    if (name == null || name.startsWith("(")) {
      return false; // no connection context ("(unnamed)" before a config is selected)
    }
    long ikeId = parseLong(message.string("ikesa-uniqueid", "-1"));
    LogSignal signal = LogSignal.classify(message.string("msg", null));
    switch (signal.kind()) {
      case GAVE_UP, DPD_TIMED_OUT -> {
        Conn c = conn(name);
        // an SA that never got established is a failed connect, reported by its own log line
        if (c.establishedIds.contains(ikeId) && !(c.dpdCount > 0 && c.dpdIkeId == ikeId)) {
          c.dpdCount++;
          c.dpdAt = now;
          c.dpdIkeId = ikeId;
          c.dpdAction = c.configuredDpdAction == null ? DpdAction.CLEAR : c.configuredDpdAction;
          // charon destroys the SA as it gives up; its down event may come later (or after the
          // restarted SA is up): never show the dead SA as ESTABLISHED next to its DPD outcome
          c.ikeSas.remove(ikeId);
        }
      }
      case RESTARTING_CHILD -> {
        Conn c = conn(name);
        if (c.dpdCount > 0 && c.dpdIkeId == ikeId) {
          c.dpdAction = DpdAction.RESTART;
        }
      }
      case FAILURE -> {
        Conn c = conn(name);
        if (!(c.failureOpen && c.failure.reason() == signal.failure())) {
          c.failure = new FailureState(signal.failure(), message.string("msg", ""), now);
          c.failureOpen = true;
          c.failureIkeId = ikeId;
          c.failureIkeWasEstablished = c.establishedIds.contains(ikeId);
        }
      }
      default -> {
        // DPD requests and retransmits are not transitions by themselves
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ snapshot building

  /**
   * Rebuilds the connections touched since the last publish (all of them after a poll) and makes a
   * new revision if anything differs. Touching only what changed keeps an event burst over
   * thousands of connections linear.
   */
  private void publish(Instant now) {
    Set<String> names = new TreeSet<>(dirty);
    if (allDirty) {
      names.addAll(configured);
      names.addAll(conns.keySet());
      names.addAll(current.connections().keySet());
    }
    dirty.clear();
    allDirty = false;
    Map<String, ConnectionState> states = new TreeMap<>(current.connections());
    for (String name : names) {
      ConnectionState state = stateOf(name);
      if (state == null) {
        states.remove(name);
        Conn c = conns.get(name);
        // forget idle strangers, but keep what DPD correlation and dpd_action still need
        if (c != null && c.configuredDpdAction == null && c.establishedIds.isEmpty()) {
          conns.remove(name);
        }
      } else {
        states.put(name, state);
      }
    }
    if (!states.equals(current.connections())) {
      current = new StateSnapshot(current.revision() + 1, now, states);
      lock.notifyAll();
    }
  }

  /** The state to show for a connection, or null when it should not be listed. */
  private ConnectionState stateOf(String name) {
    Conn c = conns.get(name);
    if (c == null) {
      return configured.contains(name)
          ? new ConnectionState(
              null, Map.of(), 0, null, new RekeyState(0, null, 0, null, countingSince), null)
          : null;
    }
    if (!configured.contains(name) && c.ikeSas.isEmpty() && !c.hasHistory()) {
      return null;
    }
    return build(c);
  }

  private ConnectionState build(Conn c) {
    IkeEntry primary =
        c.ikeSas.values().stream()
            .max(
                Comparator.comparing((IkeEntry e) -> "ESTABLISHED".equals(state(e.data.data())))
                    .thenComparingLong(e -> id(e.data.data())))
            .orElse(null);
    IkeSaState ike = null;
    Map<String, ChildSaState> children = new TreeMap<>();
    int installed = 0;
    if (primary != null) {
      ike = ikeState(primary.data);
      if ("ESTABLISHED".equals(ike.state())
          && c.failureOpen
          && (ike.uniqueId() > c.failureIkeId
              || (ike.uniqueId() == c.failureIkeId && !c.failureIkeWasEstablished))) {
        c.failureOpen = false;
      }
      Map<String, List<Seen>> byName =
          primary.children.values().stream()
              .collect(
                  Collectors.groupingBy(
                      s -> s.data().string("name", "?"), LinkedHashMap::new, Collectors.toList()));
      for (Map.Entry<String, List<Seen>> e : byName.entrySet()) {
        Seen chosen =
            e.getValue().stream()
                .max(
                    Comparator.comparing((Seen s) -> "INSTALLED".equals(state(s.data())))
                        .thenComparingLong(s -> id(s.data())))
                .orElseThrow();
        ChildSaState child = childState(chosen);
        children.put(e.getKey(), child);
        if ("INSTALLED".equals(child.state())) {
          installed++;
        }
      }
    }
    DpdState dpd =
        c.dpdCount == 0
            ? null
            : new DpdState(DpdOutcome.PEER_DEAD, c.dpdAt, c.dpdAction, c.dpdCount, countingSince);
    RekeyState rekeys =
        new RekeyState(c.ikeRekeys, c.lastIkeRekey, c.childRekeys, c.lastChildRekey, countingSince);
    return new ConnectionState(ike, children, installed, dpd, rekeys, c.failure);
  }

  private IkeSaState ikeState(Seen seen) {
    ViciMessage d = seen.data();
    Instant[] t =
        times.computeIfAbsent(
            "ike/" + id(d) + "/" + d.string("initiator-spi", ""), k -> new Instant[3]);
    pinTimes(t, seen, "established", "rekey-time", "reauth-time");
    return new IkeSaState(
        state(d),
        (int) parseLong(d.string("version", "0")),
        id(d),
        d.string("local-host", null),
        d.string("local-id", null),
        d.string("remote-host", null),
        d.string("remote-id", null),
        d.string("initiator-spi", null),
        d.string("responder-spi", null),
        algorithms(d, d.string("prf-alg", null)),
        t[0],
        t[1],
        t[2]);
  }

  /**
   * Turns charon's relative times of an SA into absolute ones, each once (charon's countdowns must
   * not change the state): seconds since it started, then seconds until its rekey and its end.
   */
  private static void pinTimes(
      Instant[] t, Seen seen, String sinceStart, String untilRekey, String untilEnd) {
    t[0] = pinned(t[0], seen, sinceStart, -1);
    t[1] = pinned(t[1], seen, untilRekey, 1);
    t[2] = pinned(t[2], seen, untilEnd, 1);
  }

  private static Instant pinned(Instant known, Seen seen, String key, int sign) {
    if (known != null || !seen.data().has(key)) {
      return known;
    }
    long seconds = parseLong(seen.data().string(key, "0"));
    return seen.at().plusSeconds(sign * seconds).truncatedTo(ChronoUnit.SECONDS);
  }

  private ChildSaState childState(Seen seen) {
    ViciMessage d = seen.data();
    Instant[] t = new Instant[3];
    if (d.has("spi-in")) {
      t = times.computeIfAbsent(childKey(d), k -> new Instant[3]);
      pinTimes(t, seen, "install-time", "rekey-time", "life-time");
    }
    return new ChildSaState(
        state(d),
        id(d),
        d.string("mode", null),
        d.string("protocol", null),
        "yes".equals(d.string("encap", "no")),
        d.string("spi-in", null),
        d.string("spi-out", null),
        d.has("encr-alg") ? algorithms(d, null) : null,
        t[0],
        t[1],
        t[2],
        d.list("local-ts"),
        d.list("remote-ts"));
  }

  /** swanctl's notation: {@code AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519}. */
  private static String algorithms(ViciMessage d, String prf) {
    List<String> parts = new ArrayList<>();
    d.string("encr-alg")
        .ifPresent(e -> parts.add(e + d.string("encr-keysize").map(k -> "-" + k).orElse("")));
    d.string("integ-alg").ifPresent(parts::add);
    if (prf != null) {
      parts.add(prf);
    }
    d.string("dh-group").ifPresent(parts::add);
    return parts.isEmpty() ? null : String.join("/", parts);
  }

  private void pruneTimes() {
    Set<String> present = new HashSet<>();
    for (Conn c : conns.values()) {
      for (IkeEntry e : c.ikeSas.values()) {
        present.add("ike/" + id(e.data.data()) + "/" + e.data.data().string("initiator-spi", ""));
        e.children.values().forEach(s -> present.add(childKey(s.data())));
      }
    }
    times.keySet().retainAll(present);
  }

  // ------------------------------------------------------------------ model

  private Conn conn(String name) {
    dirty.add(name);
    return conns.computeIfAbsent(name, n -> new Conn());
  }

  private record Seen(ViciMessage data, Instant at) {}

  /** One IKE SA: its latest data (without children) and its CHILD SAs by unique id. */
  private static final class IkeEntry {
    Seen data;
    int missedPolls;
    final Map<Long, Seen> children = new HashMap<>();
  }

  private static final class Conn {
    final Map<Long, IkeEntry> ikeSas = new HashMap<>();

    /** IKE SA ids seen ESTABLISHED: a give-up on one of them is DPD, not a failed connect. */
    final RecentIds establishedIds = new RecentIds(REMEMBERED_IDS);

    /**
     * Old SAs whose rekey was counted. In a rekey collision charon reports the same old SA twice
     * (once as responder to the peer's rekey, once for its own), and that is one rekey.
     */
    final RecentIds rekeyedIkeIds = new RecentIds(REMEMBERED_IDS);

    final RecentIds rekeyedChildIds = new RecentIds(REMEMBERED_IDS);

    DpdAction configuredDpdAction;
    int dpdCount;
    Instant dpdAt;
    DpdAction dpdAction;
    long dpdIkeId;
    int ikeRekeys;
    int childRekeys;
    Instant lastIkeRekey;
    Instant lastChildRekey;
    FailureState failure;
    boolean failureOpen;
    long failureIkeId;
    boolean failureIkeWasEstablished;

    IkeEntry upsert(ViciMessage data, Instant now) {
      long id = id(data);
      IkeEntry entry = ikeSas.computeIfAbsent(id, k -> new IkeEntry());
      entry.data = new Seen(withoutChildren(data), now);
      if ("ESTABLISHED".equals(state(data))) {
        establishedIds.add(id);
      }
      return entry;
    }

    boolean hasHistory() {
      return dpdCount > 0 || ikeRekeys > 0 || childRekeys > 0 || failure != null;
    }
  }

  // ------------------------------------------------------------------ VICI field helpers

  private static List<ViciMessage> children(ViciMessage ike) {
    return ike.section("child-sas").map(s -> List.copyOf(s.sections().values())).orElse(List.of());
  }

  private static ViciMessage withoutChildren(ViciMessage ike) {
    ViciMessage copy = ViciMessage.empty();
    ike.entries()
        .forEach(
            (k, v) -> {
              if (k.equals("child-sas")) {
                return;
              }
              if (v instanceof String s) {
                copy.put(k, s);
              } else if (v instanceof List<?> l) {
                copy.putList(k, l.stream().map(String::valueOf).toList());
              } else {
                copy.putSection(k, (ViciMessage) v);
              }
            });
    return copy;
  }

  private static String childKey(ViciMessage child) {
    return "child/" + id(child) + "/" + child.string("spi-in", "");
  }

  private static TrafficCounters counters(String conn, ViciMessage child) {
    return new TrafficCounters(
        conn,
        child.string("name", "?"),
        parseLong(child.string("bytes-in", "0")),
        parseLong(child.string("bytes-out", "0")),
        parseLong(child.string("packets-in", "0")),
        parseLong(child.string("packets-out", "0")));
  }

  static DpdAction dpdActionOf(ViciMessage conn) {
    Optional<String> action =
        conn.section("children")
            .flatMap(c -> c.sections().values().stream().findFirst())
            .flatMap(ch -> ch.string("dpd_action"));
    String a = action.orElse("clear");
    if (a.contains("start")) {
      return DpdAction.RESTART; // "restart" (<= 5.9.5) and "start" (5.9.6+)
    }
    if (a.contains("trap") || a.contains("hold")) {
      return DpdAction.TRAP;
    }
    return DpdAction.CLEAR;
  }

  private static String state(ViciMessage d) {
    return d.string("state", "UNKNOWN");
  }

  private static long id(ViciMessage d) {
    return parseLong(d.string("uniqueid", "-1"));
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
