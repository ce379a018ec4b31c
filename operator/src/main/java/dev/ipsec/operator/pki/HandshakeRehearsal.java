package dev.ipsec.operator.pki;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A TLS handshake between two {@link SSLEngine}s in memory: no socket, no peer, nothing sent
 * anywhere. A process runs one at its start so that its first real handshake does not pay for the
 * JVM's first one (issue 17: the first mutual-TLS exchange of a new gateway took 0.25 to 1.34 s,
 * most of it the JSSE, key-exchange and signature code loaded, initialised and interpreted for the
 * first time). The contexts are the process's own; the other end of the rehearsal presents the
 * process's own certificate, which the real context's {@link PeerVerifier} refuses (a certificate
 * is for one purpose and one side), so a rehearsal ends refused after both ends have exchanged
 * keys, signed, sent and checked certificates: the work of a real handshake, without a credential
 * that could open anything.
 */
public final class HandshakeRehearsal {

  /** More steps than any handshake of the channel takes; a bound, so that nothing can spin. */
  private static final int MAX_STEPS = 64;

  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  private HandshakeRehearsal() {}

  /**
   * How a rehearsal ended.
   *
   * @param refusal why one end refused the other, or empty when the handshake completed
   * @param took how long it ran
   */
  public record Outcome(Optional<String> refusal, Duration took) {
    public boolean completed() {
      return refusal.isEmpty();
    }
  }

  /**
   * Shakes hands between an engine of {@code server} (which demands a client certificate, as the
   * state API does) and one of {@code client}, both with the channel's {@link
   * TlsContexts#parameters}.
   */
  public static Outcome run(SSLContext server, SSLContext client) {
    long started = System.nanoTime();
    SSLEngine serverEngine = server.createSSLEngine();
    serverEngine.setUseClientMode(false);
    serverEngine.setSSLParameters(TlsContexts.parameters(server, true));
    SSLEngine clientEngine = client.createSSLEngine("rehearsal.invalid", 0);
    clientEngine.setUseClientMode(true);
    clientEngine.setSSLParameters(TlsContexts.parameters(client, false));
    int packets =
        Math.max(
            serverEngine.getSession().getPacketBufferSize(),
            clientEngine.getSession().getPacketBufferSize());
    int application =
        Math.max(
            serverEngine.getSession().getApplicationBufferSize(),
            clientEngine.getSession().getApplicationBufferSize());
    // several records may be in flight in one direction (a whole flight of the handshake)
    ByteBuffer toServer = ByteBuffer.allocate(4 * packets);
    ByteBuffer toClient = ByteBuffer.allocate(4 * packets);
    ByteBuffer received = ByteBuffer.allocate(application);
    try {
      clientEngine.beginHandshake();
      serverEngine.beginHandshake();
      for (int step = 0; step < MAX_STEPS; step++) {
        if (done(clientEngine) && done(serverEngine)) {
          return new Outcome(Optional.empty(), since(started));
        }
        advance(clientEngine, toServer, toClient, received);
        advance(serverEngine, toClient, toServer, received);
      }
      return new Outcome(Optional.of("no end after " + MAX_STEPS + " steps"), since(started));
    } catch (SSLException | RuntimeException e) {
      return new Outcome(Optional.of(String.valueOf(e.getMessage())), since(started));
    }
  }

  private static boolean done(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
  }

  /** One move of {@code engine}: its delegated tasks, its next records out, or what came in. */
  private static void advance(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer received)
      throws SSLException {
    switch (engine.getHandshakeStatus()) {
      case NEED_TASK -> {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
          task.run();
        }
      }
      case NEED_WRAP -> engine.wrap(NOTHING, out);
      case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
        in.flip();
        try {
          engine.unwrap(in, received);
        } finally {
          in.compact();
          received.clear(); // no application data is ever sent in a rehearsal
        }
      }
      default -> {}
    }
  }

  private static Duration since(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
