package dev.ipsec.operator.vici;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A VICI client for charon over its Unix domain socket (Java 17's {@code UNIX} socket channels, no
 * native library).
 *
 * <p><b>Commands.</b> VICI allows one outstanding command per connection and has no sequence
 * numbers, so {@link #call} and {@link #stream} are serialised on one command connection; a caller
 * waits for its turn at most as long as its own timeout. A command that does not complete in time
 * drops the connection (a late answer would otherwise be read as the answer to the next command).
 *
 * <p><b>Reconnect.</b> The command connection is opened lazily and re-opened on the next call after
 * any failure: when charon is gone, calls fail fast with {@link ViciConnectionException}; once it
 * is back, the next call succeeds. {@link #connectionGeneration()} counts successful connects and
 * {@link #onConnect} listeners hear about each, so the owner can tell that charon was (probably)
 * restarted; {@link ViciCommands#stats()}'s {@code uptime.since} tells it for sure.
 *
 * <p><b>Events.</b> Global events ({@code ike-updown}, {@code log}, ...) are received on a separate
 * connection: {@link #subscribe}.
 *
 * <p>Thread-safe. Messages are never logged (they may carry secrets).
 */
public final class ViciClient implements AutoCloseable {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final Path socket;
  private final Duration defaultTimeout;
  private final ReentrantLock commandLock = new ReentrantLock();
  private final List<LongConsumer> connectListeners = new CopyOnWriteArrayList<>();
  private final List<ViciSubscription> subscriptions = new CopyOnWriteArrayList<>();
  private ViciConnection connection; // guarded by commandLock
  private long generation; // guarded by commandLock; read through the volatile copy
  private volatile long publishedGeneration;
  private volatile StreamCollector activeStream;
  private volatile boolean closed;

  public ViciClient(Path socket, Duration defaultTimeout) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
  }

  public ViciClient(Path socket) {
    this(socket, DEFAULT_TIMEOUT);
  }

  /** The socket path of a {@code unix:///path} URI (the form strongswan.conf and swanctl use). */
  public static Path socketPath(String uri) {
    URI parsed = URI.create(uri);
    if (!"unix".equals(parsed.getScheme())
        || parsed.getPath() == null
        || parsed.getPath().isEmpty()) {
      throw new IllegalArgumentException("not a unix:///path VICI URI: " + uri);
    }
    return Path.of(parsed.getPath());
  }

  public Path socket() {
    return socket;
  }

  /** How long {@link #call(String, ViciMessage)} waits for an answer. */
  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  /** Sends a command and returns charon's response, waiting at most the default timeout. */
  public ViciMessage call(String command, ViciMessage request) {
    return call(command, request, defaultTimeout);
  }

  /**
   * Sends a command and returns charon's response.
   *
   * @throws ViciCommandException if charon does not know the command (CMD_UNKNOWN)
   * @throws ViciTimeoutException if no answer came within {@code timeout}
   * @throws ViciConnectionException if charon is not reachable or the connection broke
   */
  public ViciMessage call(String command, ViciMessage request, Duration timeout) {
    long deadline = deadline(timeout);
    lock(command, deadline);
    try {
      ViciConnection conn = connected();
      try {
        conn.send(ViciPacket.request(command, request));
        return response(conn, command, deadline);
      } catch (ViciConnectionException e) {
        conn.close();
        throw e;
      }
    } finally {
      commandLock.unlock();
    }
  }

  /** {@link #stream(String, String, ViciMessage, Duration)} with the default timeout. */
  public List<ViciMessage> stream(String command, String event, ViciMessage request) {
    return stream(command, event, request, defaultTimeout);
  }

  /**
   * Runs a streamed command ({@code list-sas} with event {@code list-sa}, {@code list-conns} with
   * {@code list-conn}, ...): registers the event, sends the command, collects the events charon
   * streams until its response, unregisters. The response itself is empty for these commands.
   *
   * @return the streamed events' messages in the order charon sent them
   */
  public List<ViciMessage> stream(
      String command, String event, ViciMessage request, Duration timeout) {
    List<ViciMessage> events = Collections.synchronizedList(new ArrayList<>());
    stream(command, event, request, timeout, events::add);
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /**
   * Runs a streamed command like {@link #stream(String, String, ViciMessage, Duration)}, but hands
   * each event to {@code onEvent} as it arrives (on the connection's reader thread) instead of
   * keeping them all: a caller that needs a little of each event (a name) holds only that, however
   * many events charon streams. Each event is a message of its own, so no answer grows past VICI's
   * 512 KiB with the number of items.
   *
   * <p>When {@code onEvent} throws (a caller's bound on what it accepts from charon), the later
   * events are dropped, the command is still waited for (so the connection stays in step) and the
   * first such exception is thrown from here.
   */
  public void stream(
      String command,
      String event,
      ViciMessage request,
      Duration timeout,
      Consumer<ViciMessage> onEvent) {
    long deadline = deadline(timeout);
    lock(command, deadline);
    try {
      ViciConnection conn = connected();
      StreamCollector collector = new StreamCollector(event, onEvent);
      try {
        registration(conn, ViciPacket.register(event), deadline);
        activeStream = collector;
        try {
          conn.send(ViciPacket.request(command, request));
          response(conn, command, deadline);
        } catch (ViciCommandException e) {
          // charon refused the command but the connection is fine: leave it without the
          // registration
          activeStream = null;
          registration(conn, ViciPacket.unregister(event), deadline);
          throw e;
        } finally {
          activeStream = null;
        }
        registration(conn, ViciPacket.unregister(event), deadline);
      } catch (ViciConnectionException e) {
        conn.close();
        throw e;
      }
      collector.rethrowRefusal();
    } finally {
      commandLock.unlock();
    }
  }

  /**
   * Registers for global events on a new, separate connection that reconnects by itself (bounded
   * exponential backoff). Close the returned subscription to stop; closing the client closes it
   * too.
   */
  public ViciSubscription subscribe(List<String> events, ViciEventListener listener) {
    ViciSubscription subscription =
        new ViciSubscription(
            socket, events, listener, defaultTimeout, ViciSubscription.DEFAULT_BACKOFF);
    subscriptions.removeIf(ViciSubscription::isClosed);
    subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  /**
   * Called with the new generation each time the command connection is (re)established, on the
   * calling thread and before the command that triggered it is sent. Any generation after the first
   * follows a broken connection: charon was unreachable for a while and may have been restarted.
   * Must not block or call this client.
   */
  public void onConnect(LongConsumer listener) {
    connectListeners.add(listener);
  }

  /** How many times the command connection was established; 0 before the first command. */
  public long connectionGeneration() {
    return publishedGeneration;
  }

  /** Whether the command connection is currently open (it opens on demand). */
  public boolean isConnected() {
    ViciConnection conn = connection;
    return conn != null && conn.isOpen();
  }

  @Override
  public void close() {
    closed = true;
    subscriptions.forEach(ViciSubscription::close);
    commandLock.lock();
    try {
      if (connection != null) {
        connection.close();
      }
    } finally {
      commandLock.unlock();
    }
  }

  // ------------------------------------------------------------------ internals

  private ViciConnection connected() {
    if (closed) {
      throw new ViciConnectionException("vici client for " + socket + " is closed");
    }
    if (connection == null || !connection.isOpen()) {
      connection = ViciConnection.open(socket, this::onCommandConnectionEvent);
      publishedGeneration = ++generation;
      for (LongConsumer listener : connectListeners) {
        listener.accept(generation);
      }
    }
    return connection;
  }

  private void onCommandConnectionEvent(ViciPacket event) {
    StreamCollector collector = activeStream;
    if (collector != null && collector.event.equals(event.name())) {
      collector.add(event.message());
    }
    // anything else is a leftover of an earlier stream: skip it
  }

  private static ViciMessage response(ViciConnection conn, String command, long deadline) {
    ViciPacket reply = conn.nextReply(deadline, "command '" + command + "'");
    return switch (reply.type()) {
      case CMD_RESPONSE -> reply.message();
      case CMD_UNKNOWN -> throw ViciCommandException.unknownCommand(command);
      default -> throw unexpected(reply, "command '" + command + "'");
    };
  }

  /** Sends an EVENT_REGISTER or EVENT_UNREGISTER and waits for charon's confirmation. */
  static void registration(ViciConnection conn, ViciPacket packet, long deadline) {
    conn.send(packet);
    ViciPacket reply = conn.nextReply(deadline, packet.toString());
    switch (reply.type()) {
      case EVENT_CONFIRM -> {}
      case EVENT_UNKNOWN -> throw ViciCommandException.unknownEvent(packet.name());
      default -> throw unexpected(reply, packet.toString());
    }
  }

  private static ViciConnectionException unexpected(ViciPacket reply, String waitingFor) {
    // the conversation is out of step: the caller drops the connection
    return new ViciConnectionException("charon answered " + waitingFor + " with " + reply);
  }

  private void lock(String command, long deadline) {
    try {
      long wait = Math.max(0, deadline - System.nanoTime());
      if (!commandLock.tryLock(wait, TimeUnit.NANOSECONDS)) {
        throw new ViciTimeoutException(
            "command '" + command + "' waited its whole timeout for an earlier command to finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ViciConnectionException("interrupted before sending '" + command + "'", e);
    }
  }

  private static long deadline(Duration timeout) {
    return System.nanoTime() + timeout.toNanos();
  }

  /**
   * Hands the events of one streamed command to its consumer; called by the reader thread. The
   * first exception of the consumer is kept for the caller, and the events after it are dropped.
   */
  private static final class StreamCollector {
    private final String event;
    private final Consumer<ViciMessage> onEvent;
    private volatile RuntimeException refusal;

    StreamCollector(String event, Consumer<ViciMessage> onEvent) {
      this.event = event;
      this.onEvent = onEvent;
    }

    void add(ViciMessage message) {
      if (refusal != null) {
        return;
      }
      try {
        onEvent.accept(message);
      } catch (RuntimeException e) {
        refusal = e;
      }
    }

    void rethrowRefusal() {
      if (refusal != null) {
        throw refusal;
      }
    }
  }
}
