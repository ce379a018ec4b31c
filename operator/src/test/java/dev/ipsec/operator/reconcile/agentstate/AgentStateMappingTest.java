package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.CryptoGroupReconcilerTest;
import dev.ipsec.operator.reconcile.status.PeerEvents;
import dev.ipsec.operator.reconcile.status.PeerStatusBuilder;
import dev.ipsec.operator.render.RenderedGateway.RenderedConnection;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent-state fixtures recorded against real charon (by the agent's own tests) through the
 * parser, the status builder and the transition events: what a user will see on the IpsecPeer.
 */
class AgentStateMappingTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC);
  static final RenderedConnection CHILDREN =
      new RenderedConnection("peer-b", List.of("peer-b-tunnel-1"), List.of());

  static AgentReport fixture(String name) throws IOException {
    return AgentReports.read("gw-gateway-0", AgentDocuments.fixtureJson(name));
  }

  static IpsecPeerStatus status(IpsecPeerStatus previous, AgentReport report) {
    GatewayStateStore store = new GatewayStateStore();
    var gw = new GatewayStateStore.GatewayId("vpn", "gw");
    store.put(gw, report);
    return PeerStatusBuilder.build(
        previous, 1L, List.of(), false, CHILDREN, store.observe(gw, "peer-b"), CLOCK);
  }

  @Test
  void establishedFixtureGivesReadyPeerWithSaDetails() throws IOException {
    IpsecPeerStatus s = status(null, fixture("established"));
    assertThat(condition(s, "Established").getStatus()).isEqualTo("True");
    assertThat(condition(s, "TunnelsUp").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(s.getIkeSa().getState()).isEqualTo("ESTABLISHED");
    assertThat(s.getIkeSa().getVersion()).isEqualTo(2);
    assertThat(s.getIkeSa().getRemoteHost()).isEqualTo("192.0.2.2");
    assertThat(s.getIkeSa().getAlgorithms().getEncryption()).isEqualTo("AES_CBC-128");
    assertThat(s.getIkeSa().getAlgorithms().getIntegrity()).isEqualTo("HMAC_SHA2_256_128");
    assertThat(s.getIkeSa().getAlgorithms().getPrf()).isEqualTo("PRF_HMAC_SHA2_256");
    assertThat(s.getIkeSa().getAlgorithms().getDhGroup()).isEqualTo("CURVE_25519");
    assertThat(s.getTunnels())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getName()).isEqualTo("peer-b-tunnel-1");
              assertThat(t.getState()).isEqualTo("INSTALLED");
              assertThat(t.getMode()).isEqualTo("tunnel");
              assertThat(t.getEncapsulation()).isTrue();
              assertThat(t.getLocalTrafficSelectors()).containsExactly("198.51.100.1/32");
              assertThat(t.getRemoteTrafficSelectors()).containsExactly("203.0.113.1/32");
            });
    assertThat(s.getTunnelSummary()).isEqualTo("1/1");
  }

  @Test
  void theGatewayPartOfTheDocumentReachesTheReport() throws IOException {
    AgentReport report = fixture("established");
    assertThat(report.strongswanVersion()).isEqualTo("5.9.8");
    assertThat(report.configRevision()).isEqualTo("r1");
    assertThat(report.connectionsLoaded()).isEqualTo(1);
    assertThat(report.loadErrors()).isEmpty();
    // what charon implements, for the UnsupportedAlgorithm check
    assertThat(report.charonAlgorithms().get("dh")).contains("CURVE_25519", "ECP_256", "MODP_2048");
    assertThat(report.charonAlgorithms().get("aead")).contains("AES_GCM_16");
  }

  @Test
  void aKeyOrSecretTheGatewayRefusedShowsOnThePeerItWasRenderedForOnly() throws IOException {
    var loader =
        AgentDocuments.loader(
            "r1",
            List.of(AgentDocuments.loaded("peer-b"), AgentDocuments.loaded("peer-c")),
            Map.of("ike-peer-x", "refused"),
            Map.of("private/peer-b.pem", "parsing ANY private key failed"));
    AgentReport report =
        AgentReports.read(
            "gw-gateway-0", AgentDocuments.json(AgentDocuments.withoutSas(3, loader)));
    GatewayStateStore store = new GatewayStateStore();
    var gw = new GatewayStateStore.GatewayId("vpn", "gw");
    store.put(gw, report);

    IpsecPeerStatus b =
        PeerStatusBuilder.build(
            null, 1L, List.of(), false, CHILDREN, store.observe(gw, "peer-b"), CLOCK);
    assertThat(condition(b, "Established").getReason()).isEqualTo("ConfigRejected");
    assertThat(condition(b, "Established").getMessage())
        .contains("private/peer-b.pem: parsing ANY private key failed");
    IpsecPeerStatus c =
        PeerStatusBuilder.build(
            null,
            1L,
            List.of(),
            false,
            new RenderedConnection("peer-c", List.of("peer-c-tunnel-1"), List.of()),
            store.observe(gw, "peer-c"),
            CLOCK);
    assertThat(condition(c, "Established").getReason()).isNotEqualTo("ConfigRejected");
    // every refusal is still listed for the gateway, also the one no peer owns
    assertThat(report.loadErrors())
        .contains(
            "private/peer-b.pem: parsing ANY private key failed", "secret ike-peer-x: refused");
  }

  @Test
  void renegotiatedSelectorsAreAStatusTransition() throws IOException {
    IpsecPeerStatus before = status(null, fixture("established"));
    IpsecPeerStatus after = status(before, fixture("established"));
    after.getTunnels().get(0).setLocalTrafficSelectors(List.of("198.51.100.0/27"));
    assertThat(PeerStatusBuilder.differsBeyondTimers(after, before)).isTrue();
  }

  @Test
  void authFailureFixtureGivesReasonAndOneEvent() throws IOException {
    IpsecPeerStatus up = status(null, fixture("established"));
    IpsecPeerStatus failed = status(up, fixture("auth-failed"));
    Condition established = condition(failed, "Established");
    assertThat(established.getStatus()).isEqualTo("False");
    assertThat(established.getReason()).isEqualTo("AuthenticationFailed");
    assertThat(failed.getLastFailure().getReason()).isEqualTo("AuthenticationFailed");
    assertThat(condition(failed, "Ready").getStatus()).isEqualTo("False");
    assertThat(failed.getTunnels())
        .singleElement()
        .satisfies(t -> assertThat(t.getState()).isEqualTo("DOWN"));

    PeerEvents events = new PeerEvents(CLOCK);
    assertThat(events.between("vpn/peer-b", up, failed))
        .extracting(PeerEvents.PeerEvent::reason)
        .containsExactlyInAnyOrder("TunnelDown", "AuthenticationFailed");
    // the same failure seen again is no news
    assertThat(events.between("vpn/peer-b", failed, status(failed, fixture("auth-failed"))))
        .isEmpty();
  }

  @Test
  void dpdFixtureReportsDeadPeerDetection() throws IOException {
    IpsecPeerStatus up = status(null, fixture("established"));
    IpsecPeerStatus dead = status(up, fixture("dpd-restart"));
    assertThat(dead.getDeadPeerDetection().getLastOutcome()).isEqualTo("PeerDead");
    assertThat(dead.getDeadPeerDetection().getActionTaken()).isEqualTo("restart");
    assertThat(dead.getDeadPeerDetection().getCount()).isEqualTo(1);
    // the agent's nanoseconds are cut: status shows no sub-second noise
    assertThat(dead.getDeadPeerDetection().getLastDetectedAt())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(dead.getIkeSa().getState()).isEqualTo("CONNECTING");
    assertThat(condition(dead, "Established").getReason()).isEqualTo("PeerNotResponding");
    assertThat(new PeerEvents(CLOCK).between("vpn/peer-b", up, dead))
        .extracting(PeerEvents.PeerEvent::reason)
        .contains("TunnelDown", "DeadPeerDetected");
  }

  @Test
  void aRekeyIsOneStatusWriteTimersAloneAreNoneAndTheRekeyEventIsAggregated() throws IOException {
    IpsecPeerStatus up = status(null, fixture("established"));
    IpsecPeerStatus rekeyed = status(up, fixture("rekeyed"));
    assertThat(rekeyed.getRekeys().getIkeRekeys()).isEqualTo(1);
    assertThat(rekeyed.getRekeys().getChildRekeys()).isEqualTo(2);
    // the rekey history moved: written, so status shows the count and time advancing ...
    assertThat(PeerStatusBuilder.differsBeyondTimers(rekeyed, up)).isTrue();
    // ... without touching the conditions
    assertThat(condition(rekeyed, "Ready").getLastTransitionTime())
        .isEqualTo(condition(up, "Ready").getLastTransitionTime());
    // between rekeys only timers move (another poll, an agent restart recomputing them): no write
    IpsecPeerStatus later = status(rekeyed, fixture("rekeyed"));
    later.getIkeSa().setNextRekeyAt("2026-11-27T05:00:00Z");
    later.getIkeSa().setEstablishedAt("2026-11-27T00:00:01Z");
    later
        .getTunnels()
        .forEach(
            t -> {
              t.setInstalledAt("2026-11-27T00:00:01Z");
              t.setNextRekeyAt("2026-11-27T01:00:00Z");
            });
    assertThat(PeerStatusBuilder.differsBeyondTimers(later, rekeyed)).isFalse();

    var clock = new MutableClock(Instant.parse("2026-11-27T00:00:00Z"));
    PeerEvents events = new PeerEvents(clock);
    assertThat(events.between("vpn/peer-b", up, up))
        .isEmpty(); // first sight: remembered, not reported
    assertThat(events.between("vpn/peer-b", up, rekeyed))
        .extracting(PeerEvents.PeerEvent::reason)
        .containsExactly("Rekeyed");
    IpsecPeerStatus moreRekeys = status(up, fixture("rekeyed"));
    moreRekeys.getRekeys().setChildRekeys(40L);
    assertThat(events.between("vpn/peer-b", rekeyed, moreRekeys)).isEmpty(); // within the interval
    clock.now = clock.now.plus(PeerEvents.REKEY_EVENT_INTERVAL);
    assertThat(events.between("vpn/peer-b", rekeyed, moreRekeys))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("38 rekeys"));
  }

  @Test
  void unreachableAgentMakesEstablishedUnknownAndKeepsTheLastKnownSa() throws IOException {
    IpsecPeerStatus up = status(null, fixture("established"));
    IpsecPeerStatus lost =
        status(
            up,
            AgentReport.unreachable(
                "gw-gateway-0", "agent of pod gw-gateway-0 not reachable", fixture("established")));
    assertThat(condition(lost, "Established").getStatus()).isEqualTo("Unknown");
    assertThat(condition(lost, "Established").getReason()).isEqualTo("AgentUnreachable");
    assertThat(lost.getIkeSa().getState()).isEqualTo("ESTABLISHED");
    assertThat(new PeerEvents(CLOCK).between("vpn/peer-b", up, lost)).isEmpty();
    // still unreachable on the next pass: the same status, no write
    assertThat(
            PeerStatusBuilder.differsBeyondTimers(
                status(
                    lost,
                    AgentReport.unreachable(
                        "gw-gateway-0",
                        "agent of pod gw-gateway-0 not reachable",
                        fixture("established"))),
                lost))
        .isFalse();
  }

  @Test
  void connectionTheAgentCouldNotLoadIsConfigRejected() throws IOException {
    var loader =
        AgentDocuments.loader(
            "abc",
            List.of(AgentDocuments.refused("peer-b", "unknown option 'foo'")),
            Map.of(),
            Map.of());
    AgentReport report =
        AgentReports.read(
            "gw-gateway-0", AgentDocuments.json(AgentDocuments.withoutSas(3, loader)));
    assertThat(report.strongswanVersion()).isEqualTo("5.9.8");
    assertThat(report.configRevision()).isEqualTo("abc");
    assertThat(report.agentRevision()).isEqualTo(3);
    assertThat(report.connectionsLoaded()).isZero();
    assertThat(report.loadErrors()).containsExactly("peer-b: unknown option 'foo'");
    IpsecPeerStatus s = status(null, report);
    assertThat(condition(s, "Established").getReason()).isEqualTo("ConfigRejected");
    assertThat(new PeerEvents(CLOCK).between("vpn/peer-b", null, s))
        .extracting(PeerEvents.PeerEvent::reason)
        .containsExactly("ConfigRejected");
  }

  static Condition condition(IpsecPeerStatus s, String type) {
    return CryptoGroupReconcilerTest.condition(s.getConditions(), type);
  }

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
