package dev.ipsec.operator.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.wire.AgentStateJson;
import dev.ipsec.operator.agent.wire.StateSnapshot;
import dev.ipsec.operator.agent.wire.StateSnapshot.ConnectionState;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdAction;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdOutcome;
import dev.ipsec.operator.agent.wire.StateSnapshot.FailureReason;
import dev.ipsec.operator.vici.ViciMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The tracker on event and log sequences as charon 5.9.8 emits them (shapes and order from the
 * measurements in docs/reference/strongswan-in-tests.md, sections 3-5 and 8).
 */
class SaStateTrackerTest {

  static final Instant T0 = Instant.parse("2026-11-26T12:00:00.250Z");
  final MutableClock clock = new MutableClock(T0);
  final SaStateTracker tracker = new SaStateTracker(clock);

  // ------------------------------------------------------------------ message builders

  static ViciMessage ike(long id, String state, int established, Integer rekeyIn, String ispi) {
    ViciMessage m =
        ViciMessage.empty()
            .put("uniqueid", Long.toString(id))
            .put("version", "2")
            .put("state", state)
            .put("local-host", "192.0.2.1")
            .put("local-port", "4500")
            .put("local-id", "a.test")
            .put("remote-host", "192.0.2.2")
            .put("remote-port", "4500")
            .put("remote-id", "b.test")
            .put("initiator", "yes")
            .put("initiator-spi", ispi)
            .put(
                "responder-spi",
                state.equals("CONNECTING") ? "0000000000000000" : "5f7c0a1b2c3d4e5f")
            .put("nat-remote", "yes")
            .put("nat-fake", "yes");
    if (!state.equals("CONNECTING")) {
      m.put("encr-alg", "AES_CBC")
          .put("encr-keysize", "128")
          .put("integ-alg", "HMAC_SHA2_256_128")
          .put("prf-alg", "PRF_HMAC_SHA2_256")
          .put("dh-group", "CURVE_25519")
          .put("established", Integer.toString(established));
    }
    if (rekeyIn != null) {
      m.put("rekey-time", Integer.toString(rekeyIn));
    }
    return m;
  }

  static ViciMessage child(
      String name, long id, String state, String spiIn, int installed, int rekeyIn, long bytes) {
    return ViciMessage.empty()
        .put("name", name)
        .put("uniqueid", Long.toString(id))
        .put("reqid", "1")
        .put("state", state)
        .put("mode", "TUNNEL")
        .put("protocol", "ESP")
        .put("encap", "yes")
        .put("spi-in", spiIn)
        .put("spi-out", "c" + spiIn.substring(1))
        .put("encr-alg", "AES_GCM_16")
        .put("encr-keysize", "128")
        .put("bytes-in", Long.toString(bytes))
        .put("packets-in", Long.toString(bytes / 84))
        .put("bytes-out", Long.toString(bytes))
        .put("packets-out", Long.toString(bytes / 84))
        .put("rekey-time", Integer.toString(rekeyIn))
        .put("life-time", Integer.toString(rekeyIn + 360))
        .put("install-time", Integer.toString(installed))
        .putList("local-ts", List.of("198.51.100.1/32"))
        .putList("remote-ts", List.of("203.0.113.1/32"));
  }

  static ViciMessage withChildren(ViciMessage ike, ViciMessage... children) {
    ViciMessage sas = ViciMessage.empty();
    for (ViciMessage c : children) {
      sas.putSection(c.string("name").orElseThrow() + "-" + c.string("uniqueid").orElseThrow(), c);
    }
    return ike.putSection("child-sas", sas);
  }

  static ViciMessage listSa(String conn, ViciMessage ike) {
    return ViciMessage.empty().putSection(conn, ike);
  }

  static ViciMessage updown(boolean up, String conn, ViciMessage ike) {
    ViciMessage m = ViciMessage.empty();
    if (up) {
      m.put("up", "yes");
    }
    return m.putSection(conn, ike);
  }

