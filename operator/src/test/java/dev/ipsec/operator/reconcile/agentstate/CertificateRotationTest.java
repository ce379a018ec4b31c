package dev.ipsec.operator.reconcile.agentstate;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.http.FakeStateView;
import dev.ipsec.operator.agent.http.ServerTls;
import dev.ipsec.operator.agent.http.StateApiServer;
import dev.ipsec.operator.agent.tls.ReloadingServerTls;
import dev.ipsec.operator.agent.tls.TlsFixture;
import dev.ipsec.operator.pki.IssuedCertificate;
import dev.ipsec.operator.pki.RenewingCertificate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both certificates of the channel renewed while the operator long-polls a real agent server over
 * real TLS: the agent's (a new Secret, swapped in by the kubelet's {@code ..data} rename) and the
 * operator's client certificate. With failures reported at once (no grace), not one poll fails; the
 * connection opened before moves over to the new certificates on both sides.
 */
class CertificateRotationTest {

  @TempDir Path dir;

  @Test
  void renewingBothCertificatesMidPollCostsNoPoll() throws Exception {
    TlsFixture pki = new TlsFixture(dir);
    FakeStateView view = new FakeStateView("established");
    // the time of both ends, moved forward to make the operator's certificate due
    AtomicReference<Duration> later = new AtomicReference<>(Duration.ZERO);
    Clock clock = clock(later);
    var store = new GatewayStateStore();
    var id = new GatewayStateStore.GatewayId(TlsFixture.NAMESPACE, TlsFixture.GATEWAY);
    List<AgentReport> published = new CopyOnWriteArrayList<>();
    store.addListener(change -> published.addAll(store.reports(id)));
    RenewingCertificate operatorCertificate = RenewingCertificate.operatorClient(pki.ca, clock);

    try (ReloadingServerTls tls = ReloadingServerTls.start(pki.files(), clock);
        RecordingTls recording = new RecordingTls(tls);
        StateApiServer server =
            StateApiServer.tls(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), view, recording, 8)
                .start();
        GatewayPoller poller =
            new GatewayPoller(
                store,
                new AgentPolling(
                    true, Duration.ofSeconds(30), Duration.ZERO, Duration.ofMillis(200)),
                clock,
                new AgentClient(operatorCertificate, pki.ca, clock))) {
      poller.follow(
          id,
          "uid-1",
          Set.of(
              new GatewayPoller.Target(
                  "gw-gateway-0",
                  InetAddress.getLoopbackAddress().getHostAddress(),
                  server.address().getPort())));
      eventually(
          () ->
              assertThat(GatewayPollerTest.report(store, id, "gw-gateway-0").reachable()).isTrue());
      X509Certificate oldAgent = tls.certificate();
      X509Certificate oldOperator = operatorCertificate.current().certificate();
      // the operator is now waiting on its long-poll (nothing changes in the view)
      eventually(() -> assertThat(server.waitingLongPolls()).isEqualTo(1));

      IssuedCertificate newAgent = pki.rotateAgentCertificate();
      eventually(() -> assertThat(tls.certificate()).isEqualTo(newAgent.certificate()));
      later.set(Duration.ofDays(5)); // past two thirds of the operator certificate's 7 days
      // answers the running long-poll, on the connection of the old certificates, which the agent
      // then closes; the next poll connects anew
      awaitRevision(store, id, view.bump());
      eventually(() -> assertThat(server.waitingLongPolls()).isEqualTo(1));
      awaitRevision(store, id, view.bump());

      IssuedCertificate newOperator = operatorCertificate.current();
      assertThat(newOperator.certificate()).isNotEqualTo(oldOperator);
      assertThat(recording.servedWith)
          .as("the old connection, then a new one with the new certificates on both sides")
          .startsWith(new Pair(oldAgent, oldOperator))
          .endsWith(new Pair(newAgent.certificate(), newOperator.certificate()));
      assertThat(published).isNotEmpty().allMatch(AgentReport::reachable);
    }
  }

  private static void awaitRevision(
      GatewayStateStore store, GatewayStateStore.GatewayId id, long revision) {
    eventually(
        () ->
            assertThat(GatewayPollerTest.report(store, id, "gw-gateway-0").agentRevision())
                .isEqualTo(revision));
  }

  /** Which certificates (agent's, operator's) the connection of each answer was made with. */
  record Pair(Certificate agent, Certificate operator) {}

  /** The agent's TLS, recording the session of every answer. */
  static final class RecordingTls implements ServerTls, AutoCloseable {
    final List<Pair> servedWith = new CopyOnWriteArrayList<>();
    private final ReloadingServerTls delegate;

    RecordingTls(ReloadingServerTls delegate) {
      this.delegate = delegate;
    }

    @Override
    public javax.net.ssl.SSLContext context() {
      return delegate.context();
    }

    @Override
    public boolean isStale(SSLSession session) {
      try {
        servedWith.add(
            new Pair(session.getLocalCertificates()[0], session.getPeerCertificates()[0]));
      } catch (SSLPeerUnverifiedException e) {
        throw new AssertionError("a session without client certificate was served", e);
      }
      return delegate.isStale(session);
    }

    @Override
    public void close() {}
  }

  private static Clock clock(AtomicReference<Duration> later) {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.now().plus(later.get());
      }
    };
  }
}
