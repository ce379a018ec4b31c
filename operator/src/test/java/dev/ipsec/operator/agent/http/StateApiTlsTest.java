package dev.ipsec.operator.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipsec.operator.agent.tls.ReloadingServerTls;
import dev.ipsec.operator.agent.tls.TlsFixture;
import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.CertificateRequest;
import dev.ipsec.operator.pki.IssuedCertificate;
import dev.ipsec.operator.pki.PeerIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state API over real TLS on the agent's real server: the operator's client certificate gets
 * the state, nothing else does (no certificate, another CA's, an expired one, an agent's own, plain
 * HTTP).
 */
class StateApiTlsTest {

  @TempDir Path dir;
  TlsFixture pki;
  ReloadingServerTls tls;
  StateApiServer server;

  @BeforeEach
  void start() throws IOException {
    pki = new TlsFixture(dir);
    tls = ReloadingServerTls.start(pki.files(), Clock.systemUTC());
    server =
        StateApiServer.tls(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new FakeStateView("established"),
                tls,
                8)
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
    tls.close();
  }

  @Test
  void theOperatorsCertificateGetsTheStateFromTheGatewaysAgent() throws Exception {
    HttpResponse<String> response = get(pki.operatorClient(), "https");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"schemaVersion\"");
    X509Certificate served =
        (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    assertThat(PeerIdentity.of(served)).contains(PeerIdentity.gateway("vpn", "gw"));
  }

  @Test
  void aRequestWithoutClientCertificateIsRefused() {
    assertRefused(pki.clientWithoutCertificate());
  }

  @Test
  void aCertificateOfAnotherCaIsRefused() {
    CertificateAuthority other = CertificateAuthority.create("test CA", Clock.systemUTC());
    IssuedCertificate foreign = other.issue(CertificateRequest.operator(), Clock.systemUTC());

    assertRefused(TlsFixture.client(foreign, pki.ca));
  }

  @Test
  void anExpiredCertificateIsRefused() {
    // issued eight days ago for seven
    IssuedCertificate expired =
        pki.ca.issue(
            CertificateRequest.operator(), Clock.offset(Clock.systemUTC(), Duration.ofDays(-8)));
    assertThat(expired.certificate().getNotAfter()).isInThePast();

    assertRefused(TlsFixture.client(expired, pki.ca));
  }

  @Test
  void aGatewaysOwnCertificateOpensNoAgent() {
    // what an attacker who owns a gateway pod holds: its agent's key and server certificate
    IssuedCertificate stolen =
        pki.ca.issue(CertificateRequest.agent("vpn", "other", List.of()), Clock.systemUTC());

    assertRefused(TlsFixture.client(stolen, pki.ca));
  }

  @Test
  void plainHttpToTheTlsPortGetsNoState() {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    assertThatThrownBy(() -> get(plain, "http")).isInstanceOf(IOException.class);
  }

  @Test
  void aRenewedCertificateIsServedWithoutRestartAndOldConnectionsMoveOver() throws Exception {
    HttpClient operator = pki.operatorClient();
    X509Certificate before = servedCertificate(get(operator, "https"));

    IssuedCertificate renewed = pki.rotateAgentCertificate(); // the kubelet's ..data swap
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> tls.certificate().equals(renewed.certificate()));

    // the pooled connection still has the old session: answered, then closed by the agent
    assertThat(servedCertificate(get(operator, "https"))).isEqualTo(before);
    // so the next request shakes hands anew and gets the renewed certificate
    assertThat(servedCertificate(get(operator, "https"))).isEqualTo(renewed.certificate());
  }

  private static X509Certificate servedCertificate(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).isEqualTo(200);
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  private void assertRefused(HttpClient client) {
    // TLS 1.3: the client may finish its side before the agent rejects its certificate, so the
    // refusal shows as a failed handshake or as the connection closed instead of an answer
    assertThatThrownBy(() -> get(client, "https")).isInstanceOf(IOException.class);
  }

  private HttpResponse<String> get(HttpClient client, String scheme) throws Exception {
    URI uri = URI.create(scheme + "://127.0.0.1:" + server.address().getPort() + "/v1/state");
    return client.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
