package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.agent.wire.AgentState;
import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.pki.IssuedCertificate;
import dev.ipsec.operator.pki.PeerTrustManager;
import dev.ipsec.operator.pki.PeerVerifier;
import dev.ipsec.operator.pki.TlsContexts;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxBuilder;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.spi.VertxThreadFactory;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * The fleet's agents on one event loop: each pod's agent is a real HTTPS server of its own on its
 * pod's address, with mutual TLS 1.3 as the agent's (its gateway's certificate from the operator's
 * CA, the operator's client certificate required and checked by the same {@link PeerVerifier}),
 * answering {@code GET /v1/state} at once and {@code ?since=N&wait=S} once the revision is past N
 * or after S seconds, like the real state API. Unlike {@link LongPollAgent} (the JDK's HTTP server:
 * a dispatcher thread, a timer thread and a blocked handler thread per waiting poll, about 3,000
 * threads for 1,000 pods, whose stacks every GC scans), a waiting poll here holds no thread. Its
 * threads are named {@code fake-agent-...}.
 */
final class FleetAgents implements AutoCloseable {

  private final Vertx vertx;

  FleetAgents() {
    VertxThreadFactory named =
        new VertxThreadFactory() {
          @Override
          public io.vertx.core.impl.VertxThread newVertxThread(
              Runnable target,
              String name,
              boolean worker,
              long maxExecTime,
              TimeUnit maxExecTimeUnit) {
            return VertxThreadFactory.INSTANCE.newVertxThread(
                target, "fake-agent-" + name, worker, maxExecTime, maxExecTimeUnit);
          }
        };
    vertx =
        new VertxBuilder(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1))
            .threadFactory(named)
            .init()
            .vertx();
  }

  /** One pod's agent, serving {@code state} on {@code address}. */
  Agent start(
      String pod,
      InetSocketAddress address,
      IssuedCertificate certificate,
      PeerVerifier operatorClients,
      AgentState state)
      throws Exception {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(address.getHostString())
            .setPort(address.getPort())
            .setSsl(true)
            .setEnabledSecureTransportProtocols(Set.of(TlsContexts.PROTOCOL))
            .setClientAuth(ClientAuth.REQUIRED)
            .setKeyCertOptions(KeyCertOptions.wrap(keyManager(certificate)))
            .setTrustOptions(TrustOptions.wrap(new PeerTrustManager(operatorClients)));
    Agent agent = new Agent(pod, state);
    HttpServer server = vertx.createHttpServer(options).requestHandler(agent::answer);
    server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    agent.server = server;
    return agent;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static X509KeyManager keyManager(IssuedCertificate own) throws Exception {
    char[] password = "in-memory".toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "own", own.privateKey(), password, new Certificate[] {own.certificate(), own.issuer()});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    return (X509KeyManager) keys.getKeyManagers()[0];
  }

  /** One pod's agent: its state, its revision and the polls waiting for the next one. */
  final class Agent {

    final String pod;
    private HttpServer server;
    private long revision = 1;
    private AgentState state;
    private Buffer body;
    private final List<Waiting> waiting = new ArrayList<>();

    private record Waiting(HttpServerRequest request, long since, long timer) {}

    private Agent(String pod, AgentState state) {
      this.pod = pod;
      this.state = state;
      this.body = Buffer.buffer(AgentDocuments.json(AgentStateDocument.of(revision, state)));
    }

    /** Serves {@code next} under the next revision, and answers the waiting long-polls. */
    void publish(AgentState next) {
      List<Waiting> answered;
      Buffer now;
      synchronized (this) {
        state = next;
        revision++;
        body = Buffer.buffer(AgentDocuments.json(AgentStateDocument.of(revision, state)));
        now = body;
        answered = new ArrayList<>(waiting);
        waiting.clear();
      }
      for (Waiting w : answered) {
        vertx.cancelTimer(w.timer());
        send(w.request(), now);
      }
    }

    synchronized AgentState state() {
      return state;
    }

    private void answer(HttpServerRequest request) {
      long since = -1;
      long waitSeconds = 0;
      String query = request.query();
      if (query != null) {
        for (String part : query.split("&")) {
          String[] kv = part.split("=", 2);
          if (kv[0].equals("since")) {
            since = Long.parseLong(kv[1]);
          } else if (kv[0].equals("wait")) {
            waitSeconds = Long.parseLong(kv[1]);
          }
        }
      }
      Buffer now;
      synchronized (this) {
        now = body;
        if (query != null && revision <= since && waitSeconds > 0) {
          Waiting[] self = new Waiting[1];
          long timer =
              vertx.setTimer(
                  TimeUnit.SECONDS.toMillis(waitSeconds),
                  t -> {
                    Buffer current;
                    synchronized (this) {
                      if (!waiting.remove(self[0])) {
                        return; // answered by a publish
                      }
                      current = body;
                    }
                    send(request, current);
                  });
          self[0] = new Waiting(request, since, timer);
          waiting.add(self[0]);
          return;
        }
      }
      send(request, now);
    }

    private void send(HttpServerRequest request, Buffer answer) {
      request.response().putHeader("Content-Type", "application/json").end(answer);
    }
  }
}
