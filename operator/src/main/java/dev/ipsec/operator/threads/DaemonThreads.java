package dev.ipsec.operator.threads;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Thread factories for the executors of the agent and the operator, and their bounded stop. Their
 * threads are daemons so that a stuck poll or request never keeps the JVM from exiting; a package
 * of its own because {@code agent} and {@code reconcile} both use it and neither may depend on the
 * other's code.
 */
public final class DaemonThreads {

  private DaemonThreads() {}

  /** Daemon threads that all carry {@code name}. */
  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Interrupts the executor's threads and waits up to {@code patience} for them to end, so that a
   * thread stuck in a call cannot hold up a shutdown for longer. An interrupt of the caller ends
   * the wait and stays set for it.
   */
  public static void stop(ExecutorService executor, Duration patience) {
    executor.shutdownNow();
    try {
      executor.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
