package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.agent.wire.AgentStateJson;
import dev.ipsec.operator.agent.wire.UnsupportedStateSchemaException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One request to an agent's state API, and what came of it: a report, a failure to reach or read
 * the agent, or an agent that speaks a state schema this operator does not know. Asynchronous, so
 * following a thousand pods costs no thousand threads.
 */
final class AgentStateFetcher {

  /** What one request gave: exactly one of {@code report} and {@code problem} is set. */
  record Fetched(AgentReport report, String problem, boolean foreignSchema) {}

  private final HttpClient http;

  AgentStateFetcher(HttpClient http) {
    this.http = http;
  }

  /**
   * Asks {@code target}'s agent for its state: at once when {@code since} is null, else for the
   * first revision after {@code since}, waiting at most {@code wait}.
   */
  CompletableFuture<Fetched> fetch(GatewayPoller.Target target, Long since, Duration wait) {
    String query = since == null ? "" : "?since=" + since + "&wait=" + wait.toSeconds();
    URI uri = URI.create("http://" + hostPort(target) + "/v1/state" + query);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(wait.plusSeconds(10)).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, error) -> {
              if (error != null) {
                return failed(
                    error.getClass().getSimpleName()
                        + (error.getMessage() == null ? "" : ": " + error.getMessage()));
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
            });
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

  private static Fetched failed(String problem) {
    return new Fetched(null, problem, false);
  }

  private static String hostPort(GatewayPoller.Target target) {
    String host = target.host().contains(":") ? "[" + target.host() + "]" : target.host();
    return host + ":" + target.port();
  }
}
