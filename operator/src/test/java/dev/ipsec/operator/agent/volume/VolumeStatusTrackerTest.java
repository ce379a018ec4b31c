package dev.ipsec.operator.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A torn view or a leftover file is reported only once it has lasted the settle time. */
class VolumeStatusTrackerTest {

  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static VolumeCheck incomplete(List<String> unlisted) {
    return VolumeCheck.incomplete(
        "r2",
        List.of("conf.d/p9.conf"),
        List.of(),
        "revision r2 is incomplete: 1 listed file(s) missing: conf.d/p9.conf",
        unlisted);
  }

  private static VolumeCheck complete(List<String> unlisted) {
    return VolumeCheck.complete(new VerifiedView("r2", new TreeMap<>(Map.of())), unlisted);
  }

  @Test
  void anIncompleteViewIsPendingOnceItLastedTheSettleTimeAndNoLonger() {
    VolumeStatusTracker tracker = new VolumeStatusTracker(SETTLE);

    VolumeStatusTracker.Report early = tracker.observe(incomplete(List.of()), T0);
    assertThat(early.pending()).isNull();
    assertThat(early.recheckAt()).contains(T0.plus(SETTLE));

    VolumeStatusTracker.Report later = tracker.observe(incomplete(List.of()), T0.plus(SETTLE));
    assertThat(later.pending())
        .satisfies(
            p -> {
              assertThat(p.revision()).isEqualTo("r2");
              assertThat(p.since()).isEqualTo(T0);
              assertThat(p.missingFiles()).containsExactly("conf.d/p9.conf");
              assertThat(p.reason()).contains("conf.d/p9.conf");
            });
    assertThat(later.recheckAt()).isEmpty();

    assertThat(tracker.observe(complete(List.of()), T0.plus(SETTLE).plusSeconds(1)))
        .isEqualTo(VolumeStatusTracker.Report.NOTHING);
    // incomplete again: a new wait, from now
    Instant again = T0.plus(SETTLE).plusSeconds(2);
    assertThat(tracker.observe(incomplete(List.of()), again).recheckAt())
        .contains(again.plus(SETTLE));
  }

  @Test
  void anUnlistedFileIsIgnoredOnceItStayedTheSettleTime() {
    VolumeStatusTracker tracker = new VolumeStatusTracker(SETTLE);

    assertThat(tracker.observe(complete(List.of("conf.d..old.conf")), T0).ignoredFiles()).isEmpty();
    VolumeStatusTracker.Report report =
        tracker.observe(
            complete(List.of("conf.d..old.conf", "conf.d..evil.conf")), T0.plusSeconds(20));
    assertThat(report.ignoredFiles()).isEmpty();
    assertThat(report.recheckAt()).contains(T0.plus(SETTLE));

    report =
        tracker.observe(
            complete(List.of("conf.d..old.conf", "conf.d..evil.conf")), T0.plus(SETTLE));
    assertThat(report.ignoredFiles()).containsExactly("conf.d..old.conf");
    assertThat(report.recheckAt()).contains(T0.plusSeconds(20).plus(SETTLE));

    // the leftover went with the kubelet's next sync; the other one stays and is reported
    report = tracker.observe(complete(List.of("conf.d..evil.conf")), T0.plusSeconds(50));
    assertThat(report.ignoredFiles()).containsExactly("conf.d..evil.conf");
    assertThat(report.recheckAt()).isEmpty();
  }
}
