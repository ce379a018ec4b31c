package dev.ipsec.operator.reconcile.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.DeadPeerDetectionStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.api.v1alpha1.RekeyStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "counters stay honest across an agent restart": a gateway counts DPD outcomes and
 * rekeys from its agent's start ({@code countingSince}). A restarted agent counts from zero again,
 * from a later time: the status says so, and the Events neither miss a detection nor a rekey
 * because the count went down, nor invent one because it went up from the new start.
 */
class CountersAcrossAgentRestartTest {
  private static final String FIRST_AGENT = "2026-12-06T08:00:00Z";
  private static final String SECOND_AGENT = "2026-12-06T09:00:00Z";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

  private static IpsecPeerStatus withDpd(long count, String since) {
    IpsecPeerStatus s = new IpsecPeerStatus();
    DeadPeerDetectionStatus dpd = new DeadPeerDetectionStatus();
    dpd.setCount(count);
    dpd.setActionTaken("restart");
    dpd.setCountingSince(since);
    s.setDeadPeerDetection(dpd);
    return s;
  }

  private static IpsecPeerStatus withRekeys(long ike, String since) {
    IpsecPeerStatus s = new IpsecPeerStatus();
    RekeyStatus r = new RekeyStatus();
    r.setIkeRekeys(ike);
    r.setChildRekeys(0L);
    r.setCountingSince(since);
    s.setRekeys(r);
    return s;
  }

  private static List<String> reasons(List<PeerEvents.PeerEvent> events) {
    return events.stream().map(PeerEvents.PeerEvent::reason).toList();
  }

  @Test
  void theFirstDetectionAfterARestartIsNewsThoughTheCountIsLower() {
    PeerEvents events = new PeerEvents(CLOCK);

    var afterRestart =
        events.between("vpn/alpha", withDpd(5, FIRST_AGENT), withDpd(1, SECOND_AGENT));

    assertThat(reasons(afterRestart)).containsExactly("DeadPeerDetected");
  }

  @Test
  void aRestartAloneIsNoDetection() {
    PeerEvents events = new PeerEvents(CLOCK);

    var restartOnly = events.between("vpn/alpha", withDpd(5, FIRST_AGENT), new IpsecPeerStatus());
    var sameAgent = events.between("vpn/alpha", withDpd(5, FIRST_AGENT), withDpd(5, FIRST_AGENT));

    assertThat(restartOnly).isEmpty();
    assertThat(sameAgent).isEmpty();
  }

  @Test
  void rekeysCountedByARestartedAgentAreReportedFromItsNewStart() {
    PeerEvents events = new PeerEvents(CLOCK);
    // first sight after the operator's start: history, not news
    assertThat(events.between("vpn/alpha", null, withRekeys(40, FIRST_AGENT))).isEmpty();

    var restarted =
        events.between("vpn/alpha", withRekeys(40, FIRST_AGENT), withRekeys(3, SECOND_AGENT));

    assertThat(restarted)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo("Rekeyed");
              assertThat(e.message()).startsWith("3 rekeys since the last report");
            });
  }
}
