package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * A key fires at once when quiet, at most once per interval while asked again, and always once more
 * after the last request of a burst; the scheduler here runs the interval's end by hand.
 */
class CoalescingTriggerTest {

  static final Duration INTERVAL = Duration.ofMillis(300);

  /** The tasks scheduled and not run yet, with their delays. */
  final List<Runnable> scheduled = new ArrayList<>();

  final List<Duration> delays = new ArrayList<>();
  final List<String> fired = new ArrayList<>();
  final CoalescingTrigger<String> trigger =
      new CoalescingTrigger<>(
          INTERVAL,
          (task, delay) -> {
            scheduled.add(task);
            delays.add(delay);
          },
          fired::add);

  @Test
  void aQuietKeyFiresAtOnce() {
    trigger.request("gw-1");

    assertThat(fired).containsExactly("gw-1");
    assertThat(delays).as("the end of its interval, nothing before").containsExactly(INTERVAL);
  }

  @Test
  void aBurstFiresOnceAtOnceAndOnceAtTheEndOfTheInterval() {
    for (int i = 0; i < 50; i++) {
      trigger.request("gw-1");
    }
    assertThat(fired).containsExactly("gw-1");

    endOfInterval();
    assertThat(fired).as("the last request folded into one more firing").hasSize(2);

    endOfInterval();
    assertThat(fired).as("nothing asked since: no third").hasSize(2);
    assertThat(scheduled).isEmpty();
    assertThat(trigger.active()).as("a quiet key is forgotten").isZero();
  }

  @Test
  void aRequestAfterTheKeyWentQuietFiresAtOnceAgain() {
    trigger.request("gw-1");
    endOfInterval();
    trigger.request("gw-1");

    assertThat(fired).containsExactly("gw-1", "gw-1");
  }

  @Test
  void aKeyAskedInEveryIntervalFiresOncePerInterval() {
    trigger.request("gw-1");
    for (int interval = 0; interval < 10; interval++) {
      trigger.request("gw-1");
      trigger.request("gw-1");
      endOfInterval();
    }
    assertThat(fired).hasSize(11);
    endOfInterval();
    assertThat(fired).hasSize(11);
  }

  @Test
  void keysDoNotWaitForEachOther() {
    trigger.request("gw-1");
    trigger.request("gw-1");
    trigger.request("gw-2");

    assertThat(fired).containsExactly("gw-1", "gw-2");
  }

  @Test
  void aZeroIntervalFiresEveryRequest() {
    List<String> every = new ArrayList<>();
    CoalescingTrigger<String> direct =
        new CoalescingTrigger<>(
            Duration.ZERO,
            (task, delay) -> {
              throw new AssertionError("nothing to schedule");
            },
            every::add);
    direct.request("gw-1");
    direct.request("gw-1");

    assertThat(every).containsExactly("gw-1", "gw-1");
  }

  @Test
  void aStoppedSchedulerLeavesNoKeyBehind() {
    List<String> seen = new ArrayList<>();
    CoalescingTrigger<String> stopping =
        new CoalescingTrigger<>(
            INTERVAL,
            (task, delay) -> {
              throw new RejectedExecutionException("stopped");
            },
            seen::add);
    stopping.request("gw-1");

    assertThat(seen).containsExactly("gw-1");
    assertThat(stopping.active()).isZero();
  }

  @Test
  void aNegativeIntervalIsRefused() {
    assertThatThrownBy(() -> new CoalescingTrigger<String>(Duration.ofMillis(-1), null, k -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Runs the tasks due at the end of the current interval. */
  private void endOfInterval() {
    List<Runnable> due = new ArrayList<>(scheduled);
    scheduled.clear();
    delays.clear();
    due.forEach(Runnable::run);
  }
}
