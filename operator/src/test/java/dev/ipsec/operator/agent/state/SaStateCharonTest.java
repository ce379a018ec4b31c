package dev.ipsec.operator.agent.state;

import static dev.ipsec.operator.testing.SiteToSite.Side.A;
import static dev.ipsec.operator.testing.SiteToSite.Side.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.agent.wire.AgentStateJson;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.agent.wire.StateSnapshot;
import dev.ipsec.operator.agent.wire.StateSnapshot.ConnectionState;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdAction;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdOutcome;
import dev.ipsec.operator.agent.wire.StateSnapshot.FailureReason;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.SiteToSite;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciCommandException;
import dev.ipsec.operator.vici.ViciCommands;
import dev.ipsec.operator.vici.ViciMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracker fed by a live charon (through {@link SaStateMonitor}) in the scenarios the status
 * mapper cares about: established, rekeyed, DPD with restart, authentication failure. Each
 * scenario's snapshot is checked against (or recorded into) its JSON fixture.
 */
@RequiresCharon
class SaStateCharonTest {

  static final String CONN = "peer-b";
  static final String CHILD = "peer-b-tunnel-1";
  static final String PEER_CONN = "peer-a";
  static final String PEER_CHILD = "peer-a-tunnel-1";

  /** Rounds of simultaneous rekeys tried before giving up on seeing a collision. */
  static final int MAX_COLLISION_ROUNDS = 20;

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  SiteToSite sites;
  ViciClient clientA;
  ViciClient clientB;
  SaStateTracker trackerA = new SaStateTracker();
  SaStateMonitor monitorA;

  /** What A's agent would report of its loader after {@link #loadTunnel}. */
  LoaderStatus loaderA;

  /** Extra clients and monitors a test opens, closed last-opened first. */
  final Deque<AutoCloseable> toClose = new ArrayDeque<>();

  @AfterEach
  void tearDown() throws Exception {
    while (!toClose.isEmpty()) {
      toClose.pop().close();
    }
    if (monitorA != null) {
      monitorA.close();
    }
    if (clientA != null) {
      clientA.close();
    }
    if (clientB != null) {
      clientB.close();
    }
    if (sites != null) {
      sites.close();
    }
  }

  private void start(SiteToSite s) throws InterruptedException {
    sites = s.start();
    clientA = sites.a().newClient();
    clientB = sites.b().newClient();
    monitorA = new SaStateMonitor(clientA, trackerA, Duration.ofSeconds(1), null).start();
    assertThat(monitorA.awaitSubscribed(Duration.ofSeconds(5))).isTrue();
  }

  /** Loads B (responder) then A, with the given extra settings on A's side. */
  private void loadTunnel(
      Map<String, String> connA, Map<String, String> childA, String secretA, String secretB) {
    ViciCommands b = new ViciCommands(clientB);
    b.loadShared(SiteToSite.psk("ike-" + PEER_CONN, secretB));
    b.loadConn(PEER_CONN, SiteToSite.pskConnection(B, PEER_CHILD, Map.of(), Map.of()));
    ViciCommands a = new ViciCommands(clientA);
    a.loadShared(SiteToSite.psk("ike-" + CONN, secretA));
    ViciMessage connection = SiteToSite.pskConnection(A, CHILD, connA, childA);
    a.loadConn(CONN, connection);
    loaderA = AgentStateFixtures.loaded(Instant.now(), CONN, connection, "ike-" + CONN);
  }

  /** The state document A's agent would serve now. */
  private AgentStateDocument documentA() {
    return AgentStateFixtures.document(trackerA.snapshot(), loaderA, clientA);
  }

