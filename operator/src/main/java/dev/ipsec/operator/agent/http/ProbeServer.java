package dev.ipsec.operator.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ipsec.operator.threads.DaemonThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's plain HTTP port: {@code /metrics} (Prometheus text), {@code /healthz} and {@code
 * /readyz} (200, or 503 with the reason). Separate from the state API and with threads of its own,
 * so the kubelet's probes and Prometheus never queue behind long-polls or TLS handshakes. It serves
 * nothing a gateway's neighbours may not see: no state document, no configuration.
 */
public final class ProbeServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProbeServer.class);

  /** Every answer is computed at once: two threads keep a slow scrape from delaying a probe. */
  private static final int THREADS = 2;

  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * @param metrics the metrics in Prometheus text format, computed anew for each {@code /metrics}
   */
  public ProbeServer(InetSocketAddress listen, AgentStateView view, Supplier<String> metrics)
      throws IOException {
    this.executor = Executors.newFixedThreadPool(THREADS, DaemonThreads.named("agent-probes"));
    this.server = HttpServer.create(listen, 64);
    server.setExecutor(executor);
    server.createContext(
        "/metrics",
        Exchanges.getOnly(
            exchange ->
                Exchanges.send(
                    exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get())));
    server.createContext(
        "/healthz", Exchanges.getOnly(exchange -> probe(exchange, view.unhealthyReason())));
    server.createContext(
        "/readyz", Exchanges.getOnly(exchange -> probe(exchange, view.notReadyReason())));
  }

  public ProbeServer start() {
    server.start();
    LOG.info("agent probes and metrics listening on {} (plain HTTP)", server.getAddress());
    return this;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void probe(HttpExchange exchange, String problem) throws IOException {
    if (problem == null) {
      Exchanges.send(exchange, 200, Exchanges.TEXT, "ok\n");
    } else {
      Exchanges.send(exchange, 503, Exchanges.TEXT, problem + "\n");
    }
  }

  @Override
  public void close() {
    server.stop(0);
    DaemonThreads.stop(executor, Duration.ofSeconds(2));
  }
}