  static ViciMessage log(String conn, long ikeId, int level, String msg) {
    ViciMessage m =
        ViciMessage.empty()
            .put("group", "IKE")
            .put("level", Integer.toString(level))
            .put("thread", "7");
    if (conn != null) {
      m.put("ikesa-name", conn).put("ikesa-uniqueid", Long.toString(ikeId));
    }
    return m.put("msg", msg);
  }

  private ConnectionState tun() {
    return tracker.snapshot().connections().get("tun");
  }

  private void establishedTunnel(long bytes) {
    tracker.onListSas(
        List.of(
            listSa(
                "tun",
                withChildren(
                    ike(1, "ESTABLISHED", 5, 14000, "1111111111111111"),
                    child("c1", 1, "INSTALLED", "a0000001", 5, 3000, bytes)))));
  }

  // ------------------------------------------------------------------ tests

  @Test
  void steadyPollsKeepTheRevisionWhileCountersAndTimersMove() {
    establishedTunnel(0);
    StateSnapshot first = tracker.snapshot();
    assertThat(first.revision()).isEqualTo(1);
    ConnectionState tun = first.connections().get("tun");
    assertThat(tun.ikeSa().state()).isEqualTo("ESTABLISHED");
    assertThat(tun.ikeSa().algorithms())
        .isEqualTo("AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519");
    assertThat(tun.ikeSa().establishedAt()).isEqualTo(Instant.parse("2026-11-26T11:59:55Z"));
    assertThat(tun.ikeSa().nextRekeyAt()).isEqualTo(Instant.parse("2026-11-26T15:53:20Z"));
    assertThat(tun.children().get("c1").installedAt())
        .isEqualTo(Instant.parse("2026-11-26T11:59:55Z"));
    assertThat(tun.childrenInstalled()).isEqualTo(1);

    for (int i = 1; i <= 5; i++) {
      // 10.7 s later charon reports 10 s more elapsed and 10 s less to go, plus new traffic
      clock.advance(Duration.ofMillis(10_700));
      int elapsed = (int) Duration.between(T0, clock.instant()).getSeconds();
      tracker.onListSas(
          List.of(
              listSa(
                  "tun",
                  withChildren(
                      ike(1, "ESTABLISHED", 5 + elapsed, 14000 - elapsed, "1111111111111111"),
                      child(
                          "c1",
                          1,
                          "INSTALLED",
                          "a0000001",
                          5 + elapsed,
                          3000 - elapsed,
                          840L * i)))));
    }
    assertThat(tracker.snapshot()).isSameAs(first);
    assertThat(tracker.traffic())
        .containsExactly(new TrafficCounters("tun", "c1", 4200, 4200, 50, 50));
  }

  @Test
  void childRekeyCountsOnceAndTheLingeringDeletedSaIsNotShown() {
    establishedTunnel(840);
    clock.advance(Duration.ofSeconds(10));
    tracker.onEvent("child-rekey", childRekey(1, "a0000001", 2, "a0000002"));
    ConnectionState afterEvent = tun();
    assertThat(afterEvent.rekeys().childRekeys()).isEqualTo(1);
    assertThat(afterEvent.rekeys().lastChildRekeyAt()).isEqualTo(clock.instant());
    assertThat(afterEvent.children().get("c1").uniqueId()).isEqualTo(2);
    assertThat(afterEvent.children().get("c1").spiIn()).isEqualTo("a0000002");

    long revision = tracker.snapshot().revision();
    clock.advance(Duration.ofMillis(300));
    tracker.onListSas(
        List.of(
            listSa(
                "tun",
                withChildren(
                    ike(1, "ESTABLISHED", 15, 13990, "1111111111111111"),
                    child("c1", 1, "DELETED", "a0000001", 10, 0, 1680),
                    child("c1", 2, "INSTALLED", "a0000002", 0, 3000, 84)))));
    assertThat(tun().children().get("c1").state()).isEqualTo("INSTALLED");
    assertThat(tun().childrenInstalled()).isEqualTo(1);
    assertThat(tracker.snapshot().revision()).isEqualTo(revision);

    clock.advance(Duration.ofSeconds(5)); // delete_rekeyed_delay: the old SA is gone
    tracker.onListSas(
        List.of(
            listSa(
                "tun",
                withChildren(
                    ike(1, "ESTABLISHED", 20, 13985, "1111111111111111"),
                    child("c1", 2, "INSTALLED", "a0000002", 5, 2995, 420)))));
    assertThat(tracker.snapshot().revision()).isEqualTo(revision);
    assertThat(tracker.traffic())
        .containsExactly(new TrafficCounters("tun", "c1", 2100, 2100, 25, 25));
  }

