package dev.ipsec.operator.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.agent.wire.AgentStateJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API on the pod (JDK HTTP server, no framework):
 *
 * <ul>
 *   <li>{@code GET /v1/state}: the {@link AgentStateDocument}, JSON; {@code ?since=N&wait=S} blocks
 *       until the revision exceeds N or S seconds pass (at most {@link #MAX_WAIT});
 *   <li>{@code GET /metrics}: Prometheus text format;
 *   <li>{@code GET /healthz}, {@code GET /readyz}: 200 or 503 with the reason.
 * </ul>
 */
public final class AgentHttpServer implements AutoCloseable {

  public static final Duration MAX_WAIT = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(AgentHttpServer.class);
  private static final int MAX_THREADS = 32;

  private final HttpServer server;
  private final ExecutorService executor;
  private final AgentStateView view;
  private final Supplier<String> metrics;

  /**
   * @param metrics the metrics in Prometheus text format, computed anew for each {@code /metrics}
   */
  public AgentHttpServer(InetSocketAddress listen, AgentStateView view, Supplier<String> metrics)
      throws IOException {
    this.view = view;
    this.metrics = metrics;
    AtomicInteger threads = new AtomicInteger();
    // long-polls hold a thread each: bounded pool, queued beyond it
    this.executor =
        new ThreadPoolExecutor(
            MAX_THREADS,
            MAX_THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(256),
            r -> {
              Thread t = new Thread(r, "agent-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ((ThreadPoolExecutor) executor).allowCoreThreadTimeOut(true);
    this.server = HttpServer.create(listen, 64);
    server.setExecutor(executor);
    server.createContext("/v1/state", getOnly(this::state));
    server.createContext("/metrics", getOnly(this::metrics));
    server.createContext("/healthz", getOnly(exchange -> probe(exchange, view.unhealthyReason())));
    server.createContext("/readyz", getOnly(exchange -> probe(exchange, view.notReadyReason())));
  }

  public AgentHttpServer start() {
    server.start();
    LOG.info("agent HTTP API listening on {}", server.getAddress());
    return this;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void state(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI());
    try {
      if (query.containsKey("since")) {
        long since = Long.parseLong(query.get("since"));
        long waitSeconds = Long.parseLong(query.getOrDefault("wait", "30"));
        if (waitSeconds < 0) {
          throw new NumberFormatException("negative wait");
        }
        Duration wait = Duration.ofSeconds(Math.min(waitSeconds, MAX_WAIT.toSeconds()));
        view.awaitNewerThan(since, wait);
      }
    } catch (NumberFormatException e) {
      send(
          exchange,
          400,
          "text/plain; charset=utf-8",
          "since and wait must be non-negative integers\n");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    AgentStateDocument document = AgentStateDocument.of(view.revision(), view.state());
    send(exchange, 200, "application/json", AgentStateJson.write(document));
  }

  private void metrics(HttpExchange exchange) throws IOException {
    send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
  }

  private static void probe(HttpExchange exchange, String problem) throws IOException {
    if (problem == null) {
      send(exchange, 200, "text/plain; charset=utf-8", "ok\n");
    } else {
      send(exchange, 503, "text/plain; charset=utf-8", problem + "\n");
    }
  }

  private static HttpHandler getOnly(HttpHandler handler) {
    return exchange -> {
      try (exchange) {
        if (!"GET".equals(exchange.getRequestMethod())) {
          exchange.getResponseHeaders().add("Allow", "GET");
          send(exchange, 405, "text/plain; charset=utf-8", "only GET\n");
          return;
        }
        handler.handle(exchange);
      } catch (IOException | RuntimeException e) {
        LOG.debug("HTTP {} failed", exchange.getRequestURI().getPath(), e);
      }
    };
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
