package dev.ipsec.operator.reconcile.agentstate;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.CertificateRequest;
import dev.ipsec.operator.pki.PeerVerifier;
import dev.ipsec.operator.pki.TlsContexts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for a gateway's agent on the loopback interface: the state API over the same mutual
 * TLS as the real one (a certificate of the operator's CA naming a gateway, the operator's client
 * certificate required), serving whatever bytes the test sets.
 */
final class FakeAgent implements AutoCloseable {

  final AtomicReference<byte[]> served = new AtomicReference<>(new byte[0]);
  final AtomicInteger requests = new AtomicInteger();
  private final HttpsServer server;

  private FakeAgent(HttpsServer server) {
    this.server = server;
  }

  /** An agent with the certificate of gateway {@code namespace/gateway} from {@code ca}. */
  static FakeAgent start(CertificateAuthority ca, String namespace, String gateway)
      throws IOException {
    SSLContext context =
        TlsContexts.create(
            ca.issue(CertificateRequest.agent(namespace, gateway, List.of()), Clock.systemUTC()),
            PeerVerifier.operatorClients(ca::certificate, Clock.systemUTC()));
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.setHttpsConfigurator(
        new HttpsConfigurator(context) {
          @Override
          public void configure(HttpsParameters parameters) {
            parameters.setSSLParameters(TlsContexts.parameters(context, true));
          }
        });
    FakeAgent agent = new FakeAgent(server);
    server.createContext(
        "/v1/state",
        exchange -> {
          try (exchange) {
            agent.requests.incrementAndGet();
            byte[] body = agent.served.get();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } catch (IOException e) {
            // the operator hung up (an answer it cut off): nothing to do
          }
        });
    server.start();
    return agent;
  }

  int port() {
    return server.getAddress().getPort();
  }

  GatewayPoller.Target target(String pod) {
    return new GatewayPoller.Target(pod, InetAddress.getLoopbackAddress().getHostAddress(), port());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
