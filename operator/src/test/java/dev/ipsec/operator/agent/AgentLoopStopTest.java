package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's fault "the agent loop stops": an Error escapes the agent's loop (out of memory, a bug
 * past every catch). The executor ends the loop's periodic task silently and stays up itself, so
 * the agent has to notice: {@code /healthz} answers 503 "agent loop stopped" and the kubelet
 * restarts the agent container; {@code /readyz} answers the same, since nothing updates the state
 * it serves any more, so the pod leaves the Service until then. The agent runs without charon here
 * (it keeps trying to reach one), which is enough for its loop to run.
 */
class AgentLoopStopTest {

  @TempDir Path dir;
  AgentRuntime agent;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void anErrorThatEscapesTheLoopFailsLivenessAndReadinessNamingIt() throws Exception {
    LoopBreakingClock clock = new LoopBreakingClock();
    agent =
        AgentRuntime.start(
            AgentSettings.defaults(Files.createDirectories(dir.resolve("swanctl"))),
            dir.resolve("no-charon.vici"),
            AgentEndpoints.loopback(),
            Duration.ofSeconds(1),
            clock);
    await().atMost(Duration.ofSeconds(10)).until(() -> clock.loopCalls > 2);
    assertThat(get("/healthz").statusCode()).as("a running loop is alive").isEqualTo(200);
    HttpResponse<String> notReady = get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).contains("charon not reachable over VICI");

    clock.breakTheLoop();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(get("/healthz").statusCode()).isEqualTo(503));
    assertThat(get("/healthz").body()).contains("agent loop stopped");
    HttpResponse<String> ready = get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("agent loop stopped");
    // the loop really stopped: its periodic probe asks the clock no more
    long calls = clock.loopCalls;
    Thread.sleep(500);
    assertThat(clock.loopCalls).as("clock reads on the loop after it stopped").isEqualTo(calls);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + hostPort() + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String hostPort() {
    return agent.probeAddress().getHostString() + ":" + agent.probeAddress().getPort();
  }

  /**
   * The system clock, which once broken throws an Error at the next read on the agent's loop thread
   * ("agent-loop"), where the loop's probe reads it first thing; other threads read it as usual.
   */
  private static final class LoopBreakingClock extends Clock {
    private volatile boolean broken;
    volatile long loopCalls;

    void breakTheLoop() {
      broken = true;
    }

    @Override
    public Instant instant() {
      if (Thread.currentThread().getName().equals("agent-loop")) {
        loopCalls++;
        if (broken) {
          throw new LoopBrokenError();
        }
      }
      return Instant.now();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  /** What escapes the loop: an Error, which no {@code catch (RuntimeException)} stops. */
  private static final class LoopBrokenError extends Error {
    LoopBrokenError() {
      super("the test broke the agent loop");
    }
  }
}
