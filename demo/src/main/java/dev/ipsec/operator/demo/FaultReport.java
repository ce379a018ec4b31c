package dev.ipsec.operator.demo;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one fault of {@code demo --chaos} did, as one line: how long until every peer was Ready
 * again with pings through both tunnels, the status writes and Events made from the fault until the
 * objects were quiet again (counted in the API server's request log), and what of that was churn or
 * lost.
 *
 * @param fault the fault
 * @param recoveredAfter from the injection until every peer was Ready and the pings passed; empty
 *     when that did not happen within the wait
 * @param pingsPassed whether pings crossed both tunnels at the end
 * @param statusWrites PATCH and PUT requests on the {@code /status} of ipsec.dev kinds
 * @param written the objects whose status was written, with how often ({@code ipsecpeers/a 2x})
 * @param events creates, updates and patches of Events (core and events.k8s.io)
 * @param eventReasons the new Events' reasons with their objects ({@code TunnelDown site-b})
 * @param churn each spurious write, Event or Ready flip, in words
 * @param lost each peer not Ready again, and each fact of the running state ({@link RunningState})
 *     that differs from before the fault, in words
 */
public record FaultReport(
    ChaosFault fault,
    Optional<Duration> recoveredAfter,
    boolean pingsPassed,
    int statusWrites,
    List<String> written,
    int events,
    List<String> eventReasons,
    List<String> churn,
    List<String> lost) {

  public FaultReport {
    written = List.copyOf(written);
    eventReasons = List.copyOf(eventReasons);
    churn = List.copyOf(churn);
    lost = List.copyOf(lost);
  }

  /** Recovered within the fault's bound, pings through, no churn, nothing lost. */
  public boolean passed() {
    return recoveredAfter.filter(d -> d.compareTo(fault.bound()) <= 0).isPresent()
        && pingsPassed
        && churn.isEmpty()
        && lost.isEmpty();
  }

  /** The one line printed for the fault. */
  public String line() {
    String recovery =
        recoveredAfter
            .map(d -> String.format("Ready again after %.1f s", d.toMillis() / 1000.0))
            .orElse("NOT Ready again");
    return String.format(
        "  %-4s %-17s %s (bound %d s); pings %s; %d status writes%s, %d Events%s; %s; %s",
        passed() ? "ok" : "FAIL",
        fault.label(),
        recovery,
        fault.bound().toSeconds(),
        pingsPassed ? "pass through both tunnels" : "FAIL",
        statusWrites,
        written.isEmpty() ? "" : " (" + String.join(", ", written) + ")",
        events,
        eventReasons.isEmpty() ? "" : " (" + String.join(", ", eventReasons) + ")",
        churn.isEmpty() ? "no churn" : "churn: " + String.join(", ", churn),
        lost.isEmpty() ? "nothing lost" : "lost: " + String.join(", ", lost));
  }
}
