package dev.ipsec.operator.agent.state;

import dev.ipsec.operator.agent.wire.StateSnapshot.FailureReason;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one charon {@code log} line (levels 0-1, the only ones VICI forwards) means for SA state.
 * DPD shows up only here: {@code sending DPD request}, {@code retransmit N of request}, {@code
 * giving up after N retransmits} (IKEv2) or {@code DPD check timed out} (IKEv1), then {@code
 * restarting CHILD_SA x} with {@code dpd_action = restart}.
 *
 * <p>Lines that merely look like trouble ({@code deleting IKE_SA}, {@code closing CHILD_SA}) are
 * deliberately not signals: every normal rekey logs them too.
 */
record LogSignal(Kind kind, FailureReason failure, String child) {

  enum Kind {
    DPD_REQUEST,
    RETRANSMIT,
    GAVE_UP,
    DPD_TIMED_OUT,
    RESTARTING_CHILD,
    CONNECTION_CONFIG_CHANGED,
    FAILURE,
    NONE
  }

  static final LogSignal NONE = new LogSignal(Kind.NONE, null, null);

  private static final Pattern RESTARTING = Pattern.compile("^restarting CHILD_SA (\\S+)");
  private static final Pattern RETRANSMIT =
      Pattern.compile("^retransmit \\d+ of request with message ID \\d+");
  private static final Pattern GAVE_UP = Pattern.compile("^giving up after \\d+ retransmits");
  private static final Pattern CONFIG =
      Pattern.compile(
          "^(added|updated|replaced|unloaded) vici connection: \\S+|^unloaded connection");

  /** A failure and the lines that show it, any of them. */
  private record Rule(FailureReason reason, Pattern pattern) {
    Rule(FailureReason reason, String... lines) {
      this(reason, Pattern.compile("(?:" + String.join(")|(?:", lines) + ")"));
    }
  }

  private static final List<Rule> FAILURES =
      List.of(
          new Rule(
              FailureReason.AUTHENTICATION_FAILED,
              "received AUTHENTICATION_FAILED notify",
              "shared key for .* but MAC mismatched",
              "^no shared key found for",
              "^authentication of .* failed",
              "signature validation failed",
              "^constraint check failed",
              "^no trusted .* public key found for"),
          new Rule(
              FailureReason.NO_PROPOSAL_CHOSEN,
              "received NO_PROPOSAL_CHOSEN notify",
              "^no acceptable proposal found"),
          new Rule(
              FailureReason.TS_UNACCEPTABLE,
              "received TS_UNACCEPTABLE notify",
              "^no acceptable traffic selectors found"),
          new Rule(
              FailureReason.PEER_NOT_RESPONDING,
              "^establishing IKE_SA failed, peer not responding",
              "^peer not responding, trying again"));

  static LogSignal classify(String msg) {
    if (msg == null) {
      return NONE;
    }
    if (msg.startsWith("sending DPD request")) {
      return new LogSignal(Kind.DPD_REQUEST, null, null);
    }
    if (RETRANSMIT.matcher(msg).find()) {
      return new LogSignal(Kind.RETRANSMIT, null, null);
    }
    if (GAVE_UP.matcher(msg).find()) {
      return new LogSignal(Kind.GAVE_UP, null, null);
    }
    if (msg.startsWith("DPD check timed out")) {
      return new LogSignal(Kind.DPD_TIMED_OUT, null, null);
    }
    Matcher restarting = RESTARTING.matcher(msg);
    if (restarting.find()) {
      return new LogSignal(Kind.RESTARTING_CHILD, null, restarting.group(1));
    }
    if (CONFIG.matcher(msg).find()) {
      return new LogSignal(Kind.CONNECTION_CONFIG_CHANGED, null, null);
    }
    for (Rule rule : FAILURES) {
      if (rule.pattern().matcher(msg).find()) {
        return new LogSignal(Kind.FAILURE, rule.reason(), null);
      }
    }
    return NONE;
  }
}
