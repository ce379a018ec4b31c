package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.IssuedCertificate;
import dev.ipsec.operator.pki.PeerVerifier;
import dev.ipsec.operator.pki.RenewingCertificate;
import dev.ipsec.operator.pki.TlsContexts;
import dev.ipsec.operator.threads.DaemonThreads;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The operator's HTTPS client for the agents: presents the operator's client certificate, trusts
 * agents whose certificate chains to the operator's CA and names some gateway (which one is checked
 * per pod, {@link AgentStateFetcher}). The certificate is renewed when due, and a renewal builds a
 * new client: its connections are new, so every agent sees the renewed certificate from the next
 * poll on, while the polls still running on the old client's connections finish undisturbed.
 */
public final class AgentClient {

  private final RenewingCertificate certificate;
  private final CertificateAuthority ca;
  private final Clock clock;
  private final ExecutorService executor =
      Executors.newFixedThreadPool(2, DaemonThreads.named("gateway-poller-http"));
  private IssuedCertificate builtFor;
  private HttpClient client;

  public AgentClient(RenewingCertificate certificate, CertificateAuthority ca, Clock clock) {
    this.certificate = certificate;
    this.ca = ca;
    this.clock = clock;
  }

  /** The client of the current certificate, built anew after a renewal. */
  synchronized HttpClient current() {
    IssuedCertificate now = certificate.current();
    if (now != builtFor) {
      SSLContext context =
          TlsContexts.create(now, PeerVerifier.gatewayServers(ca::certificate, clock));
      client =
          HttpClient.newBuilder()
              .sslContext(context)
              .sslParameters(TlsContexts.parameters(context, false))
              .connectTimeout(Duration.ofSeconds(5))
              .executor(executor)
              .build();
      builtFor = now;
    }
    return client;
  }

  void close() {
    executor.shutdownNow();
  }
}
