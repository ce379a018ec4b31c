package dev.ipsec.operator.vici;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global VICI events on a connection of their own, kept alive across charon restarts.
 *
 * <p>A supervisor thread connects, registers every event, then waits for the connection to break
 * and reconnects with exponential backoff ({@link Backoff}: bounded between its minimum and maximum
 * delay). Events go to the listener on the connection's reader thread. An event name charon does
 * not know stops the subscription (it would never succeed); {@link #failure()} tells why.
 */
public final class ViciSubscription implements AutoCloseable {

  /** Reconnect delays: start at 50 ms, double up to 2 s. */
  public static final Backoff DEFAULT_BACKOFF =
      new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));

  private static final Logger LOG = LoggerFactory.getLogger(ViciSubscription.class);

  /** Delay between reconnect attempts: doubles from {@code min} up to {@code max}. */
  public record Backoff(Duration min, Duration max) {
    Duration next(Duration previous) {
      if (previous == null) {
        return min;
      }
      Duration doubled = previous.multipliedBy(2);
      return doubled.compareTo(max) > 0 ? max : doubled;
    }
  }

  private final Path socket;
  private final List<String> events;
  private final ViciEventListener listener;
  private final Duration timeout;
  private final Backoff backoff;
  private final Thread supervisor;
  private final AtomicLong generation = new AtomicLong();
  private final Object stateLock = new Object();
  private volatile ViciConnection connection;
  private volatile boolean connected;
  private volatile boolean closed;
  private volatile ViciException failure;

  ViciSubscription(
      Path socket,
      List<String> events,
      ViciEventListener listener,
      Duration timeout,
      Backoff backoff) {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("subscribe to at least one event");
    }
    this.socket = socket;
    this.events = List.copyOf(events);
    this.listener = listener;
    this.timeout = timeout;
    this.backoff = backoff;
    this.supervisor =
        new Thread(this::superviseLoop, "vici-events-" + String.join(",", this.events));
    this.supervisor.setDaemon(true);
  }

  void start() {
    supervisor.start();
  }

  /** How many times the events were registered on a fresh connection. */
  public long generation() {
    return generation.get();
  }

  public boolean isConnected() {
    return connected;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Waits until the subscription is connected and registered.
   *
   * @return true if connected within {@code maxWait}
   */
  public boolean awaitConnected(Duration maxWait) throws InterruptedException {
    long deadline = System.nanoTime() + maxWait.toNanos();
    synchronized (stateLock) {
      while (!connected && !closed && failure == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(stateLock, left);
      }
      return connected;
    }
  }

  /** Set when the subscription gave up for good (an event charon does not know). */
  public ViciException failure() {
    return failure;
  }

  @Override
  public void close() {
    closed = true;
    ViciConnection conn = connection;
    if (conn != null) {
      conn.close();
    }
    supervisor.interrupt();
    try {
      supervisor.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void superviseLoop() {
    Duration delay = null;
    while (!closed) {
      ViciConnection conn = null;
      try {
        conn = ViciConnection.open(socket, this::deliver);
        connection = conn;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String event : events) {
          ViciClient.registration(conn, ViciPacket.register(event), deadline);
        }
        long current = generation.incrementAndGet(); // before waking awaitConnected callers
        setConnected(true);
        delay = null;
        listener.onConnected(current);
        while (!closed && !conn.awaitClosed(1, TimeUnit.SECONDS)) {
          // wait for the connection to break; the timeout only re-checks `closed`
        }
        setConnected(false);
        if (!closed) {
          LOG.info("vici event connection lost: {}", conn.failure().getMessage());
          listener.onDisconnected(conn.failure());
        }
      } catch (ViciCommandException e) {
        LOG.error("vici event subscription stopped: {}", e.getMessage());
        failure = e;
        setConnected(false);
        closeQuietly(conn);
        return;
      } catch (ViciConnectionException e) {
        LOG.debug("vici event connection attempt failed: {}", e.getMessage());
        closeQuietly(conn);
      } catch (InterruptedException e) {
        closeQuietly(conn);
        return;
      } catch (RuntimeException e) {
        LOG.warn("vici event listener failed, reconnecting", e);
        setConnected(false);
        closeQuietly(conn);
      }
      delay = backoff.next(delay);
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void deliver(ViciPacket event) {
    listener.onEvent(event.name(), event.message());
  }

  private void setConnected(boolean value) {
    synchronized (stateLock) {
      connected = value;
      stateLock.notifyAll();
    }
  }

  private static void closeQuietly(ViciConnection conn) {
    if (conn != null) {
      conn.close();
    }
  }
}
