package dev.ipsec.operator.agent.volume;

import dev.ipsec.operator.agent.wire.LoaderStatus.ConfigPending;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what of a {@link VolumeCheck} the agent's state reports. A torn view (the kubelet has
 * refreshed the root ConfigMap but not yet a shard) and a leftover file of the previous revision
 * are normal for the length of a kubelet sync, so they are reported only once they have lasted
 * {@code settleTime}: an incomplete view as {@link ConfigPending}, an unlisted file in the ignored
 * files. Both are judged continuously: a view that completes, or a file that goes, starts over.
 *
 * <p>Not thread-safe: the agent loop owns it.
 */
public final class VolumeStatusTracker {

  /**
   * What to report now.
   *
   * @param pending the incomplete view, once incomplete for {@code settleTime}; else null
   * @param ignoredFiles unlisted files present for {@code settleTime}, sorted
   * @param recheckAt when something not yet reported will have lasted {@code settleTime}: the
   *     volume should be checked again then, even if nothing happens to it
   */
  public record Report(
      ConfigPending pending, List<String> ignoredFiles, Optional<Instant> recheckAt) {
    public static final Report NOTHING = new Report(null, List.of(), Optional.empty());

    public Report {
      ignoredFiles = List.copyOf(ignoredFiles);
    }
  }

  private final Duration settleTime;
  private Instant incompleteSince;
  private final Map<String, Instant> unlistedSince = new HashMap<>();

  public VolumeStatusTracker(Duration settleTime) {
    this.settleTime = settleTime;
  }

  public Report observe(VolumeCheck check, Instant now) {
    Instant recheckAt = null;
    ConfigPending pending = null;
    if (check.complete()) {
      incompleteSince = null;
    } else {
      if (incompleteSince == null) {
        incompleteSince = now;
      }
      if (settled(incompleteSince, now)) {
        pending = check.gap().withSince(incompleteSince);
      } else {
        recheckAt = incompleteSince.plus(settleTime);
      }
    }
    unlistedSince.keySet().retainAll(check.unlistedFiles());
    List<String> ignored = new ArrayList<>();
    for (String file : check.unlistedFiles()) {
      Instant since = unlistedSince.computeIfAbsent(file, f -> now);
      if (settled(since, now)) {
        ignored.add(file);
      } else {
        recheckAt = earliest(recheckAt, since.plus(settleTime));
      }
    }
    ignored.sort(null);
    return new Report(pending, ignored, Optional.ofNullable(recheckAt));
  }

  private boolean settled(Instant since, Instant now) {
    return !now.isBefore(since.plus(settleTime));
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }
}
