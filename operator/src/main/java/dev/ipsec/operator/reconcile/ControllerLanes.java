package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.threads.LaneQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JOSDK's reconcile pool, shared by the four controllers, with a lane per controller ({@link
 * LaneQueue}): a controller's reconciles wait for at most one of each other controller's, not for
 * every reconcile queued before them. JOSDK submits every primary's first reconcile as its informer
 * fills, so without lanes a gateway's first reconcile, which writes its peers' files, ran after the
 * first reconcile of each of its 10,000 peers. Which reconcile runs first changes no outcome: JOSDK
 * still runs one reconcile at a time per resource.
 */
final class ControllerLanes {

  private ControllerLanes() {}

  /**
   * The controller a task of the pool reconciles for: JOSDK's task describes itself as {@code
   * <controller> -> <resource>}; anything else has a lane of its own, the empty name.
   */
  static String of(Runnable task) {
    String described = task.toString();
    int arrow = described.indexOf(" -> ");
    return arrow < 0 ? "" : described.substring(0, arrow);
  }

  /**
   * A fixed pool of {@code threads} taking its tasks from {@code queue}, like JOSDK's own; its
   * threads are started at once, so that every task goes through the queue (a pool hands a task to
   * a thread it starts without queueing it).
   */
  static ExecutorService pool(int threads, LaneQueue queue) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, 0L, TimeUnit.MILLISECONDS, queue, Executors.defaultThreadFactory());
    pool.prestartAllCoreThreads();
    return pool;
  }
}
