package dev.ipsec.operator.threads;

import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A work queue for a thread pool that serves its lanes in turn, first in first out within a lane. A
 * lane with thousands of waiting tasks then delays a task of another lane by at most one task of
 * each lane, not by all of them: with one FIFO queue for every controller, a starting operator's
 * 10,000 peer reconciles were all queued before the gateway's first reconcile, which writes their
 * files. Unbounded, like the queue of {@code Executors.newFixedThreadPool}.
 */
public final class LaneQueue extends AbstractQueue<Runnable> implements BlockingQueue<Runnable> {

  private final Function<Runnable, String> laneOf;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Map<String, ArrayDeque<Runnable>> lanes = new HashMap<>();

  /** The lanes that have tasks, in the order of their turns. */
  private final ArrayDeque<String> turns = new ArrayDeque<>();

  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private int size;

  /**
   * @param laneOf the lane of a task; tasks of the same lane run in the order they came
   */
  public LaneQueue(Function<Runnable, String> laneOf) {
    this.laneOf = laneOf;
  }

  /** Every lane a task was queued in so far: for tests and diagnostics. */
  public Set<String> lanesSeen() {
    return Set.copyOf(seen);
  }

  @Override
  public boolean offer(Runnable task) {
    Objects.requireNonNull(task);
    String lane = laneOf.apply(task);
    lock.lock();
    try {
      ArrayDeque<Runnable> queue = lanes.computeIfAbsent(lane, l -> new ArrayDeque<>());
      if (queue.isEmpty()) {
        turns.addLast(lane);
      }
      queue.addLast(task);
      size++;
      seen.add(lane);
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void put(Runnable task) {
    offer(task);
  }

  @Override
  public boolean offer(Runnable task, long timeout, TimeUnit unit) {
    return offer(task);
  }

  /**
   * The next task, from the lane whose turn it is; that lane's turn then comes after the others.
   */
  private Runnable next() {
    String lane = turns.pollFirst();
    if (lane == null) {
      return null;
    }
    ArrayDeque<Runnable> queue = lanes.get(lane);
    Runnable task = queue.pollFirst();
    if (!queue.isEmpty()) {
      turns.addLast(lane);
    }
    size--;
    return task;
  }

  @Override
  public Runnable poll() {
    lock.lock();
    try {
      return next();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Runnable take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (size == 0) {
        notEmpty.await();
      }
      return next();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (size == 0) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      return next();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Runnable peek() {
    lock.lock();
    try {
      String lane = turns.peekFirst();
      return lane == null ? null : lanes.get(lane).peekFirst();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean remove(Object task) {
    lock.lock();
    try {
      for (Iterator<String> it = turns.iterator(); it.hasNext(); ) {
        ArrayDeque<Runnable> queue = lanes.get(it.next());
        if (queue.remove(task)) {
          size--;
          if (queue.isEmpty()) {
            it.remove();
          }
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int remainingCapacity() {
    return Integer.MAX_VALUE;
  }

  @Override
  public int drainTo(Collection<? super Runnable> into) {
    return drainTo(into, Integer.MAX_VALUE);
  }

  @Override
  public int drainTo(Collection<? super Runnable> into, int most) {
    lock.lock();
    try {
      int n = 0;
      while (n < most && size > 0) {
        into.add(next());
        n++;
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** A copy of the waiting tasks, in the order they would be taken; its remove removes here. */
  @Override
  public Iterator<Runnable> iterator() {
    List<Runnable> copy = new ArrayList<>();
    lock.lock();
    try {
      List<Iterator<Runnable>> rounds = new ArrayList<>();
      turns.forEach(l -> rounds.add(lanes.get(l).iterator()));
      boolean any = true;
      while (any) {
        any = false;
        for (Iterator<Runnable> lane : rounds) {
          if (lane.hasNext()) {
            copy.add(lane.next());
            any = true;
          }
        }
      }
    } finally {
      lock.unlock();
    }
    Iterator<Runnable> it = copy.iterator();
    return new Iterator<>() {
      private Runnable last;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Runnable next() {
        last = it.next();
        return last;
      }

      @Override
      public void remove() {
        LaneQueue.this.remove(last);
      }
    };
  }
}
