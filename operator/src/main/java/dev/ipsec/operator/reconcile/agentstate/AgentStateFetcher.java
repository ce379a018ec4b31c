package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.agent.wire.AgentStateJson;
import dev.ipsec.operator.agent.wire.UnsupportedStateSchemaException;
import dev.ipsec.operator.pki.PeerIdentity;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One request to an agent's state API over mutual TLS, and what came of it: a report, a failure to
 * reach or read the agent, or an agent that speaks a state schema this operator does not know.
 * Asynchronous, so following a thousand pods costs no thousand threads.
 *
 * <p>The operator dials the pod IP, which no certificate names, so the handshake only proves an
 * agent of the operator's CA; before reading a byte of the answer, the certificate's identity must
 * be the pod's gateway. Answers are read up to {@code maxBytes}. Every failure, of any kind, is a
 * {@link Fetched} with the problem, never an exception: one bad agent must not stop the poller.
 */
final class AgentStateFetcher {

  /** What one request gave: exactly one of {@code report} and {@code problem} is set. */
  record Fetched(AgentReport report, String problem, boolean foreignSchema) {}

  private final AgentClient client;
  private final long maxBytes;

  AgentStateFetcher(AgentClient client, long maxBytes) {
    this.client = client;
    this.maxBytes = maxBytes;
  }

  /**
   * Asks {@code target}'s agent for its state: at once when {@code since} is null, else for the
   * first revision after {@code since}, waiting at most {@code wait}. The agent must prove {@code
   * expected}.
   */
  CompletableFuture<Fetched> fetch(
      GatewayPoller.Target target, PeerIdentity expected, Long since, Duration wait) {
    try {
      String query = since == null ? "" : "?since=" + since + "&wait=" + wait.toSeconds();
      URI uri = URI.create("https://" + hostPort(target) + "/v1/state" + query);
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(wait.plusSeconds(10)).GET().build();
      return client
          .current()
          .sendAsync(request, new LimitedBody(maxBytes))
          .handle((response, error) -> read(target, expected, response, error));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failed(describe(e)));
    }
  }

  private static Fetched read(
      GatewayPoller.Target target,
      PeerIdentity expected,
      HttpResponse<byte[]> response,
      Throwable error) {
    if (error != null) {
      return failed(describe(error));
    }
    Optional<String> imposter = identityProblem(target, expected, response.sslSession());
    if (imposter.isPresent()) {
      return failed(imposter.get());
    }
    if (response.statusCode() != 200) {
      return failed("HTTP " + response.statusCode() + " from the agent");
    }
    try {
      return new Fetched(AgentReports.read(target.pod(), response.body()), null, false);
    } catch (UnsupportedStateSchemaException e) {
      return new Fetched(null, schemaMismatch(target.pod(), e), true);
    } catch (Exception e) {
      return failed("unreadable state document: " + e.getClass().getSimpleName());
    }
  }

  /** Empty when the agent's certificate names {@code expected}, else what it names instead. */
  private static Optional<String> identityProblem(
      GatewayPoller.Target target, PeerIdentity expected, Optional<SSLSession> session) {
    try {
      Certificate[] chain =
          session
              .orElseThrow(() -> new SSLPeerUnverifiedException("no TLS session"))
              .getPeerCertificates();
      Optional<PeerIdentity> presented =
          chain.length > 0 && chain[0] instanceof X509Certificate leaf
              ? PeerIdentity.of(leaf)
              : Optional.empty();
      if (presented.filter(expected::equals).isPresent()) {
        return Optional.empty();
      }
      return Optional.of(
          "the agent at "
              + hostPort(target)
              + " (pod "
              + target.pod()
              + ") presents the certificate of "
              + presented.map(PeerIdentity::uri).orElse("no identity")
              + ", not of "
              + expected.uri());
    } catch (SSLPeerUnverifiedException e) {
      return Optional.of("the agent at " + hostPort(target) + " proved no identity");
    }
  }

  static String schemaMismatch(String pod, UnsupportedStateSchemaException e) {
    String speaks =
        e.found() == AgentStateJson.NO_SCHEMA
            ? " serves a state document without schema version (an agent older than this operator)"
            : " speaks state schema " + e.found();
    return "agent of pod "
        + pod
        + speaks
        + ", this operator understands "
        + AgentStateDocument.SCHEMA_VERSION;
  }

  /** The exception that says most: an oversized answer wherever it is wrapped, else the first. */
  private static String describe(Throwable error) {
    Throwable shown = error;
    while ((shown instanceof CompletionException || shown instanceof ExecutionException)
        && shown.getCause() != null) {
      shown = shown.getCause();
    }
    for (Throwable t = shown; t != null; t = t.getCause()) {
      if (t instanceof LimitedBody.TooLargeException) {
        shown = t;
        break;
      }
    }
    return shown.getClass().getSimpleName()
        + (shown.getMessage() == null ? "" : ": " + shown.getMessage());
  }

  private static Fetched failed(String problem) {
    return new Fetched(null, problem, false);
  }

  private static String hostPort(GatewayPoller.Target target) {
    String host = target.host().contains(":") ? "[" + target.host() + "]" : target.host();
    return host + ":" + target.port();
  }
}
