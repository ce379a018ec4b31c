package dev.ipsec.operator.agent.tls;

import dev.ipsec.operator.kubelet.ProjectedVolumeWriter;
import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.CertificateRequest;
import dev.ipsec.operator.pki.IssuedCertificate;
import dev.ipsec.operator.pki.PeerVerifier;
import dev.ipsec.operator.pki.TlsContexts;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The TLS material of one agent in a test: a CA, the agent's certificate in a directory laid out as
 * the kubelet mounts a Secret ({@code ..data} swapped on every write), and HTTP clients that
 * present this or that certificate.
 */
public final class TlsFixture {

  public static final String NAMESPACE = "vpn";
  public static final String GATEWAY = "gw";

  public final CertificateAuthority ca = CertificateAuthority.create("test CA", Clock.systemUTC());
  private final ProjectedVolumeWriter volume;
  private final Path dir;

  public TlsFixture(Path dir) {
    this.dir = dir;
    this.volume = new ProjectedVolumeWriter(dir);
    rotateAgentCertificate();
  }

  /** The files as the agent's flags name them. */
  public TlsFiles files() {
    return TlsFiles.inDirectory(dir);
  }

  /** Issues the agent a new certificate and swaps it in as the kubelet does; returns it. */
  public IssuedCertificate rotateAgentCertificate() {
    IssuedCertificate agent =
        ca.issue(
            CertificateRequest.agent(NAMESPACE, GATEWAY, List.of("gw-gateway.vpn.svc")),
            Clock.systemUTC());
    volume.write(
        Map.of(
            "tls.crt", agent.certificatePem().getBytes(StandardCharsets.US_ASCII),
            "tls.key", agent.privateKeyPem().getBytes(StandardCharsets.US_ASCII),
            "ca.crt", ca.certificatePem().getBytes(StandardCharsets.US_ASCII)));
    return agent;
  }

  /** A current client certificate of the operator. */
  public IssuedCertificate operatorCertificate() {
    return ca.issue(CertificateRequest.operator(), Clock.systemUTC());
  }

  /** The operator's HTTP client: its client certificate, the agents of this CA trusted. */
  public HttpClient operatorClient() {
    return client(operatorCertificate(), ca);
  }

  /** A client presenting {@code own} and trusting agents of {@code trusted}. */
  public static HttpClient client(IssuedCertificate own, CertificateAuthority trusted) {
    SSLContext context =
        TlsContexts.create(
            own, PeerVerifier.gatewayServers(trusted::certificate, Clock.systemUTC()));
    return build(context);
  }

  /** A client that presents no certificate at all, but would trust the agent. */
  public HttpClient clientWithoutCertificate() {
    try {
      SSLContext context = SSLContext.getInstance(TlsContexts.PROTOCOL);
      context.init(
          null,
          new TrustManager[] {
            new dev.ipsec.operator.pki.PeerTrustManager(
                PeerVerifier.gatewayServers(ca::certificate, Clock.systemUTC()))
          },
          null);
      return build(context);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpClient build(SSLContext context) {
    return HttpClient.newBuilder()
        .sslContext(context)
        .sslParameters(TlsContexts.parameters(context, false))
        .connectTimeout(Duration.ofSeconds(20))
        .build();
  }
}
