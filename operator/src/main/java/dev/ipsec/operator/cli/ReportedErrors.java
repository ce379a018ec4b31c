package dev.ipsec.operator.cli;

import dev.ipsec.operator.render.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The error lines of one report, each problem once. {@code validate} runs what the API server
 * checks (binding, then the CRD's schema and CEL rules) and then what the operator checks (the
 * groups, rendering, placement), and the two overlap on purpose: the operator re-checks the CRD's
 * rules with the same messages (a group's proposals, a lifetime's range, unique tunnel ids), so one
 * mistake used to be printed twice. Checks run in stages; a later stage's error on a field that an
 * earlier stage already reported for the same resource, or on a field inside it, is the same
 * mistake and is dropped. Within one stage every distinct error is kept. A top-level field ({@code
 * spec}) covers only itself: an error there does not hide the errors in its fields.
 */
final class ReportedErrors {

  private final List<String> lines = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();

  /** Fields reported by the stages before the current one, per resource label. */
  private final Map<String, List<String>> earlierStages = new HashMap<>();

  private final Map<String, List<String>> currentStage = new HashMap<>();

  /** An error of no resource in particular, such as a file that cannot be read. */
  void add(String line) {
    if (seen.add(line)) {
      lines.add(line);
    }
  }

  /** An error of {@code resource} ({@code Kind/name}) at a field. */
  void add(String resource, FieldError error) {
    for (String reported : earlierStages.getOrDefault(resource, List.of())) {
      if (covers(reported, error.path())) {
        return;
      }
    }
    currentStage.computeIfAbsent(resource, r -> new ArrayList<>()).add(error.path());
    add(resource + ": " + error);
  }

  /** The checks that follow are of a later stage. */
  void nextStage() {
    currentStage.forEach(
        (resource, paths) ->
            earlierStages.computeIfAbsent(resource, r -> new ArrayList<>()).addAll(paths));
    currentStage.clear();
  }

  static boolean covers(String reported, String path) {
    if (path.equals(reported)) {
      return true;
    }
    boolean topLevel = !reported.contains(".") && !reported.contains("[");
    return !topLevel && (path.startsWith(reported + ".") || path.startsWith(reported + "["));
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  boolean isEmpty() {
    return lines.isEmpty();
  }
}