  private ConnectionState awaitConn(
      SaStateTracker tracker, Duration maxWait, Predicate<ConnectionState> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + maxWait.toNanos();
    StateSnapshot s = tracker.snapshot();
    while (true) {
      ConnectionState c = s.connections().get(CONN);
      if (c == null) {
        c = s.connections().get(PEER_CONN);
      }
      if (c != null && condition.test(c)) {
        return c;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("condition not reached within " + maxWait + "; last state: " + c);
      }
      s = tracker.awaitNewerThan(s.revision(), Duration.ofNanos(left));
    }
  }

  private static boolean up(ConnectionState c) {
    return c.ikeSa() != null
        && "ESTABLISHED".equals(c.ikeSa().state())
        && c.childrenInstalled() == 1;
  }

  @Test
  void establishedTunnelIsSteadyWhileTrafficFlows() throws Exception {
    start(SiteToSite.create("vc", dir));
    loadTunnel(Map.of(), Map.of(), "steady-secret", "steady-secret");
    new ViciCommands(clientA).initiate(CHILD, Optional.of(CONN), Duration.ofSeconds(10));
    ConnectionState c = awaitConn(trackerA, Duration.ofSeconds(5), SaStateCharonTest::up);
    assertThat(c.ikeSa().remoteId()).isEqualTo(SiteToSite.ID_B);
    assertThat(c.ikeSa().algorithms()).isNotBlank();
    assertThat(c.ikeSa().establishedAt()).isBefore(Instant.now().plusSeconds(1));
    assertThat(c.children().get(CHILD).encapsulation()).isTrue();
    assertThat(c.children().get(CHILD).localTrafficSelectors())
        .containsExactly(SiteToSite.INNER_A + "/32");
    StateSnapshot steady = trackerA.snapshot();
    AgentStateFixtures.recordOrVerify("established", documentA());

    assertThat(sites.pingBFromA(5).ok()).isTrue();
    for (int i = 0; i < 4; i++) {
      monitorA.pollNow();
      Thread.sleep(400);
    }
    assertThat(trackerA.snapshot().revision())
        .as("traffic and timers do not make revisions")
        .isEqualTo(steady.revision());
    assertThat(trackerA.traffic())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.child()).isEqualTo(CHILD);
              assertThat(t.packetsOut()).isGreaterThanOrEqualTo(5);
              assertThat(t.bytesIn()).isPositive();
            });
  }

  @Test
  void shortChildLifetimeRekeysAndIkeRekeyIsCounted() throws Exception {
    start(SiteToSite.create("vc", dir));
    // rand_time = 0 on the initiator only (the responder keeps long timers): rekeys every 3.0 s
    loadTunnel(
        Map.of(),
        Map.of("rekey_time", "3s", "life_time", "6s", "rand_time", "0s"),
        "rekey-secret",
        "rekey-secret");
    new ViciCommands(clientA).initiate(CHILD, Optional.of(CONN), Duration.ofSeconds(10));
    ConnectionState first = awaitConn(trackerA, Duration.ofSeconds(5), SaStateCharonTest::up);
    long firstChildId = first.children().get(CHILD).uniqueId();

    assertThat(new ViciCommands(clientA).rekey(Optional.of(CONN), Optional.empty(), false))
        .isEqualTo(1);
    ConnectionState ikeRekeyed =
        awaitConn(trackerA, Duration.ofSeconds(5), c -> c.rekeys().ikeRekeys() == 1);
    assertThat(ikeRekeyed.ikeSa().uniqueId()).isGreaterThan(first.ikeSa().uniqueId());

    ConnectionState once =
        awaitConn(trackerA, Duration.ofSeconds(8), c -> c.rekeys().childRekeys() >= 1 && up(c));
    ConnectionState twice =
        awaitConn(trackerA, Duration.ofSeconds(8), c -> c.rekeys().childRekeys() >= 2 && up(c));
    assertThat(twice.rekeys().lastChildRekeyAt()).isAfter(once.rekeys().lastChildRekeyAt());
    Duration interval =
        Duration.between(once.rekeys().lastChildRekeyAt(), twice.rekeys().lastChildRekeyAt());
    assertThat(interval).isBetween(Duration.ofMillis(2500), Duration.ofMillis(4500));
    assertThat(twice.children().get(CHILD).uniqueId()).isGreaterThan(firstChildId);
    assertThat(twice.children().get(CHILD).spiIn())
        .isNotEqualTo(first.children().get(CHILD).spiIn());
    AgentStateFixtures.recordOrVerify("rekeyed", documentA());
  }

  /**
   * Both ends asked to rekey the CHILD SA at the same moment, round after round, until charon has
   * had a rekey collision: the winner then reports the same old SA twice (as responder to the
   * peer's rekey and for its own). Each tracker counts what its charon reported, one rekey per old
   * SA, whatever else the rounds did under load (a lost race may also end as a new CHILD SA instead
   * of a rekey, which charon reports as no rekey at all).
   */
  @Test
  void rekeysStartedByBothEndsAtOnceCountOnceEvenInACollision() throws Exception {
    start(SiteToSite.create("vc", dir));
    loadTunnel(Map.of(), Map.of(), "collide-secret", "collide-secret");
    SaStateTracker trackerB = new SaStateTracker();
    toClose.push(new SaStateMonitor(clientB, trackerB, Duration.ofSeconds(1), null).start());
    List<Long> rekeyedOnA = new CopyOnWriteArrayList<>();
    List<Long> rekeyedOnB = new CopyOnWriteArrayList<>();
    toClose.push(clientA.subscribe(List.of("child-rekey"), (e, m) -> rekeyedOnA.addAll(oldIds(m))));
    toClose.push(clientB.subscribe(List.of("child-rekey"), (e, m) -> rekeyedOnB.addAll(oldIds(m))));
    new ViciCommands(clientA).initiate(CHILD, Optional.of(CONN), Duration.ofSeconds(10));
    awaitConn(trackerA, Duration.ofSeconds(5), SaStateCharonTest::up);
    awaitConn(trackerB, Duration.ofSeconds(5), SaStateCharonTest::up);

    int rounds = 0;
    ExecutorService both = Executors.newFixedThreadPool(2);
    try {
      while (!reportedTwice(rekeyedOnA) && !reportedTwice(rekeyedOnB)) {
        assertThat(rounds++)
            .as("no rekey collision in %d rounds of simultaneous rekeys", rounds)
            .isLessThan(MAX_COLLISION_ROUNDS);
        // the same SA by its unique id on each end, so a rekey that lost the race finds it REKEYED
        long idOnA = trackerA.snapshot().connections().get(CONN).children().get(CHILD).uniqueId();
        long idOnB =
            trackerB.snapshot().connections().get(PEER_CONN).children().get(PEER_CHILD).uniqueId();
        CyclicBarrier atOnce = new CyclicBarrier(2);
        Future<?> a = both.submit(() -> rekeyAt(atOnce, clientA, idOnA));
        Future<?> b = both.submit(() -> rekeyAt(atOnce, clientB, idOnB));
        a.get(5, TimeUnit.SECONDS);
        b.get(5, TimeUnit.SECONDS);
        awaitSettled(rekeyedOnA, rekeyedOnB, trackerA, trackerB);
      }
    } finally {
      both.shutdownNow();
    }
    System.out.printf(
        "rekey collision after %d round(s); old CHILD SAs reported: A %s, B %s%n",
        rounds, rekeyedOnA, rekeyedOnB);
    assertThat(trackerA.snapshot().connections().get(CONN).rekeys().childRekeys())
        .as("A's rekeys, charon reported old SAs %s", rekeyedOnA)
        .isEqualTo(Set.copyOf(rekeyedOnA).size());
    assertThat(trackerB.snapshot().connections().get(PEER_CONN).rekeys().childRekeys())
        .as("B's rekeys, charon reported old SAs %s", rekeyedOnB)
        .isEqualTo(Set.copyOf(rekeyedOnB).size());
  }

  private static Void rekeyAt(CyclicBarrier atOnce, ViciClient client, long childId)
      throws Exception {
    ViciMessage request = ViciMessage.empty().put("child-id", Long.toString(childId));
    atOnce.await(5, TimeUnit.SECONDS);
    client.call("rekey", request);
    return null;
  }

  /** The unique ids of the old CHILD SAs in a {@code child-rekey} event. */
  private static List<Long> oldIds(ViciMessage event) {
    return event.sections().values().stream()
        .flatMap(ike -> ike.section("child-sas").stream())
        .flatMap(children -> children.sections().values().stream())
        .flatMap(pair -> pair.section("old").stream())
        .map(old -> Long.parseLong(old.string("uniqueid", "-1")))
        .toList();
  }

  private static boolean reportedTwice(List<Long> oldIds) {
    return Set.copyOf(oldIds).size() < oldIds.size();
  }

  /**
   * Until both ends are up with one CHILD SA and no rekey has been reported for a second (a
   * retransmitted exchange under load can take seconds), at most 15 s.
   */
  private void awaitSettled(
      List<Long> onA, List<Long> onB, SaStateTracker trackerA, SaStateTracker trackerB)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    int seen = -1;
    while (System.nanoTime() < deadline) {
      int now = onA.size() + onB.size();
      ConnectionState a = trackerA.snapshot().connections().get(CONN);
      ConnectionState b = trackerB.snapshot().connections().get(PEER_CONN);
      if (now == seen && a != null && up(a) && b != null && up(b)) {
        return;
      }
      seen = now;
      Thread.sleep(1000);
    }
    throw new AssertionError("the rekeys did not settle within 15 s: A " + onA + ", B " + onB);
  }

  @Test
  void killedPeerIsDeclaredDeadByDpdAndTheRestartReestablishes() throws Exception {
    SiteToSite s = SiteToSite.create("vc", dir);
    s.a().fastRetransmit();
    s.b().fastRetransmit();
    start(s);
    loadTunnel(
        Map.of("dpd_delay", "2s", "keyingtries", "0"),
        Map.of("dpd_action", "restart"),
        "dpd-secret",
        "dpd-secret");
    new ViciCommands(clientA).initiate(CHILD, Optional.of(CONN), Duration.ofSeconds(10));
    ConnectionState before = awaitConn(trackerA, Duration.ofSeconds(5), SaStateCharonTest::up);

    // a monitor on B sees its charon die and come back, i.e. restart
    AtomicInteger restartsSeenByB = new AtomicInteger();
    SaStateTracker trackerB = new SaStateTracker();
    ViciClient monitorClientB = sites.b().newClient();
    toClose.push(monitorClientB);
    SaStateMonitor monitorB =
        new SaStateMonitor(
                monitorClientB, trackerB, Duration.ofSeconds(1), restartsSeenByB::incrementAndGet)
            .start();
    toClose.push(monitorB);
    assertThat(monitorB.awaitSubscribed(Duration.ofSeconds(5))).isTrue();
    awaitConn(trackerB, Duration.ofSeconds(5), SaStateCharonTest::up);

    Instant killedAt = Instant.now();
    sites.b().kill();
    clientB.close();
    // the DPD log lines and the down events arrive in no fixed order: wait for both
    ConnectionState dead =
        awaitConn(
            trackerA,
            Duration.ofSeconds(10),
            c ->
                c.deadPeerDetection() != null
                    && c.deadPeerDetection().actionTaken() == DpdAction.RESTART
                    && c.childrenInstalled() == 0);
    // first DPD request within dpd_delay (2 s), given up 3 s later (1 s timeout, 2 retransmits);
    // charon's defaults would take minutes. The upper bound leaves room for a loaded machine.
    Duration detection = Duration.between(killedAt, dead.deadPeerDetection().lastDetectedAt());
    assertThat(detection).isBetween(Duration.ofMillis(2900), Duration.ofSeconds(7));
    assertThat(dead.deadPeerDetection().lastOutcome()).isEqualTo(DpdOutcome.PEER_DEAD);
    assertThat(dead.deadPeerDetection().count()).isEqualTo(1);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(trackerB.snapshot().connections())
                    .as("a dead charon has no SAs")
                    .doesNotContainKey(PEER_CONN));
    ConnectionState retrying =
        awaitConn(
            trackerA,
            Duration.ofSeconds(8),
            c ->
                c.lastFailure() != null
                    && c.lastFailure().reason() == FailureReason.PEER_NOT_RESPONDING);
    assertThat(retrying.ikeSa().state()).isEqualTo("CONNECTING");
    AgentStateFixtures.recordOrVerify("dpd-restart", documentA());

    sites.b().start();
    clientB = sites.b().newClient();
    loadTunnelOnBOnly("dpd-secret");
    ConnectionState back = awaitConn(trackerA, Duration.ofSeconds(10), SaStateCharonTest::up);
    assertThat(back.ikeSa().uniqueId()).isGreaterThan(before.ikeSa().uniqueId());
    assertThat(back.deadPeerDetection().count()).as("history is kept").isEqualTo(1);

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> restartsSeenByB.get() == 1);
    // the restarted charon reuses unique id 1: the tracker must not mix it up with the old SA
    Instant killedSecond = killedAt.truncatedTo(ChronoUnit.SECONDS);
    awaitConn(
        trackerB,
        Duration.ofSeconds(10),
        c -> up(c) && !c.ikeSa().establishedAt().isBefore(killedSecond));
    Thread.sleep(1500); // more polls: still one restart
    assertThat(restartsSeenByB).hasValue(1);
  }

  private void loadTunnelOnBOnly(String secret) {
    ViciCommands b = new ViciCommands(clientB);
    b.loadShared(SiteToSite.psk("ike-" + PEER_CONN, secret));
    b.loadConn(PEER_CONN, SiteToSite.pskConnection(B, PEER_CHILD, Map.of(), Map.of()));
  }

  @Test
  void wrongPskIsReportedAsAuthenticationFailureOnBothSides() throws Exception {
    start(SiteToSite.create("vc", dir));
    SaStateTracker trackerB = new SaStateTracker();
    SaStateMonitor monitorB =
        new SaStateMonitor(clientB, trackerB, Duration.ofSeconds(1), null).start();
    toClose.push(monitorB);
    assertThat(monitorB.awaitSubscribed(Duration.ofSeconds(5))).isTrue();
    loadTunnel(Map.of(), Map.of(), "the-right-secret", "not-the-right-one");
    assertThatThrownBy(
            () ->
                new ViciCommands(clientA)
                    .initiate(CHILD, Optional.of(CONN), Duration.ofSeconds(10)))
        .isInstanceOf(ViciCommandException.class)
        .hasMessageContaining(CHILD);
    ConnectionState initiator =
        awaitConn(
            trackerA,
            Duration.ofSeconds(5),
            c ->
                c.lastFailure() != null
                    && c.lastFailure().reason() == FailureReason.AUTHENTICATION_FAILED);
    assertThat(initiator.ikeSa()).isNull();
    assertThat(initiator.deadPeerDetection()).isNull();
    ConnectionState responder =
        awaitConn(
            trackerB,
            Duration.ofSeconds(5),
            c ->
                c.lastFailure() != null
                    && c.lastFailure().reason() == FailureReason.AUTHENTICATION_FAILED);
    assertThat(responder.lastFailure().message()).contains("MAC mismatched");
    AgentStateDocument document = documentA();
    String json =
        AgentStateJson.write(document)
            + AgentStateJson.mapper().writeValueAsString(trackerB.snapshot());
    assertThat(json).doesNotContain("the-right-secret", "not-the-right-one");
    AgentStateFixtures.recordOrVerify("auth-failed", document);
  }
}
