package dev.ipsec.operator.agent.volume;

import dev.ipsec.operator.agent.wire.LoaderStatus.ConfigPending;
import java.util.List;

/**
 * What the configuration volume holds right now: a complete revision ({@link #view()}), or what
 * keeps it from loading ({@link #gap()}). Names files only, never content or digests (a digest of a
 * pre-shared key file would let anyone who reads the agent's state test guesses of the key).
 *
 * @param view the complete revision, or null when the volume does not hold one
 * @param gap null when complete; else the incompleteness as the agent's state reports it, once it
 *     has lasted: one look does not know how long, so its {@code since} is null until the {@link
 *     VolumeStatusTracker} sets it
 * @param unlistedFiles files of the volume that no manifest lists, by their names in the volume
 *     ({@code conf.d..x.conf}); never loaded
 */
public record VolumeCheck(VerifiedView view, ConfigPending gap, List<String> unlistedFiles) {

  public VolumeCheck {
    if ((view == null) == (gap == null)) {
      throw new IllegalArgumentException("a volume check is either complete or has a gap");
    }
    unlistedFiles = List.copyOf(unlistedFiles);
  }

  static VolumeCheck complete(VerifiedView view, List<String> unlistedFiles) {
    return new VolumeCheck(view, null, unlistedFiles);
  }

  /**
   * @param revision the revision the manifests announce; null when they are missing, unreadable or
   *     disagree
   * @param missingFiles listed files that are absent (logical paths)
   * @param mismatchedFiles listed files that are present but not as listed: another digest, outside
   *     the volume, not a regular file, too large, unreadable
   * @param problem one line for humans
   */
  static VolumeCheck incomplete(
      String revision,
      List<String> missingFiles,
      List<String> mismatchedFiles,
      String problem,
      List<String> unlistedFiles) {
    return new VolumeCheck(
        null,
        new ConfigPending(revision, null, missingFiles, mismatchedFiles, problem),
        unlistedFiles);
  }

  public boolean complete() {
    return view != null;
  }

  /** The revision the volume holds, or announces when incomplete (null when that is unknown). */
  public String revision() {
    return complete() ? view.revision() : gap.revision();
  }

  /** Why the volume cannot be loaded, one line for humans; null when complete. */
  public String problem() {
    return complete() ? null : gap.reason();
  }
}
