package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.CertificateRequest;
import dev.ipsec.operator.pki.PeerVerifier;
import dev.ipsec.operator.pki.RenewingCertificate;
import dev.ipsec.operator.pki.TlsContexts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * A new pod is followed from the moment it has an IP, seconds before its agent listens: the poller
 * finds the port closed (a plain connect, {@link AgentPortCheck}) until then, and reads the agent
 * over mutual TLS once it listens.
 */
class StartingAgentPollTest {

  private static final GatewayStateStore.GatewayId GATEWAY =
      new GatewayStateStore.GatewayId("vpn", "gw");

  @Test
  void anAgentThatStartsListeningAfterItsPodIsFollowedIsRead() throws Exception {
    Clock clock = Clock.systemUTC();
    CertificateAuthority ca = CertificateAuthority.create("starting-agent-ca", clock);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    int port;
    try (ServerSocket reserved = new ServerSocket(0, 1, loopback)) {
      port = reserved.getLocalPort();
    }
    GatewayStateStore store = new GatewayStateStore();
    ExecutorService handlers = Executors.newCachedThreadPool();
    try (GatewayPoller poller =
        new GatewayPoller(
            store,
            AgentPolling.defaults(),
            clock,
            new AgentClient(RenewingCertificate.operatorClient(ca, clock), ca, clock))) {
      poller.follow(
          GATEWAY,
          "uid-gw",
          Set.of(new GatewayPoller.Target("gw-pod0", loopback.getHostAddress(), port)));
      Thread.sleep(500); // several closed-port checks
      assertThat(store.reports(GATEWAY)).noneMatch(AgentReport::reachable);

      SSLContext agentTls =
          TlsContexts.create(
              ca.issue(CertificateRequest.agent("vpn", "gw", List.of()), clock),
              PeerVerifier.operatorClients(ca::certificate, clock));
      AgentStateDocument recorded = AgentDocuments.fixture("established");
      try (LongPollAgent agent =
          LongPollAgent.start(
              agentTls,
              handlers,
              "gw-pod0",
              new InetSocketAddress(loopback, port),
              recorded.state())) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (store.reports(GATEWAY).stream().noneMatch(AgentReport::reachable)
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(store.reports(GATEWAY))
            .as("the agent's report, once it listens")
            .anyMatch(r -> r.pod().equals("gw-pod0") && r.reachable());
      }
    } finally {
      handlers.shutdownNow();
    }
  }
}
