package dev.ipsec.operator.vici;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket to charon with its own reader thread.
 *
 * <p>The reader decodes every segment as it arrives: EVENT packets go straight to the event handler
 * (on the reader thread), everything else is queued as a reply for {@link #nextReply}. So events
 * that charon interleaves between a request and its response never get in the way of the response,
 * and a caller can wait for a reply with a deadline (a blocking read on a Unix socket channel has
 * no timeout of its own).
 *
 * <p>Once the socket breaks (charon gone, protocol error, {@link #close()}), the connection stays
 * failed: every pending and later {@link #nextReply} throws the recorded cause.
 */
final class ViciConnection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ViciConnection.class);
  private static final AtomicInteger IDS = new AtomicInteger();

  /** Queued after the last reply when the connection fails, so waiting callers wake up. */
  private static final Object FAILED = new Object();

  private final Path socket;
  private final SocketChannel channel;
  private final Consumer<ViciPacket> eventHandler;
  private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Object writeLock = new Object();
  private volatile ViciConnectionException failure;

  private ViciConnection(Path socket, SocketChannel channel, Consumer<ViciPacket> eventHandler) {
    this.socket = socket;
    this.channel = channel;
    this.eventHandler = eventHandler;
  }

  /** Connects and starts the reader thread. */
  static ViciConnection open(Path socket, Consumer<ViciPacket> eventHandler) {
    SocketChannel channel;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (IOException e) {
      throw new ViciConnectionException("cannot create a unix socket: " + e.getMessage(), e);
    }
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      closeQuietly(channel);
      throw new ViciConnectionException(
          "cannot connect to charon at " + socket + ": " + e.getMessage(), e);
    }
    ViciConnection connection = new ViciConnection(socket, channel, eventHandler);
    Thread reader = new Thread(connection::readLoop, "vici-reader-" + IDS.incrementAndGet());
    reader.setDaemon(true);
    reader.start();
    return connection;
  }

  void send(ViciPacket packet) {
    ViciConnectionException failed = failure;
    if (failed != null) {
      throw failed;
    }
    ByteBuffer buffer = ByteBuffer.wrap(ViciCodec.frame(packet));
    try {
      synchronized (writeLock) {
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
    } catch (IOException e) {
      fail(
          new ViciConnectionException(
              "sending " + packet + " to charon at " + socket + " failed: " + e.getMessage(), e));
      throw failure;
    }
  }

  /**
   * The next non-event packet, waiting at most until {@code deadlineNanos} (a {@link
   * System#nanoTime()} value).
   *
   * @throws ViciTimeoutException when nothing arrived in time
   * @throws ViciConnectionException when the connection failed
   */
  ViciPacket nextReply(long deadlineNanos, String waitingFor) {
    Object next;
    try {
      next = replies.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ViciConnectionException("interrupted while waiting for " + waitingFor, e);
    }
    if (next == null) {
      throw new ViciTimeoutException(
          "charon at " + socket + " did not answer " + waitingFor + " in time");
    }
    if (next == FAILED) {
      replies.add(FAILED); // keep it for whoever asks next
      throw new ViciConnectionException(
          failure.getMessage() + " (while waiting for " + waitingFor + ")", failure);
    }
    return (ViciPacket) next;
  }

  boolean isOpen() {
    return failure == null;
  }

  /** Why the connection ended; null while it is open. */
  ViciConnectionException failure() {
    return failure;
  }

  /** Waits until the connection has failed or was closed; false on timeout. */
  boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
    return closed.await(timeout, unit);
  }

  @Override
  public void close() {
    fail(new ViciConnectionException("connection to charon at " + socket + " was closed"));
  }

  private void readLoop() {
    try (InputStream in = Channels.newInputStream(channel)) {
      while (true) {
        byte[] segment = ViciCodec.readSegment(in);
        if (segment == null) {
          fail(new ViciConnectionException("charon at " + socket + " closed the connection"));
          return;
        }
        ViciPacket packet = ViciCodec.decodePacket(segment);
        if (packet.type() == ViciPacketType.EVENT) {
          deliver(packet);
        } else {
          replies.add(packet);
        }
      }
    } catch (ViciProtocolException e) {
      fail(
          new ViciConnectionException(
              "charon at " + socket + " sent malformed data, connection dropped: " + e.getMessage(),
              e));
    } catch (IOException e) {
      fail(
          new ViciConnectionException(
              "connection to charon at " + socket + " lost: " + e.getMessage(), e));
    }
  }

  private void deliver(ViciPacket event) {
    try {
      eventHandler.accept(event);
    } catch (RuntimeException e) {
      // one faulty listener must not kill the connection for everybody else
      LOG.warn("event listener failed on vici event '{}'", event.name(), e);
    }
  }

  /** Records the first failure, closes the socket and wakes every waiter. */
  private void fail(ViciConnectionException cause) {
    synchronized (this) {
      if (failure != null) {
        return;
      }
      failure = cause;
    }
    closeQuietly(channel);
    replies.add(FAILED);
    closed.countDown();
    LOG.debug("vici connection ended: {}", cause.getMessage());
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing left to do with a socket that cannot even be closed
    }
  }
}
