package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * After a failed request the follower of a pod's agent asks again soon, then less and less often: a
 * new pod's agent listens a moment after the pod has its IP, an absent one costs one request per
 * {@code retryBackoff}.
 */
class PodFollowerBackoffTest {

  @Test
  void thePauseStartsShortAndDoublesUpToTheConfiguredBackoff() {
    List<Long> pauses =
        IntStream.rangeClosed(1, 7)
            .mapToObj(n -> PodFollower.backoff(n, Duration.ofSeconds(2)).toMillis())
            .toList();
    assertThat(pauses).containsExactly(250L, 500L, 1000L, 2000L, 2000L, 2000L, 2000L);
  }

  @Test
  void aConfiguredBackoffShorterThanTheFirstPauseIsKept() {
    assertThat(PodFollower.backoff(1, Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(200));
    assertThat(PodFollower.backoff(5, Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aLongOutageNeverOverflowsThePause() {
    assertThat(PodFollower.backoff(Integer.MAX_VALUE, Duration.ofSeconds(2)))
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void anAgentThatNeverAnsweredIsAskedEveryFiftyMillisecondsForItsPodsFirstTenSeconds() {
    Duration max = Duration.ofSeconds(2);
    List<Long> starting =
        IntStream.rangeClosed(1, PodFollower.STARTING_RETRIES + 4)
            .mapToObj(n -> PodFollower.backoff(n, false, max).toMillis())
            .toList();
    assertThat(starting.subList(0, PodFollower.STARTING_RETRIES)).containsOnly(50L);
    assertThat(starting.stream().limit(PodFollower.STARTING_RETRIES).mapToLong(l -> l).sum())
        .as("the short pauses cover the first 10 s of a pod, not more")
        .isEqualTo(10_000L);
    assertThat(starting.subList(PodFollower.STARTING_RETRIES, starting.size()))
        .as("then the doubling, as for any agent")
        .containsExactly(250L, 500L, 1000L, 2000L);
    assertThat(PodFollower.backoff(3, true, max))
        .as("an agent that answered before backs off at once")
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aConfiguredBackoffShorterThanTheStartingPauseIsKeptWhileStarting() {
    assertThat(PodFollower.backoff(1, false, Duration.ofMillis(20)))
        .isEqualTo(Duration.ofMillis(20));
  }
}
