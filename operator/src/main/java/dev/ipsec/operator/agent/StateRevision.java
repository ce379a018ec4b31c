package dev.ipsec.operator.agent;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The agent's state revision: a counter bumped on every visible change (loader status, charon
 * reachability, SA state), with a wait for "anything newer than N" for the long-poll API.
 */
public final class StateRevision {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long revision = 1;

  public long current() {
    lock.lock();
    try {
      return revision;
    } finally {
      lock.unlock();
    }
  }

  public long bump() {
    lock.lock();
    try {
      revision++;
      changed.signalAll();
      return revision;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the revision exceeds {@code since} or {@code maxWait} passes; returns the revision.
   */
  public long awaitNewerThan(long since, Duration maxWait) throws InterruptedException {
    long nanos = maxWait.toNanos();
    lock.lock();
    try {
      while (revision <= since && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      return revision;
    } finally {
      lock.unlock();
    }
  }
}
