package dev.ipsec.operator.reconcile.agentstate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.ipsec.operator.agent.wire.AgentState;
import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.pki.TlsContexts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * One pod's agent for the fleet benchmarks: {@code GET /v1/state} answers at once, {@code
 * ?since=N&wait=S} once the state revision is past N or after S seconds, like the real state API,
 * over the agents' mutual TLS (the caller's context: a certificate of the operator's CA naming the
 * gateway, the operator's client certificate required).
 */
final class LongPollAgent implements AutoCloseable {

  final String pod;
  private final HttpsServer server;
  private long revision = 1;
  private AgentState state;
  private byte[] body;

  private LongPollAgent(HttpsServer server, String pod, AgentState state) {
    this.server = server;
    this.pod = pod;
    this.state = state;
    this.body = AgentDocuments.json(AgentStateDocument.of(revision, state));
  }

  /** An agent serving {@code recorded}'s state on a free port of the loopback address. */
  static LongPollAgent start(
      SSLContext context, ExecutorService handlers, String pod, AgentStateDocument recorded)
      throws IOException {
    return start(
        context,
        handlers,
        pod,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        recorded.state());
  }

  /** An agent serving {@code state} on {@code address}. */
  static LongPollAgent start(
      SSLContext context,
      ExecutorService handlers,
      String pod,
      InetSocketAddress address,
      AgentState state)
      throws IOException {
    HttpsServer server = HttpsServer.create(address, 16);
    server.setHttpsConfigurator(
        new HttpsConfigurator(context) {
          @Override
          public void configure(HttpsParameters parameters) {
            parameters.setSSLParameters(TlsContexts.parameters(context, true));
          }
        });
    server.setExecutor(handlers);
    LongPollAgent agent = new LongPollAgent(server, pod, state);
    server.createContext("/v1/state", agent::answer);
    server.start();
    return agent;
  }

  String gateway() {
    return pod.substring(0, pod.indexOf("-pod"));
  }

  int port() {
    return server.getAddress().getPort();
  }

  synchronized long nextRevision() {
    return revision + 1;
  }

  /** Serves the same state under revision {@code next}: news without a change of the SAs. */
  synchronized void publish(long next) {
    revision = next;
    body = AgentDocuments.json(AgentStateDocument.of(next, state));
    notifyAll();
  }

  /** Serves {@code next} under the next revision, and answers the waiting long-poll. */
  synchronized void publish(AgentState next) {
    state = next;
    publish(revision + 1);
  }

  synchronized AgentState state() {
    return state;
  }

  private void answer(HttpExchange exchange) {
    try (exchange) {
      byte[] answer = awaitNewerThan(exchange.getRequestURI().getQuery());
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    } catch (IOException | InterruptedException e) {
      // the operator hung up, or the benchmark ends
    }
  }

  private synchronized byte[] awaitNewerThan(String query) throws InterruptedException {
    if (query != null) {
      long since = -1;
      long waitSeconds = 0;
      for (String part : query.split("&")) {
        String[] kv = part.split("=", 2);
        if (kv[0].equals("since")) {
          since = Long.parseLong(kv[1]);
        } else if (kv[0].equals("wait")) {
          waitSeconds = Long.parseLong(kv[1]);
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
      while (revision <= since) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
    return body;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
