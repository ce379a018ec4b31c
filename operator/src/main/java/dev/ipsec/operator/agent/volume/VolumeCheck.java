package dev.ipsec.operator.agent.volume;

import java.util.List;

/**
 * What the configuration volume holds right now: a complete revision ({@link #view()}), or why it
 * cannot be loaded. Names files only, never content or digests (a digest of a pre-shared key file
 * would let anyone who reads the agent's state test guesses of the key).
 *
 * @param view the complete revision, or null when the volume does not hold one
 * @param revision the revision the manifests announce; null when they are missing, unreadable or
 *     disagree
 * @param missingFiles listed files that are absent (logical paths)
 * @param mismatchedFiles listed files that are present but not as listed: another digest, outside
 *     the volume, not a regular file, too large, unreadable
 * @param problem one line for humans; null when complete
 * @param unlistedFiles files of the volume that no manifest lists, by their names in the volume
 *     ({@code conf.d..x.conf}); never loaded
 */
public record VolumeCheck(
    VerifiedView view,
    String revision,
    List<String> missingFiles,
    List<String> mismatchedFiles,
    String problem,
    List<String> unlistedFiles) {

  public VolumeCheck {
    missingFiles = List.copyOf(missingFiles);
    mismatchedFiles = List.copyOf(mismatchedFiles);
    unlistedFiles = List.copyOf(unlistedFiles);
  }

  static VolumeCheck complete(VerifiedView view, List<String> unlistedFiles) {
    return new VolumeCheck(view, view.revision(), List.of(), List.of(), null, unlistedFiles);
  }

  static VolumeCheck incomplete(String revision, String problem, List<String> unlistedFiles) {
    return new VolumeCheck(null, revision, List.of(), List.of(), problem, unlistedFiles);
  }

  public boolean complete() {
    return view != null;
  }
}