  /**
   * A rekey collision (both ends rekey the same CHILD SA at once): the winning charon reports the
   * old SA twice, as responder to the peer's rekey and for its own, then deletes the redundant SA.
   * That is one rekey; the next rekey, of the surviving SA, is counted again.
   */
  @Test
  void aRekeyCollisionCountsOneRekey() {
    establishedTunnel(840);
    clock.advance(Duration.ofSeconds(10));
    Instant collisionAt = clock.instant();
    tracker.onEvent("child-rekey", childRekey(1, "a0000001", 2, "a0000002"));
    clock.advance(Duration.ofMillis(3));
    tracker.onEvent("child-rekey", childRekey(1, "a0000001", 3, "a0000003"));
    assertThat(tun().rekeys().childRekeys()).isEqualTo(1);
    assertThat(tun().rekeys().lastChildRekeyAt()).isEqualTo(collisionAt);

    clock.advance(Duration.ofSeconds(25));
    tracker.onEvent("child-rekey", childRekey(3, "a0000003", 4, "a0000004"));
    assertThat(tun().rekeys().childRekeys()).isEqualTo(2);
    assertThat(tun().rekeys().lastChildRekeyAt()).isEqualTo(clock.instant());
  }

  @Test
  void anIkeRekeyCollisionCountsOneRekey() {
    establishedTunnel(0);
    clock.advance(Duration.ofSeconds(20));
    tracker.onEvent("ike-rekey", ikeRekey(1, 2, "2222222222222222"));
    tracker.onEvent("ike-rekey", ikeRekey(1, 3, "3333333333333333"));
    assertThat(tun().rekeys().ikeRekeys()).isEqualTo(1);
    tracker.onEvent("ike-rekey", ikeRekey(3, 4, "4444444444444444"));
    assertThat(tun().rekeys().ikeRekeys()).isEqualTo(2);
  }

  /** A restarted charon numbers its SAs from 1 again: a rekey of a reused id is a new rekey. */
  @Test
  void afterADaemonRestartAReusedOldIdCountsAgain() {
    establishedTunnel(840);
    tracker.onEvent("child-rekey", childRekey(1, "a0000001", 2, "a0000002"));
    tracker.onDaemonRestart();
    establishedTunnel(0);
    tracker.onEvent("child-rekey", childRekey(1, "b0000001", 2, "b0000002"));
    assertThat(tun().rekeys().childRekeys()).isEqualTo(2);
  }

  private static ViciMessage childRekey(long oldId, String oldSpi, long newId, String newSpi) {
    return ViciMessage.empty()
        .putSection(
            "tun",
            ike(1, "ESTABLISHED", 15, 13990, "1111111111111111")
                .putSection(
                    "child-sas",
                    ViciMessage.empty()
                        .putSection(
                            "c1",
                            ViciMessage.empty()
                                .putSection("old", child("c1", oldId, "REKEYED", oldSpi, 10, 0, 0))
                                .putSection(
                                    "new", child("c1", newId, "INSTALLED", newSpi, 0, 3000, 0)))));
  }

