package dev.ipsec.operator.threads;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * Gives the JVM's common pool at least two threads on a machine of one or two cores, before
 * anything uses it.
 *
 * <p>Why: {@link CompletableFuture}'s asynchronous steps without an executor of their own run in
 * the common pool only when its parallelism is above one; else each of them starts a new thread.
 * The JDK's HTTP client, which the operator's Kubernetes client (fabric8's JDK client, given an
 * executor) and its agent poller use, hands every response of {@code sendAsync} to that default
 * executor. The common pool's parallelism is the cores less one, so in a pod limited to two cores
 * or fewer every response to the operator started and ended a thread: about two threads per agent
 * change in {@code GatewayFleetStatusBenchmark} (73,822 threads in a run of under three minutes at
 * 500 gateways, the response handling and the agents' reports parsed in threads that lived for one
 * task). With two the common pool's two threads take them in turn.
 */
public final class CommonPoolParallelism {

  /** The system property the common pool reads once, when it is first used. */
  static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

  static final int LEAST = 2;

  private CommonPoolParallelism() {}

  /**
   * Sets the common pool's parallelism to {@value #LEAST} when the JVM would give it less and
   * nobody set it; must run before the first use of the common pool or of {@link
   * CompletableFuture}, so first thing in {@code main}. A parallelism set on the command line is
   * kept.
   *
   * @return whether {@link CompletableFuture}'s default executor is now the common pool
   */
  public static boolean atLeastTwo() {
    if (System.getProperty(PROPERTY) == null
        && Runtime.getRuntime().availableProcessors() - 1 < LEAST) {
      System.setProperty(PROPERTY, Integer.toString(LEAST));
    }
    return new CompletableFuture<Void>().defaultExecutor() instanceof ForkJoinPool;
  }
}
