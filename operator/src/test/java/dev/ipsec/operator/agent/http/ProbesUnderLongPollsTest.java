package dev.ipsec.operator.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.agent.AgentEndpoints;
import dev.ipsec.operator.agent.AgentRuntime;
import dev.ipsec.operator.agent.AgentSettings;
import dev.ipsec.operator.agent.tls.TlsFixture;
import dev.ipsec.operator.agent.wire.AgentStateJson;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent (no charon behind it: it keeps trying to reach one) over real TLS, with 200
 * long-polls open: its probes and metrics still answer, and a long-poll past the bound is answered
 * 429 without waiting. Waits are bounded by request timeouts; nothing compares durations.
 */
class ProbesUnderLongPollsTest {

  static final int BOUND = 200;
  static final int BATCH = 25;
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

  /** A revision the agent will not reach: each poll waits its full 60 s (the 9e18). */
  static final long FAR_FUTURE = 9_000_000_000_000_000_000L;

  @TempDir Path dir;
  AgentRuntime agent;
  TlsFixture pki;
  final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    Path config = Files.createDirectories(dir.resolve("swanctl"));
    pki = new TlsFixture(Files.createDirectories(dir.resolve("tls")));
    InetAddress loopback = InetAddress.getLoopbackAddress();
    agent =
        AgentRuntime.start(
            AgentSettings.defaults(config),
            dir.resolve("no-charon.vici"),
            new AgentEndpoints(
                new InetSocketAddress(loopback, 0),
                Optional.of(pki.files()),
                new InetSocketAddress(loopback, 0),
                BOUND),
            Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  @Test
  void probesAnswerWhile200LongPollsWaitAndThe201stIsRefusedAtOnce() throws Exception {
    HttpClient operator = pki.operatorClient();
    assertThat(revision(operator)).isLessThan(FAR_FUTURE);
    List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
    // opened in batches: on a busy machine 200 handshakes at once would only test its scheduler
    while (waiting.size() < BOUND) {
      for (int i = 0; i < BATCH; i++) {
        waiting.add(
            operator.sendAsync(
                longPoll(FAR_FUTURE, Duration.ofSeconds(300)),
                HttpResponse.BodyHandlers.ofString()));
      }
      int opened = waiting.size();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(waiting).noneMatch(CompletableFuture::isCompletedExceptionally);
                assertThat(probe("/metrics").body())
                    .contains("ipsec_agent_state_long_polls_waiting " + opened + ".0");
              });
    }

    // the kubelet's probes and Prometheus get their answers on the plain port
    assertThat(probe("/healthz").statusCode()).isEqualTo(200);
    assertThat(probe("/readyz").statusCode())
        .as("answers, with the reason it is not ready (no charon)")
        .isEqualTo(503);
    assertThat(probe("/readyz").body()).contains("charon not reachable");
    assertThat(probe("/metrics").statusCode()).isEqualTo(200);

    // past the bound: 429 now, not after a wait (the request timeout is far shorter than the wait)
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> refused =
          operator.send(longPoll(FAR_FUTURE, ANSWER_WITHIN), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
    }
    assertThat(probe("/metrics").body())
        .contains("ipsec_agent_state_long_polls_refused_total 5.0")
        .contains("ipsec_agent_state_long_polls_waiting " + BOUND + ".0");
    assertThat(waiting).noneMatch(CompletableFuture::isDone);
    waiting.forEach(f -> f.cancel(true));
  }

  private long revision(HttpClient operator) throws Exception {
    HttpResponse<String> now =
        operator.send(
            HttpRequest.newBuilder(stateUri("")).timeout(ANSWER_WITHIN).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(now.statusCode()).isEqualTo(200);
    return AgentStateJson.read(now.body().getBytes(StandardCharsets.UTF_8)).revision();
  }

  /**
   * A long-poll that waits 60 s for news, and that fails unless answered within {@code timeout}.
   */
  private HttpRequest longPoll(long since, Duration timeout) {
    return HttpRequest.newBuilder(stateUri("?since=" + since + "&wait=60"))
        .timeout(timeout)
        .build();
  }

  private URI stateUri(String query) {
    return URI.create("https://127.0.0.1:" + agent.stateAddress().getPort() + "/v1/state" + query);
  }

  private HttpResponse<String> probe(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + agent.probeAddress().getPort() + path);
    return plain.send(
        HttpRequest.newBuilder(uri).timeout(ANSWER_WITHIN).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