  private static ViciMessage ikeRekey(long oldId, long newId, String newSpi) {
    return ViciMessage.empty()
        .putSection(
            "tun",
            ViciMessage.empty()
                .putSection("old", ike(oldId, "REKEYING", 25, null, "1111111111111111"))
                .putSection("new", ike(newId, "ESTABLISHED", 0, 14000, newSpi)));
  }

  /** list-sas with noblock skips IKE SAs that are busy (e.g. in a DPD exchange) at that moment. */
  @Test
  void anSaSkippedByOneNoblockPollIsKeptAndDroppedAfterTwo() {
    establishedTunnel(840);
    StateSnapshot before = tracker.snapshot();
    clock.advance(Duration.ofSeconds(5));
    tracker.onListSas(List.of());
    assertThat(tracker.snapshot()).isSameAs(before);
    assertThat(tracker.traffic())
        .containsExactly(new TrafficCounters("tun", "c1", 840, 840, 10, 10));
    clock.advance(Duration.ofSeconds(5));
    establishedTunnel(1680);
    assertThat(tracker.snapshot()).isSameAs(before);
    assertThat(tracker.traffic())
        .containsExactly(new TrafficCounters("tun", "c1", 1680, 1680, 20, 20));
    tracker.onListSas(List.of());
    tracker.onListSas(List.of());
    assertThat(tracker.snapshot().connections()).doesNotContainKey("tun");
    assertThat(tracker.traffic())
        .containsExactly(new TrafficCounters("tun", "c1", 1680, 1680, 20, 20));
  }

  @Test
  void ikeRekeyMovesChildrenToTheNewSaAndCounts() {
    establishedTunnel(0);
    clock.advance(Duration.ofSeconds(20));
    tracker.onEvent(
        "ike-rekey",
        ViciMessage.empty()
            .putSection(
                "tun",
                ViciMessage.empty()
                    .putSection("old", ike(1, "REKEYING", 25, null, "1111111111111111"))
                    .putSection("new", ike(2, "ESTABLISHED", 0, 14000, "2222222222222222"))));
    ConnectionState tun = tun();
    assertThat(tun.ikeSa().uniqueId()).isEqualTo(2);
    assertThat(tun.ikeSa().establishedAt()).isEqualTo(Instant.parse("2026-11-26T12:00:20Z"));
    assertThat(tun.children()).containsKey("c1");
    assertThat(tun.rekeys().ikeRekeys()).isEqualTo(1);
    assertThat(tun.rekeys().lastIkeRekeyAt()).isEqualTo(clock.instant());
  }

  /** Log lines and updown events have no stable order: both orders give the same outcome. */
  @Test
  void dpdRestartWithTheGiveUpLoggedBeforeTheDownEvent() {
    dpdRestart(true);
  }

  @Test
  void dpdRestartWithTheDownEventBeforeTheGiveUpLine() {
    dpdRestart(false);
  }

