package dev.ipsec.operator.reconcile;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ipsec.operator.threads.DaemonThreads;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operator's own HTTP endpoint: {@code /metrics} (Prometheus), {@code /healthz} (the process
 * runs) and {@code /readyz} (the operator started and every informer is healthy).
 */
public final class OperatorHttpServer implements AutoCloseable {

  private final HttpServer server;

  public OperatorHttpServer(
      InetSocketAddress listen, PrometheusMeterRegistry registry, Supplier<RuntimeInfo> runtime)
      throws IOException {
    server = HttpServer.create(listen, 16);
    server.setExecutor(Executors.newFixedThreadPool(2, DaemonThreads.named("operator-http")));
    server.createContext(
        "/metrics",
        ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext("/healthz", ex -> send(ex, 200, "text/plain; charset=utf-8", "ok\n"));
    server.createContext(
        "/readyz",
        ex -> {
          RuntimeInfo info = runtime.get();
          if (info == null || !info.isStarted()) {
            send(ex, 503, "text/plain; charset=utf-8", "starting\n");
          } else if (!info.allEventSourcesAreHealthy()) {
            send(
                ex,
                503,
                "text/plain; charset=utf-8",
                "unhealthy informers: " + info.unhealthyEventSources().keySet() + "\n");
          } else {
            send(ex, 200, "text/plain; charset=utf-8", "ok\n");
          }
        });
  }

  public OperatorHttpServer start() {
    server.start();
    return this;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
