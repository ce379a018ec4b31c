package dev.ipsec.operator.agent;

import dev.ipsec.operator.agent.apply.ApplyResult;
import dev.ipsec.operator.agent.apply.ConfigApplier;
import dev.ipsec.operator.agent.apply.ViciChannel;
import dev.ipsec.operator.agent.swanctl.ConfigDirectory;
import dev.ipsec.operator.agent.swanctl.DesiredConfig;
import dev.ipsec.operator.agent.volume.ManifestVerifier;
import dev.ipsec.operator.agent.volume.VerifiedView;
import dev.ipsec.operator.agent.volume.VolumeCheck;
import dev.ipsec.operator.agent.volume.VolumeStatusTracker;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One look at the configuration volume, and what follows in charon: the volume is checked against
 * its manifests ({@link ManifestVerifier}); a complete revision is read from the checked bytes
 * ({@link ConfigDirectory}) and applied ({@link ConfigApplier}).
 *
 * <p>An incomplete view (a torn kubelet refresh, a file that does not match its digest, a missing
 * or invalid manifest) changes nothing in charon: the last complete revision stays loaded, and no
 * connection is unloaded because its file is missing from a torn view. On a full load (start,
 * charon restart) during an incomplete view, charon gets that last complete revision again; before
 * any revision was complete, nothing is loaded. The {@link VolumeStatusTracker} decides when the
 * state reports the incompleteness and the ignored files.
 *
 * <p>Not thread-safe: the agent loop owns it.
 */
final class ConfigLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  /**
   * What one look did.
   *
   * @param applied what was applied, or null when the volume held nothing to apply
   * @param desired the configuration applied, or null
   * @param recheckAt when the volume should be looked at again even without an event (see {@link
   *     VolumeStatusTracker.Report#recheckAt()})
   * @param unchecked whether only the changed files were read: the volume must be looked at again
   *     at once, to check the files of this view that were not read again
   */
  record Pass(
      ApplyResult applied, DesiredConfig desired, Optional<Instant> recheckAt, boolean unchecked) {
    Pass(ApplyResult applied, DesiredConfig desired, Optional<Instant> recheckAt) {
      this(applied, desired, recheckAt, false);
    }
  }

  private final ManifestVerifier verifier;
  private final ConfigDirectory directory;
  private final ConfigApplier applier;
  private final VolumeStatusTracker volumeStatus;
  private final Clock clock;

  /** The last complete revision read: what a full load restores while the view is incomplete. */
  private DesiredConfig lastComplete;

  private VolumeStatusTracker.Report report = VolumeStatusTracker.Report.NOTHING;
  private String lastProblem;

  ConfigLoader(Path configDir, ViciChannel vici, Clock clock, Duration settleTime) {
    this.verifier = new ManifestVerifier(configDir);
    this.directory = new ConfigDirectory(configDir);
    this.applier = new ConfigApplier(vici, clock);
    this.volumeStatus = new VolumeStatusTracker(settleTime);
    this.clock = clock;
  }

  /**
   * Looks at the volume and applies a complete revision ({@code full}: reconciling with charon's
   * own view, see {@link ConfigApplier#apply}).
   *
   * @throws IOException when the volume itself cannot be read
   */
  Pass load(boolean full) throws IOException {
    if (!full) {
      Optional<VolumeCheck> changed = verifier.checkChanged();
      if (changed.isPresent()) {
        return loadChanged(changed.get().view());
      }
    }
    VolumeCheck check = verifier.check();
    observe(check);
    if (check.complete()) {
      DesiredConfig desired = directory.read(check.view());
      lastComplete = desired;
      return new Pass(
          applier.apply(desired, full, directory.lastChange()), desired, report.recheckAt());
    }
    if (full && lastComplete != null) {
      return new Pass(applier.apply(lastComplete, true), lastComplete, report.recheckAt());
    }
    return new Pass(null, null, report.recheckAt());
  }

  /**
   * Applies a revision whose changed files alone were read ({@link ManifestVerifier#checkChanged}).
   * The pass says so ({@link Pass#unchecked()}): the caller follows it with another look at once,
   * which finds nothing new to apply and checks the whole volume, so charon gets the change first
   * and a file someone edited behind its unchanged digest (never part of this view) is still
   * reported right after.
   */
  private Pass loadChanged(VerifiedView view) {
    DesiredConfig desired = directory.read(view);
    lastComplete = desired;
    // only the changed items: the applier checks that the read they change is what it applied
    ApplyResult applied = applier.apply(desired, false, directory.lastChange());
    return new Pass(applied, desired, report.recheckAt(), true);
  }

  private void observe(VolumeCheck check) {
    VolumeStatusTracker.Report previous = report;
    report = volumeStatus.observe(check, clock.instant());
    logChanges(check, previous);
  }

  /** What is loaded and what failed, with what the volume's last look found to report. */
  LoaderStatus status() {
    return applier.status().withVolume(report.pending(), report.ignoredFiles());
  }

  /** When each certificate loaded into charon expires, by its file. */
  Map<String, Instant> loadedCertificatesNotAfter() {
    return applier.loadedCertificatesNotAfter();
  }

  /** Logs transitions only: the loop looks at an incomplete volume every probe. */
  private void logChanges(VolumeCheck check, VolumeStatusTracker.Report previous) {
    String loaded = lastComplete == null ? "none" : lastComplete.revision();
    if (!Objects.equals(check.problem(), lastProblem)) {
      if (check.complete()) {
        if (lastProblem != null) {
          LOG.info("configuration volume complete again: revision {}", check.revision());
        }
      } else {
        LOG.info(
            "configuration volume {}: {}; loaded revision stays {}",
            verifier.root(),
            check.problem(),
            loaded);
      }
      lastProblem = check.problem();
    }
    if (report.pending() != null && previous.pending() == null) {
      LOG.warn(
          "configuration volume incomplete since {}: {}; loaded revision stays {}",
          report.pending().since(),
          report.pending().reason(),
          loaded);
    }
    List<String> newlyIgnored = new ArrayList<>(report.ignoredFiles());
    newlyIgnored.removeAll(previous.ignoredFiles());
    if (!newlyIgnored.isEmpty()) {
      LOG.warn("ignoring files that no manifest lists (never loaded): {}", newlyIgnored);
    }
  }
}