  private void dpdRestart(boolean logFirst) {
    establishedTunnel(0);
    tracker.onListConns(
        List.of(
            ViciMessage.empty()
                .putSection(
                    "tun",
                    ViciMessage.empty()
                        .putSection(
                            "children",
                            ViciMessage.empty()
                                .putSection(
                                    "c1", ViciMessage.empty().put("dpd_action", "restart"))))));
    long before = tracker.snapshot().revision();
    clock.advance(Duration.ofMillis(875));
    tracker.onEvent("log", log("tun", 1, 1, "sending DPD request"));
    clock.advance(Duration.ofSeconds(1));
    tracker.onEvent("log", log("tun", 1, 1, "retransmit 1 of request with message ID 4"));
    clock.advance(Duration.ofSeconds(1));
    tracker.onEvent("log", log("tun", 1, 1, "retransmit 2 of request with message ID 4"));
    assertThat(tracker.snapshot().revision()).as("probing is not a transition").isEqualTo(before);
    clock.advance(Duration.ofSeconds(1));
    Instant gaveUp = clock.instant();
    ViciMessage down = updown(false, "tun", ike(1, "ESTABLISHED", 9, 13990, "1111111111111111"));
    ViciMessage childDown =
        updown(
            false,
            "tun",
            withChildren(
                ike(1, "ESTABLISHED", 9, 13990, "1111111111111111"),
                child("c1", 1, "INSTALLED", "a0000001", 9, 2990, 0)));
    if (logFirst) {
      tracker.onEvent("log", log("tun", 1, 1, "giving up after 2 retransmits"));
      // charon has destroyed SA #1 by now: its DPD outcome never shows next to it as ESTABLISHED
      assertThat(tun().deadPeerDetection().count()).isEqualTo(1);
      assertThat(tun().ikeSa()).isNull();
      assertThat(tun().childrenInstalled()).isZero();
      tracker.onEvent("log", log("tun", 1, 1, "restarting CHILD_SA c1"));
      tracker.onEvent("log", log("tun", 1, 0, "initiating IKE_SA tun[2] to 192.0.2.2"));
      tracker.onEvent("ike-updown", down);
      tracker.onEvent("child-updown", childDown);
    } else {
      tracker.onEvent("ike-updown", down);
      tracker.onEvent("child-updown", childDown);
      tracker.onListSas(List.of(listSa("tun", ike(2, "CONNECTING", 0, null, "3333333333333333"))));
      tracker.onEvent("log", log("tun", 1, 1, "giving up after 2 retransmits"));
      tracker.onEvent("log", log("tun", 1, 1, "restarting CHILD_SA c1"));
    }
    ConnectionState tun = tun();
    assertThat(tun.deadPeerDetection().lastOutcome()).isEqualTo(DpdOutcome.PEER_DEAD);
    assertThat(tun.deadPeerDetection().actionTaken()).isEqualTo(DpdAction.RESTART);
    assertThat(tun.deadPeerDetection().lastDetectedAt()).isEqualTo(gaveUp);
    assertThat(tun.deadPeerDetection().count()).isEqualTo(1);
    assertThat(tun.childrenInstalled()).isZero();

    // the restarted SA #2 retries while the peer is away: a failure, not another DPD
    for (int attempt = 2; attempt <= 4; attempt++) {
      clock.advance(Duration.ofSeconds(3));
      tracker.onListSas(List.of(listSa("tun", ike(2, "CONNECTING", 0, null, "3333333333333333"))));
      tracker.onEvent("log", log("tun", 2, 1, "giving up after 2 retransmits"));
      tracker.onEvent(
          "log", log("tun", 2, 1, "peer not responding, trying again (" + attempt + "/0)"));
      if (attempt == 2) {
        before = tracker.snapshot().revision();
      }
    }
    assertThat(tracker.snapshot().revision())
        .as("a retry loop is one failure episode")
        .isEqualTo(before);
    tun = tun();
    assertThat(tun.deadPeerDetection().count()).isEqualTo(1);
    assertThat(tun.lastFailure().reason()).isEqualTo(FailureReason.PEER_NOT_RESPONDING);
    assertThat(tun.ikeSa().state()).isEqualTo("CONNECTING");

    clock.advance(Duration.ofSeconds(1));
    tracker.onEvent(
        "ike-updown", updown(true, "tun", ike(2, "ESTABLISHED", 0, 14000, "3333333333333333")));
    tracker.onListSas(
        List.of(
            listSa(
                "tun",
                withChildren(
                    ike(2, "ESTABLISHED", 0, 14000, "3333333333333333"),
                    child("c1", 2, "INSTALLED", "a0000009", 0, 3000, 0)))));
    tun = tun();
    assertThat(tun.ikeSa().state()).isEqualTo("ESTABLISHED");
    assertThat(tun.ikeSa().uniqueId()).isEqualTo(2);
    assertThat(tun.childrenInstalled()).isEqualTo(1);
    // the failure stays as history, but a new failure starts a new episode
    clock.advance(Duration.ofSeconds(1));
    tracker.onEvent("log", log("tun", 2, 1, "peer not responding, trying again (2/0)"));
    assertThat(tun().lastFailure().at()).isEqualTo(clock.instant());
  }

