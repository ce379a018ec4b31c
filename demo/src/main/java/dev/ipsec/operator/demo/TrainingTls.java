package dev.ipsec.operator.demo;

import dev.ipsec.operator.agent.tls.TlsFiles;
import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.CertificateRequest;
import dev.ipsec.operator.pki.IssuedCertificate;
import dev.ipsec.operator.pki.PeerVerifier;
import dev.ipsec.operator.pki.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The TLS side of {@link AgentClassDataArchive}'s training run, as in a gateway pod: a CA of its
 * own for this run alone, the agent's server certificate and key as the mounted Secret holds them,
 * and the operator's client, whose request for the state makes the agent shake hands and answer.
 * Without them the archive held none of the classes of the agent's TLS context, its handshake and
 * its state document (a third of the agent's classes), which every new gateway's agent then loaded
 * and verified from the jar on the way to the operator's first poll (issue 17).
 *
 * <p>The keys are throwaway: made for the run, written only into its own directory (inside the
 * cache directory, which is this user's alone), and deleted with it; no certificate of the run is
 * trusted by anything else.
 */
final class TrainingTls {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final TlsFiles files;
  private final SSLContext operatorContext;

  private TrainingTls(TlsFiles files, SSLContext operatorContext) {
    this.files = files;
    this.operatorContext = operatorContext;
  }

  /**
   * A new CA and the agent's files in {@code dir}: {@code tls.crt}, {@code tls.key}, {@code
   * ca.crt}.
   */
  static TrainingTls writeTo(Path dir) throws IOException {
    Clock clock = Clock.systemUTC();
    CertificateAuthority ca = CertificateAuthority.create("agent class-data training", clock);
    IssuedCertificate agent =
        ca.issue(CertificateRequest.agent("training", "agent", List.of()), clock);
    IssuedCertificate operator = ca.issue(CertificateRequest.operator(), clock);
    TlsFiles files = TlsFiles.inDirectory(dir);
    Files.writeString(files.certificate(), agent.certificatePem());
    Files.createFile(
        files.privateKey(),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(files.privateKey(), agent.privateKeyPem());
    Files.writeString(files.clientCa(), ca.certificatePem());
    SSLContext context =
        TlsContexts.create(operator, PeerVerifier.gatewayServers(ca::certificate, clock));
    return new TrainingTls(files, context);
  }

  /** The agent's TLS flags, as a gateway pod gives them. */
  List<String> agentArguments() {
    return List.of(
        "--tls-cert",
        files.certificate().toString(),
        "--tls-key",
        files.privateKey().toString(),
        "--client-ca",
        files.clientCa().toString());
  }

  /**
   * Asks the agent on {@code port} (loopback) for its state as the operator does; true on a 200.
   */
  boolean askState(int port) throws InterruptedException {
    return state(port).isPresent();
  }

  /**
   * The state document of the agent on {@code port} (loopback), asked as the operator asks; empty
   * unless it answered 200.
   */
  Optional<String> state(int port) throws InterruptedException {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(operatorContext)
            .sslParameters(TlsContexts.parameters(operatorContext, false))
            .connectTimeout(REQUEST_TIMEOUT)
            .build();
    try {
      HttpResponse<String> answer =
          client.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v1/state"))
                  .timeout(REQUEST_TIMEOUT)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return answer.statusCode() == 200 ? Optional.of(answer.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
