package dev.ipsec.operator.demo;

import dev.ipsec.operator.demo.ChaosFault.Visibility;
import io.fabric8.kubernetes.api.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What of a fault's writes and Events is churn, by what users may see of the fault ({@link
 * Visibility}): for {@link Visibility#NOTHING}, every status write, every Event and every Ready
 * flip; for {@link Visibility#ONE_OUTAGE}, a status write that changed nothing (an object's status
 * writes beyond the status changes a watch saw of it), a peer's Ready going down more than once,
 * and an Event reason repeated on one object.
 */
final class FaultChurn {
  private FaultChurn() {}

  /**
   * @param statusWrites the status writes made during the fault (request log)
   * @param events the Events recorded during the fault
   * @param readiness each peer's Ready as it went ({@link ChurnWatch#readiness()})
   * @param statusChanges per object, the versions with a changed status a watch saw ({@link
   *     ChurnWatch#statusChanges()})
   * @return each piece of churn, in words; empty when there was none
   */
  static List<String> of(
      Visibility visibility,
      List<ApiRequest> statusWrites,
      List<Event> events,
      Map<String, List<String>> readiness,
      Map<String, Integer> statusChanges) {
    return visibility == Visibility.NOTHING
        ? anythingSeen(statusWrites, events, readiness)
        : flapsAndEmptyWrites(statusWrites, events, readiness, statusChanges);
  }

  /** Each object whose status was written, with how often: {@code ipsecpeers/site-b 2x}. */
  static List<String> writtenObjects(List<ApiRequest> statusWrites) {
    return writesPerObject(statusWrites).entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue() + "x")
        .toList();
  }

  private static Map<String, Long> writesPerObject(List<ApiRequest> statusWrites) {
    return statusWrites.stream()
        .collect(
            Collectors.groupingBy(
                r -> r.resource().replace("/status", "") + "/" + r.name(),
                TreeMap::new,
                Collectors.counting()));
  }

  /** For a fault users must not see: every status write, Event and Ready flip is churn. */
  private static List<String> anythingSeen(
      List<ApiRequest> statusWrites, List<Event> events, Map<String, List<String>> readiness) {
    List<String> churn = new ArrayList<>();
    writtenObjects(statusWrites).forEach(written -> churn.add("status of " + written));
    events.forEach(
        e -> churn.add("Event " + e.getReason() + " on " + e.getInvolvedObject().getName()));
    readiness.forEach(
        (object, history) -> {
          if (history.size() > 1) {
            churn.add(object + " Ready " + String.join("->", history));
          }
        });
    return churn;
  }

  /**
   * For a real outage: a write that changed nothing, a Ready that went down more than once, an
   * Event reason repeated on one object.
   */
  private static List<String> flapsAndEmptyWrites(
      List<ApiRequest> statusWrites,
      List<Event> events,
      Map<String, List<String>> readiness,
      Map<String, Integer> statusChanges) {
    List<String> churn = new ArrayList<>();
    writesPerObject(statusWrites)
        .forEach(
            (object, writes) -> {
              long unchanged = writes - statusChanges.getOrDefault(object, 0);
              if (unchanged > 0) {
                churn.add(unchanged + " status writes of " + object + " changed nothing");
              }
            });
    readiness.forEach(
        (object, history) -> {
          long downs =
              history.stream().skip(history.isEmpty() ? 0 : 1).filter("False"::equals).count();
          if (downs > 1) {
            churn.add(object + " Ready flapped " + String.join("->", history));
          }
        });
    events.stream()
        .collect(
            Collectors.groupingBy(
                e -> e.getReason() + " on " + e.getInvolvedObject().getName(),
                TreeMap::new,
                Collectors.counting()))
        .forEach(
            (what, n) -> {
              if (n > 1) {
                churn.add("Event " + what + " " + n + "x");
              }
            });
    return churn;
  }
}