  @Test
  void dpdWithoutRestartUsesTheConfiguredAction() {
    establishedTunnel(0);
    tracker.onListConns(
        List.of(
            ViciMessage.empty()
                .putSection(
                    "tun",
                    ViciMessage.empty()
                        .putSection(
                            "children",
                            ViciMessage.empty()
                                .putSection(
                                    "c1", ViciMessage.empty().put("dpd_action", "trap"))))));
    tracker.onEvent("log", log("tun", 1, 1, "giving up after 2 retransmits"));
    assertThat(tun().deadPeerDetection().actionTaken()).isEqualTo(DpdAction.TRAP);
    assertThat(tun().deadPeerDetection().count()).isEqualTo(1);
    // the same SA cannot die twice
    tracker.onEvent("log", log("tun", 1, 1, "giving up after 2 retransmits"));
    assertThat(tun().deadPeerDetection().count()).isEqualTo(1);
  }

  @Test
  void ikev1DpdTimeoutIsAlsoADeadPeer() {
    establishedTunnel(0);
    tracker.onEvent("log", log("tun", 1, 1, "DPD check timed out, enforcing DPD action"));
    assertThat(tun().deadPeerDetection().lastOutcome()).isEqualTo(DpdOutcome.PEER_DEAD);
    assertThat(tun().deadPeerDetection().actionTaken()).isEqualTo(DpdAction.CLEAR);
  }

  @Test
  void giveUpOnANeverEstablishedSaIsAFailedConnectNotDpd() {
    tracker.onListSas(List.of(listSa("tun", ike(1, "CONNECTING", 0, null, "1111111111111111"))));
    tracker.onEvent("log", log("tun", 1, 1, "giving up after 2 retransmits"));
    tracker.onEvent("log", log("tun", 1, 1, "establishing IKE_SA failed, peer not responding"));
    assertThat(tun().deadPeerDetection()).isNull();
    assertThat(tun().lastFailure().reason()).isEqualTo(FailureReason.PEER_NOT_RESPONDING);
  }

  @Test
  void wrongPskOnEitherSideIsAnAuthenticationFailure() {
    // initiator
    tracker.onListSas(List.of(listSa("tun", ike(1, "CONNECTING", 0, null, "1111111111111111"))));
    tracker.onEvent(
        "log", log("tun", 1, 1, "authentication of 'a.test' (myself) with pre-shared key"));
    tracker.onEvent("log", log("tun", 1, 1, "received AUTHENTICATION_FAILED notify error"));
    tracker.onEvent(
        "ike-updown", updown(false, "tun", ike(1, "CONNECTING", 0, null, "1111111111111111")));
    assertThat(tun().lastFailure().reason()).isEqualTo(FailureReason.AUTHENTICATION_FAILED);
    assertThat(tun().lastFailure().message())
        .isEqualTo("received AUTHENTICATION_FAILED notify error");
    assertThat(tun().ikeSa()).isNull();
    assertThat(tun().deadPeerDetection()).isNull();

    // responder: the line before config selection has no connection, the mismatch has
    SaStateTracker responder = new SaStateTracker(clock);
    responder.onEvent("log", log("(unnamed)", 1, 0, "192.0.2.1 is initiating an IKE_SA"));
    responder.onEvent(
        "log", log("tun", 1, 1, "tried 1 shared key for 'b.test' - 'a.test', but MAC mismatched"));
    assertThat(responder.snapshot().connections().get("tun").lastFailure().reason())
        .isEqualTo(FailureReason.AUTHENTICATION_FAILED);
    assertThat(responder.snapshot().connections()).containsOnlyKeys("tun");
  }

