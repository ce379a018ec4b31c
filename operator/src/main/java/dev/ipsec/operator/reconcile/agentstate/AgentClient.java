package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.HandshakeRehearsal;
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
  private SSLContext context;
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
      context = TlsContexts.create(now, PeerVerifier.gatewayServers(ca::certificate, clock));
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

  /**
   * A handshake of the current client's context against a server presenting the operator's own
   * certificate, in memory ({@link HandshakeRehearsal}): the client's verifier refuses it, as it
   * must (the operator's certificate is no agent's), after the key exchange, the signature and the
   * chain check a real handshake does. Run once at the start, so that the first poll of the first
   * gateway is not the JVM's first handshake.
   */
  HandshakeRehearsal.Outcome rehearse() {
    SSLContext client;
    IssuedCertificate own;
    synchronized (this) {
      current();
      client = context;
      own = builtFor;
    }
    SSLContext ownAsServer =
        TlsContexts.create(own, PeerVerifier.operatorClients(ca::certificate, clock));
    return HandshakeRehearsal.run(ownAsServer, client);
  }

  void close() {
    executor.shutdownNow();
  }
}
