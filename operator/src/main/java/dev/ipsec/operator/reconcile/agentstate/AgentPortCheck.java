package dev.ipsec.operator.reconcile.agentstate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether anything accepts connections on an agent's port yet: a plain TCP connect, closed as soon
 * as it is made, that the follower of an agent which never answered makes before its HTTPS request
 * ({@link PodFollower}). A starting pod refuses the connection until its agent's JVM listens, and a
 * refused request through the JDK's HTTP client cost the operator about 1 ms of CPU each (a thread,
 * a retried connect, the exception's stack: 0.74 to 1.35 ms measured with 20 starting pods), this
 * check a small part of it. Nothing is sent; the agent sees a connection closed before its TLS
 * handshake. Asynchronous, with its own timeout, so a pod that drops the connection never holds the
 * poller's thread.
 */
final class AgentPortCheck {

  /** How long a connection may take before the port counts as closed. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final ScheduledExecutorService scheduler;

  AgentPortCheck(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /** Completes empty when the port accepted a connection, else with why not. Never fails. */
  CompletableFuture<Optional<String>> check(GatewayPoller.Target target) {
    CompletableFuture<Optional<String>> result = new CompletableFuture<>();
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      return CompletableFuture.completedFuture(Optional.of(describe(e)));
    }
    ScheduledFuture<?> timeout =
        scheduler.schedule(
            () -> {
              result.complete(Optional.of("no connection within " + TIMEOUT.toMillis() + " ms"));
              close(channel);
            },
            TIMEOUT.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      channel.connect(
          new InetSocketAddress(target.host(), target.port()),
          null,
          new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void ignored, Void attachment) {
              timeout.cancel(false);
              close(channel);
              result.complete(Optional.empty());
            }

            @Override
            public void failed(Throwable error, Void attachment) {
              timeout.cancel(false);
              close(channel);
              result.complete(Optional.of(describe(error)));
            }
          });
    } catch (RuntimeException e) {
      timeout.cancel(false);
      close(channel);
      result.complete(Optional.of(describe(e)));
    }
    return result;
  }

  private static String describe(Throwable error) {
    return error.getClass().getSimpleName()
        + (error.getMessage() == null ? "" : ": " + error.getMessage());
  }

  private static void close(AsynchronousSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing was sent; a failed close leaves nothing to clean up
    }
  }
}
