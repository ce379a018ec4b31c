package dev.ipsec.operator.threads;

import java.util.concurrent.ThreadFactory;

/**
 * Thread factories for the executors of the agent and the operator. Their threads are daemons so
 * that a stuck poll or request never keeps the JVM from exiting; a package of its own because
 * {@code agent} and {@code reconcile} both use it and neither may depend on the other's code.
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
}
