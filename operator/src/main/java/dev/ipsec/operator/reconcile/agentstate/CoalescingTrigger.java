package dev.ipsec.operator.reconcile.agentstate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Fires a key at most once per interval, and never misses the last request: the first request of a
 * quiet key fires at once; requests within the interval after a firing are folded into one more
 * firing at the interval's end. What the firing starts (a reconcile) reads the latest state then,
 * so it covers every request folded into it. A key quiet for a whole interval is forgotten, so the
 * memory is that of the keys active in the last interval.
 *
 * <p>Why: a gateway's status is one object that every report of every pod of the gateway may
 * change. At one write per report a gateway whose agents report in bursts (a rekey of many peers,
 * many SAs coming up at a pod's start) costs a status write, and a watch event to every watcher,
 * per report; at one per interval it costs one, with the state at its end.
 */
public final class CoalescingTrigger<K> {

  /** Runs a task after a delay: a scheduled executor's, or a test's hand-driven one. */
  public interface Scheduler {
    void schedule(Runnable task, Duration delay);
  }

  /** A key fired within the last interval; {@code due}: asked again since. */
  private static final class Slot {
    boolean due;
  }

  private final Duration interval;
  private final Scheduler scheduler;
  private final Consumer<K> fire;
  private final Map<K, Slot> slots = new ConcurrentHashMap<>();

  /**
   * @param interval the least time between two firings of one key; zero fires every request
   */
  public CoalescingTrigger(Duration interval, Scheduler scheduler, Consumer<K> fire) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("a negative interval: " + interval);
    }
    this.interval = interval;
    this.scheduler = scheduler;
    this.fire = fire;
  }

  /** Asks for {@code key} to fire: now if it did not fire within the interval, else at its end. */
  public void request(K key) {
    if (interval.isZero()) {
      fire.accept(key);
      return;
    }
    boolean[] now = {false};
    slots.compute(
        key,
        (k, slot) -> {
          if (slot == null) {
            now[0] = true;
            return new Slot();
          }
          slot.due = true;
          return slot;
        });
    if (now[0]) {
      endOfIntervalAfterFiring(key);
      fire.accept(key);
    }
  }

  /** How many keys fired within the last interval: for tests. */
  int active() {
    return slots.size();
  }

  private void endOfIntervalAfterFiring(K key) {
    try {
      scheduler.schedule(() -> intervalEnded(key), interval);
    } catch (RejectedExecutionException e) {
      // stopping: nothing is reconciled any more
      slots.remove(key);
    }
  }

  private void intervalEnded(K key) {
    boolean[] again = {false};
    slots.computeIfPresent(
        key,
        (k, slot) -> {
          if (!slot.due) {
            return null; // quiet for a whole interval: the next request fires at once
          }
          slot.due = false;
          again[0] = true;
          return slot;
        });
    if (again[0]) {
      endOfIntervalAfterFiring(key);
      fire.accept(key);
    }
  }
}