  @Test
  void rekeyLogLinesThatLookLikeTeardownChangeNothing() {
    establishedTunnel(0);
    long revision = tracker.snapshot().revision();
    for (String msg :
        List.of(
            "closing CHILD_SA c1{1} with SPIs a0000001_i (0 bytes) c0000001_o (0 bytes) and TS"
                + " 198.51.100.1/32 === 203.0.113.1/32",
            "CHILD_SA closed",
            "deleting IKE_SA tun[1] between 192.0.2.1[a.test]...192.0.2.2[b.test]",
            "IKE_SA deleted",
            "initiating IKE_SA tun[2] to 192.0.2.2",
            "sending DPD request")) {
      tracker.onEvent("log", log("tun", 1, 0, msg));
    }
    assertThat(tracker.snapshot().revision()).isEqualTo(revision);
  }

  @Test
  void configuredConnectionsAreListedWithoutSas() {
    tracker.setConfiguredConnections(List.of("tun", "other"));
    assertThat(tracker.snapshot().connections()).containsOnlyKeys("other", "tun");
    assertThat(tracker.snapshot().connections().get("other").ikeSa()).isNull();
    tracker.setConfiguredConnections(List.of("tun"));
    assertThat(tracker.snapshot().connections()).containsOnlyKeys("tun");
  }

  @Test
  void afterADaemonRestartReusedUniqueIdsGetFreshTimes() {
    establishedTunnel(840);
    Instant firstEstablished = tun().ikeSa().establishedAt();
    clock.advance(Duration.ofMinutes(10));
    tracker.onDaemonRestart();
    assertThat(tracker.snapshot().connections())
        .as("no SAs, no history, not configured")
        .doesNotContainKey("tun");
    tracker.onListSas(
        List.of(
            listSa(
                "tun",
                withChildren(
                    ike(1, "ESTABLISHED", 1, 14000, "4444444444444444"),
                    child("c1", 1, "INSTALLED", "a0000007", 1, 3000, 168)))));
    assertThat(tun().ikeSa().establishedAt()).isAfter(firstEstablished.plus(Duration.ofMinutes(9)));
    assertThat(tracker.traffic())
        .containsExactly(new TrafficCounters("tun", "c1", 1008, 1008, 12, 12));
  }

  @Test
  void awaitNewerThanReturnsAtOnceWaitsBoundedAndWakesOnChange() throws Exception {
    establishedTunnel(0);
    long revision = tracker.snapshot().revision();
    assertThat(tracker.awaitNewerThan(revision - 1, Duration.ofSeconds(10)).revision())
        .isEqualTo(revision);

    long started = System.nanoTime();
    assertThat(tracker.awaitNewerThan(revision, Duration.ofMillis(200)).revision())
        .isEqualTo(revision);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(Duration.ofMillis(150), Duration.ofSeconds(2));

    CompletableFuture<StateSnapshot> waiter =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return tracker.awaitNewerThan(revision, Duration.ofSeconds(20));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(100);
    assertThat(waiter).isNotDone();
    tracker.onEvent(
        "ike-updown", updown(false, "tun", ike(1, "ESTABLISHED", 9, 100, "1111111111111111")));
    assertThat(waiter.get(5, TimeUnit.SECONDS).revision()).isEqualTo(revision + 1);
  }

  @Test
  void snapshotsSerialiseToJsonWithoutCountersOrSecrets() throws Exception {
    establishedTunnel(123456);
    String json = AgentStateJson.mapper().writeValueAsString(tracker.snapshot());
    assertThat(json)
        .contains(
            "\"revision\" : 1",
            "\"establishedAt\" : \"2026-11-26T11:59:55Z\"",
            "\"state\" : \"INSTALLED\"")
        .doesNotContain("123456", "bytes");
    StateSnapshot back = AgentStateJson.mapper().readValue(json, StateSnapshot.class);
    assertThat(back).isEqualTo(tracker.snapshot());
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
