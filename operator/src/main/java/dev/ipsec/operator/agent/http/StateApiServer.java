package dev.ipsec.operator.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.agent.wire.AgentStateJson;
import dev.ipsec.operator.pki.TlsContexts;
import dev.ipsec.operator.threads.DaemonThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's state API, {@code GET /v1/state}: the {@link AgentStateDocument}, JSON; {@code
 * ?since=N&wait=S} waits until the revision exceeds N or S seconds pass (at most {@link
 * #MAX_WAIT}).
 *
 * <p>Over TLS that demands the operator's client certificate ({@link ServerTls}); plain HTTP only
 * on a loopback address, for running the agent by hand. A waiting long-poll holds no thread ({@link
 * LongPolls}); past {@code maxLongPolls} waiting, a long-poll is answered {@code 429} at once.
 * Probes and metrics are on the {@link ProbeServer}, never here.
 */
public final class StateApiServer implements AutoCloseable {

  public static final Duration MAX_WAIT = Duration.ofSeconds(60);
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(StateApiServer.class);

  /** Handshakes, request parsing and immediate answers; waiting polls are parked elsewhere. */
  private static final int THREADS = 4;

  private final HttpServer server;
  private final ExecutorService executor;
  private final ScheduledExecutorService answers;
  private final AgentStateView view;
  private final Optional<ServerTls> tls;
  private final LongPolls longPolls;
  private final AtomicLong refusedLongPolls = new AtomicLong();

  private StateApiServer(
      HttpServer server, AgentStateView view, Optional<ServerTls> tls, int maxLongPolls) {
    this.server = server;
    this.view = view;
    this.tls = tls;
    this.executor = Executors.newFixedThreadPool(THREADS, DaemonThreads.named("agent-state"));
    this.answers =
        Executors.newScheduledThreadPool(2, DaemonThreads.named("agent-state-long-poll"));
    this.longPolls = new LongPolls(maxLongPolls, view::revision, answers, this::answerAndClose);
    view.onNewRevision(longPolls::revisionChanged);
    server.setExecutor(executor);
    server.createContext("/v1/state", this::handle);
  }

  /** The state API over TLS with a required client certificate, on any address. */
  public static StateApiServer tls(
      InetSocketAddress listen, AgentStateView view, ServerTls tls, int maxLongPolls)
      throws IOException {
    HttpsServer server = HttpsServer.create(listen, backlog(maxLongPolls));
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls.context()) {
          @Override
          public void configure(HttpsParameters parameters) {
            parameters.setSSLParameters(TlsContexts.parameters(getSSLContext(), true));
          }
        });
    return new StateApiServer(server, view, Optional.of(tls), maxLongPolls);
  }

  /**
   * The state API over plain HTTP, which only a loopback address may carry: without TLS anyone who
   * reaches the port could read the gateway's state, or pose as its agent.
   */
  public static StateApiServer plainOnLoopback(
      InetSocketAddress listen, AgentStateView view, int maxLongPolls) throws IOException {
    if (listen.getAddress() == null || !listen.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "without TLS the state API serves only on a loopback address, not "
              + listen
              + " (give --tls-cert, --tls-key and --client-ca)");
    }
    return new StateApiServer(
        HttpServer.create(listen, backlog(maxLongPolls)), view, Optional.empty(), maxLongPolls);
  }

  /**
   * Room in the kernel's accept queue for as many connections at once as long-polls may wait: a
   * burst beyond the queue is not refused but stalled (the kernel drops the handshake and the
   * client retries after a second, then longer), which would look like a hang.
   */
  private static int backlog(int maxLongPolls) {
    return Math.max(64, 2 * maxLongPolls);
  }

  public StateApiServer start() {
    server.start();
    LOG.info(
        "agent state API listening on {} ({})",
        server.getAddress(),
        tls.isPresent() ? "TLS, operator's client certificate required" : "plain HTTP, loopback");
    return this;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Long-polls waiting now. */
  public int waitingLongPolls() {
    return longPolls.waiting();
  }

  /** Long-polls answered 429 since the start. */
  public long refusedLongPolls() {
    return refusedLongPolls.get();
  }

  private void handle(HttpExchange exchange) {
    try {
      if (Exchanges.refusedMethod(exchange)) {
        exchange.close();
        return;
      }
      Map<String, String> query = Exchanges.query(exchange.getRequestURI());
      if (!query.containsKey("since")) {
        answerAndClose(exchange);
        return;
      }
      long since;
      Duration wait;
      try {
        since = Long.parseLong(query.get("since"));
        long seconds = Long.parseLong(query.getOrDefault("wait", "" + DEFAULT_WAIT.toSeconds()));
        if (seconds < 0) {
          throw new NumberFormatException("negative wait");
        }
        wait = Duration.ofSeconds(Math.min(seconds, MAX_WAIT.toSeconds()));
      } catch (NumberFormatException e) {
        sendAndClose(exchange, 400, "since and wait must be non-negative integers\n");
        return;
      }
      if (wait.isZero() || view.revision() > since) {
        answerAndClose(exchange);
      } else if (!longPolls.park(exchange, since, wait)) {
        refusedLongPolls.incrementAndGet();
        exchange.getResponseHeaders().set("Retry-After", "1");
        sendAndClose(exchange, 429, "too many long-polls waiting; ask again later\n");
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("state request failed", e);
      exchange.close();
    }
  }

  /** Writes the current state document; a stale TLS session is told to go. */
  private void answerAndClose(HttpExchange exchange) {
    try (exchange) {
      if (exchange instanceof HttpsExchange https
          && tls.map(t -> t.isStale(https.getSSLSession())).orElse(false)) {
        exchange.getResponseHeaders().set("Connection", "close");
      }
      AgentStateDocument document = AgentStateDocument.of(view.revision(), view.state());
      Exchanges.send(exchange, 200, "application/json", AgentStateJson.write(document));
    } catch (IOException | RuntimeException e) {
      LOG.debug("state answer failed", e);
    }
  }

  private static void sendAndClose(HttpExchange exchange, int status, String body)
      throws IOException {
    try (exchange) {
      Exchanges.send(exchange, status, Exchanges.TEXT, body);
    }
  }

  @Override
  public void close() {
    longPolls.close();
    server.stop(0);
    DaemonThreads.stop(answers, Duration.ofSeconds(2));
    DaemonThreads.stop(executor, Duration.ofSeconds(2));
  }
}
