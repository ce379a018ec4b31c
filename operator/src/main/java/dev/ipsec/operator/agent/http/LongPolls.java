package dev.ipsec.operator.agent.http;

import com.sun.net.httpserver.HttpExchange;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The long-polls waiting for a newer revision. A waiting poll holds no thread: its exchange is
 * parked here and answered by {@code answer} when the revision passes its {@code since} or its wait
 * runs out. At most {@code limit} wait at a time; {@link #park} refuses more at once, so a client
 * that opens too many gets an answer (429) instead of a hang, and memory stays bounded.
 */
final class LongPolls implements AutoCloseable {

  private final int limit;
  private final LongSupplier revision;
  private final ScheduledExecutorService scheduler;
  private final Consumer<HttpExchange> answer;
  private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();
  private final AtomicInteger parked = new AtomicInteger();

  /**
   * @param scheduler runs the timeouts and the answers
   * @param answer writes the current state into an exchange and closes it
   */
  LongPolls(
      int limit,
      LongSupplier revision,
      ScheduledExecutorService scheduler,
      Consumer<HttpExchange> answer) {
    if (limit < 1) {
      throw new IllegalArgumentException("at least one long-poll must be allowed: " + limit);
    }
    this.limit = limit;
    this.revision = revision;
    this.scheduler = scheduler;
    this.answer = answer;
  }

  /**
   * Parks {@code exchange} until the revision exceeds {@code since} or {@code wait} passes. False,
   * and nothing parked, when {@code limit} polls are waiting already.
   */
  boolean park(HttpExchange exchange, long since, Duration wait) {
    if (parked.incrementAndGet() > limit) {
      parked.decrementAndGet();
      return false;
    }
    Waiter waiter = new Waiter(exchange, since);
    waiting.add(waiter);
    waiter.timeout =
        scheduler.schedule(() -> finish(waiter), wait.toMillis(), TimeUnit.MILLISECONDS);
    if (revision.getAsLong() > since) {
      finish(waiter); // the revision moved on between the caller's check and the parking
    }
    return true;
  }

  /** Answers every poll that waits for less than {@code newRevision}. */
  void revisionChanged(long newRevision) {
    for (Waiter waiter : waiting) {
      if (newRevision > waiter.since) {
        try {
          scheduler.execute(() -> finish(waiter));
        } catch (RejectedExecutionException e) {
          return; // closing
        }
      }
    }
  }

  /** How many polls wait now. */
  int waiting() {
    return parked.get();
  }

  private void finish(Waiter waiter) {
    if (!waiter.done.compareAndSet(false, true)) {
      return;
    }
    waiting.remove(waiter);
    parked.decrementAndGet();
    ScheduledFuture<?> timeout = waiter.timeout;
    if (timeout != null) {
      timeout.cancel(false);
    }
    answer.accept(waiter.exchange);
  }

  /** Drops every waiting poll (the server is stopping and closes their connections). */
  @Override
  public void close() {
    for (Waiter waiter : waiting) {
      if (waiter.done.compareAndSet(false, true)) {
        waiter.exchange.close();
      }
    }
    waiting.clear();
  }

  private static final class Waiter {
    final HttpExchange exchange;
    final long since;
    final AtomicBoolean done = new AtomicBoolean();
    volatile ScheduledFuture<?> timeout;

    Waiter(HttpExchange exchange, long since) {
      this.exchange = exchange;
      this.since = since;
    }
  }
}
