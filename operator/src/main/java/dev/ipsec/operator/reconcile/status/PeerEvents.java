package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.DeadPeerDetectionStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.api.v1alpha1.RekeyStatus;
import dev.ipsec.operator.render.FieldError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Events a peer's status change deserves: {@code TunnelUp}, {@code TunnelDown}, {@code
 * DeadPeerDetected}, {@code AuthenticationFailed}, {@code ConfigRejected}, {@code InvalidSpec} (or
 * {@code TooLarge}, {@code GatewayFull} for a peer left out for want of room), and {@code Rekeyed},
 * which is aggregated: at most one per peer per {@link #REKEY_EVENT_INTERVAL}, counting every rekey
 * since the last one.
 */
public final class PeerEvents {

  public static final Duration REKEY_EVENT_INTERVAL = Duration.ofMinutes(10);

  /** An Event to record. */
  public record PeerEvent(String type, String reason, String message) {}

  private record RekeyMark(long total, Instant emittedAt, String countingSince) {}

  private final Clock clock;
  private final Map<String, RekeyMark> rekeyMarks = new ConcurrentHashMap<>();

  public PeerEvents(Clock clock) {
    this.clock = clock;
  }

  public List<PeerEvent> between(String peerKey, IpsecPeerStatus before, IpsecPeerStatus after) {
    List<PeerEvent> events = new ArrayList<>();
    Condition wasValid = Conditions.find(conditions(before), PeerStatusBuilder.VALID);
    Condition valid = Conditions.find(after.getConditions(), PeerStatusBuilder.VALID);
    if (valid != null
        && Conditions.FALSE.equals(valid.getStatus())
        && (wasValid == null
            || !Objects.equals(wasValid.getMessage(), valid.getMessage())
            || !Conditions.FALSE.equals(wasValid.getStatus()))) {
      // a peer that renders but has no room is named by its own reason (TooLarge, GatewayFull)
      String reason =
          FieldError.INVALID.equals(valid.getReason()) ? "InvalidSpec" : valid.getReason();
      events.add(new PeerEvent(EventRecorder.WARNING, reason, valid.getMessage()));
    }
    Condition wasUp = Conditions.find(conditions(before), PeerStatusBuilder.ESTABLISHED);
    Condition up = Conditions.find(after.getConditions(), PeerStatusBuilder.ESTABLISHED);
    boolean wasEstablished = wasUp != null && Conditions.TRUE.equals(wasUp.getStatus());
    boolean established = up != null && Conditions.TRUE.equals(up.getStatus());
    if (established && !wasEstablished) {
      events.add(new PeerEvent(EventRecorder.NORMAL, "TunnelUp", up.getMessage()));
    } else if (wasEstablished && up != null && Conditions.FALSE.equals(up.getStatus())) {
      events.add(new PeerEvent(EventRecorder.WARNING, "TunnelDown", up.getMessage()));
    }
    if (up != null
        && "ConfigRejected".equals(up.getReason())
        && (wasUp == null || !"ConfigRejected".equals(wasUp.getReason()))) {
      events.add(new PeerEvent(EventRecorder.WARNING, "ConfigRejected", up.getMessage()));
    }
    long dpdBefore = dpdCountBefore(before, after);
    if (after.getDeadPeerDetection() != null
        && after.getDeadPeerDetection().getCount() != null
        && after.getDeadPeerDetection().getCount() > dpdBefore) {
      events.add(
          new PeerEvent(
              EventRecorder.WARNING,
              "DeadPeerDetected",
              "dead peer detected ("
                  + after.getDeadPeerDetection().getCount()
                  + " times), action "
                  + after.getDeadPeerDetection().getActionTaken()));
    }
    if (after.getLastFailure() != null
        && "AuthenticationFailed".equals(after.getLastFailure().getReason())
        && (before == null
            || before.getLastFailure() == null
            || !Objects.equals(before.getLastFailure().getAt(), after.getLastFailure().getAt()))) {
      events.add(
          new PeerEvent(
              EventRecorder.WARNING,
              "AuthenticationFailed",
              Objects.requireNonNullElse(
                  after.getLastFailure().getMessage(), "authentication failed")));
    }
    rekeyed(peerKey, after.getRekeys()).ifPresent(events::add);
    return events;
  }

  /**
   * The DPD count the new one is compared with: none when the gateway began counting anew (its
   * agent restarted), so the first detection after a restart is news, not a count going down.
   */
  private static long dpdCountBefore(IpsecPeerStatus before, IpsecPeerStatus after) {
    DeadPeerDetectionStatus was = before == null ? null : before.getDeadPeerDetection();
    DeadPeerDetectionStatus now = after.getDeadPeerDetection();
    boolean countsAnew =
        was != null
            && now != null
            && !Objects.equals(was.getCountingSince(), now.getCountingSince());
    return was == null || was.getCount() == null || countsAnew ? 0 : was.getCount();
  }

  private Optional<PeerEvent> rekeyed(String peerKey, RekeyStatus rekeys) {
    if (rekeys == null) {
      return Optional.empty();
    }
    long total = nz(rekeys.getIkeRekeys()) + nz(rekeys.getChildRekeys());
    Instant now = Instant.now(clock);
    RekeyMark mark = rekeyMarks.get(peerKey);
    if (mark != null && !Objects.equals(mark.countingSince(), rekeys.getCountingSince())) {
      // the gateway counts anew (its agent restarted): every rekey it counts now is news
      mark = new RekeyMark(0, mark.emittedAt(), rekeys.getCountingSince());
      rekeyMarks.put(peerKey, mark);
    }
    if (mark == null) {
      // first sight after a start: remember, do not report history as news
      rekeyMarks.put(
          peerKey,
          new RekeyMark(total, now.minus(REKEY_EVENT_INTERVAL), rekeys.getCountingSince()));
      return Optional.empty();
    }
    if (total > mark.total() && !now.isBefore(mark.emittedAt().plus(REKEY_EVENT_INTERVAL))) {
      rekeyMarks.put(peerKey, new RekeyMark(total, now, rekeys.getCountingSince()));
      return Optional.of(
          new PeerEvent(
              EventRecorder.NORMAL,
              "Rekeyed",
              (total - mark.total())
                  + " rekeys since the last report (IKE "
                  + nz(rekeys.getIkeRekeys())
                  + ", CHILD "
                  + nz(rekeys.getChildRekeys())
                  + " in total)"));
    }
    return Optional.empty();
  }

  public void forget(String peerKey) {
    rekeyMarks.remove(peerKey);
  }

  private static List<Condition> conditions(IpsecPeerStatus s) {
    return s == null ? List.of() : s.getConditions();
  }

  private static long nz(Long v) {
    return v == null ? 0 : v;
  }
}
