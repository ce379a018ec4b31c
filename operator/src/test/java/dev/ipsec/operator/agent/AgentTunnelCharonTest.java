package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ipsec.operator.testing.ExecResult;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.SiteToSite;
import dev.ipsec.operator.testing.SiteToSite.Side;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways, each a real charon with the whole agent ({@link AgentRuntime}) next to it, as in
 * a gateway pod: the agents load a PSK tunnel from projected-volume directories, traffic passes
 * through it over kernel-libipsec, and both agents' HTTP APIs show it up.
 */
@RequiresCharon
class AgentTunnelCharonTest {

  static final String SECRET = "s3cr3t-never-in-state";

  @TempDir Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void twoAgentsBringUpAPskTunnelThatCarriesTrafficAndServeItsState() throws Exception {
    try (SiteToSite site = SiteToSite.create("ag", tmp).start()) {
      ProjectedVolumeDir confB = ProjectedVolumeDir.create(tmp.resolve("b-conf"), Map.of(
          "swanctl.conf", SiteToSite.swanctlConf(Side.B, "tun", "net", Map.of(), Map.of(), SECRET), "revision", "b1"));
      ProjectedVolumeDir confA = ProjectedVolumeDir.create(tmp.resolve("a-conf"), Map.of(
          "swanctl.conf", SiteToSite.swanctlConf(Side.A, "tun", "net", Map.of(), Map.of("start_action", "start"), SECRET),
          "revision", "a1"));

      try (AgentRuntime b = startAgent(confB.root(), site.b().viciSocket())) {
        await().atMost(Duration.ofSeconds(20)).until(() -> get(b, "/readyz").statusCode() == 200);
        try (AgentRuntime a = startAgent(confA.root(), site.a().viciSocket())) {

          JsonNode stateA = awaitState(a, s -> tunnelUp(s));
          JsonNode stateB = awaitState(b, s -> tunnelUp(s));
          assertThat(stateA.at("/state/sas/connections/tun/ikeSa/remoteId").asText()).isEqualTo(SiteToSite.ID_B);
          assertThat(stateB.at("/state/sas/connections/tun/ikeSa/remoteId").asText()).isEqualTo(SiteToSite.ID_A);
          assertThat(stateA.at("/state/loader/configRevision").asText()).isEqualTo("a1");
          assertThat(stateA.at("/state/loader/connectionsLoaded").asInt()).isEqualTo(1);
          assertThat(stateA.at("/state/charon/version").asText()).isEqualTo("5.9.8");

          ExecResult ping = site.pingBFromA(3);
          assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();

          String metrics = await().atMost(Duration.ofSeconds(20)).until(() -> get(a, "/metrics").body(),
              m -> m.matches("(?s).*ipsec_agent_child_sa_packets_total\\{child=\"net\",connection=\"tun\",direction=\"out\"} [1-9].*"));
          assertThat(metrics)
              .contains("ipsec_agent_ike_sa_up{connection=\"tun\"} 1.0")
              .contains("ipsec_agent_child_sa_up{child=\"net\",connection=\"tun\"} 1.0")
              .contains("ipsec_agent_connections_loaded 1.0")
              .contains("ipsec_agent_config_loads_total{kind=\"full\"} 1.0")
              .contains("ipsec_agent_vici_commands_total{command=\"load-conn\"} 1.0")
              .contains("ipsec_agent_charon_up 1.0")
              .doesNotContain(SECRET);
          assertThat(get(a, "/healthz").statusCode()).isEqualTo(200);
          assertThat(get(a, "/readyz").statusCode()).isEqualTo(200);
          assertThat(get(a, "/v1/state").body()).doesNotContain(SECRET);
          assertThat(http.send(HttpRequest.newBuilder(uri(a, "/v1/state")).POST(HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
          assertThat(get(a, "/v1/state?since=x").statusCode()).isEqualTo(400);
        }
      }
    }
  }

  @Test
  void longPollReturnsOnAChangeOrWhenTheWaitIsOver() throws Exception {
    try (SiteToSite site = SiteToSite.create("ag", tmp).start()) {
      Map<String, String> files = new HashMap<>(Map.of(
          "swanctl.conf", SiteToSite.swanctlConf(Side.B, "tun", "net", Map.of(), Map.of(), SECRET), "revision", "b1"));
      ProjectedVolumeDir conf = ProjectedVolumeDir.create(tmp.resolve("b-conf"), files);
      try (AgentRuntime b = startAgent(conf.root(), site.b().viciSocket())) {
        await().atMost(Duration.ofSeconds(20)).until(() -> get(b, "/readyz").statusCode() == 200);
        long revision = json.readTree(get(b, "/v1/state").body()).get("revision").asLong();

        long start = System.nanoTime();
        JsonNode unchanged = json.readTree(get(b, "/v1/state?since=" + revision + "&wait=1").body());
        assertThat(unchanged.get("revision").asLong()).isEqualTo(revision);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));

        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(
            HttpRequest.newBuilder(uri(b, "/v1/state?since=" + revision + "&wait=30")).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(pending).isNotDone();
        conf.update(Map.of("revision", "b2"));
        JsonNode changed = json.readTree(pending.get(10, java.util.concurrent.TimeUnit.SECONDS).body());
        assertThat(changed.get("revision").asLong()).isGreaterThan(revision);
        assertThat(changed.at("/state/loader/configRevision").asText()).isEqualTo("b2");

        // charon gone: not ready; back: ready again with the configuration loaded anew
        site.b().kill();
        await().atMost(Duration.ofSeconds(15)).until(() -> get(b, "/readyz").statusCode() == 503);
        site.b().start();
        await().atMost(Duration.ofSeconds(20)).until(() -> get(b, "/readyz").statusCode() == 200);
        assertThat(json.readTree(get(b, "/v1/state").body()).at("/state/charon/restarts").asLong()).isEqualTo(1);
      }
    }
  }

  /**
   * charon treats NO_PROPOSAL_CHOSEN from a responder without configuration as final, even with
   * {@code keyingtries = 0}: when the initiating gateway starts first, only the agent's
   * {@link InitiatorKeeper} brings the tunnel up once the responder has loaded its side.
   */
  @Test
  void anInitiatorRefusedByAnUnconfiguredResponderTriesAgainOnceTheResponderIsLoaded() throws Exception {
    try (SiteToSite site = SiteToSite.create("ag", tmp).start()) {
      ProjectedVolumeDir confA = ProjectedVolumeDir.create(tmp.resolve("a-conf"), Map.of(
          "swanctl.conf", SiteToSite.swanctlConf(Side.A, "tun", "net", Map.of("keyingtries", "0"), Map.of("start_action", "start"), SECRET),
          "revision", "a1"));
      ProjectedVolumeDir confB = ProjectedVolumeDir.create(tmp.resolve("b-conf"), Map.of(
          "swanctl.conf", SiteToSite.swanctlConf(Side.B, "tun", "net", Map.of(), Map.of(), SECRET), "revision", "b1"));

      try (AgentRuntime a = startAgent(confA.root(), site.a().viciSocket())) {
        JsonNode refused = awaitState(a, s -> "NO_PROPOSAL_CHOSEN".equals(s.at("/state/sas/connections/tun/lastFailure/reason").asText()));
        assertThat(refused.at("/state/sas/connections/tun/ikeSa/state").asText()).isNotEqualTo("ESTABLISHED");

        long loaded = System.nanoTime();
        try (AgentRuntime b = startAgent(confB.root(), site.b().viciSocket())) {
          awaitState(a, AgentTunnelCharonTest::tunnelUp);
          System.out.printf("initiator re-initiated and established %d ms after the responder's agent started%n",
              Duration.ofNanos(System.nanoTime() - loaded).toMillis());
          ExecResult ping = site.pingBFromA(2);
          assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
        }
      }
    }
  }

  private static AgentRuntime startAgent(Path configDir, Path socket) throws Exception {
    AgentSettings settings = AgentSettings.defaults(configDir)
        .withDebounce(Duration.ofMillis(50))
        .withProbeInterval(Duration.ofMillis(300));
    return AgentRuntime.start(settings, socket, new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(1));
  }

  private static boolean tunnelUp(JsonNode state) {
    return "ESTABLISHED".equals(state.at("/state/sas/connections/tun/ikeSa/state").asText())
        && "INSTALLED".equals(state.at("/state/sas/connections/tun/children/net/state").asText());
  }

  /** Long-polls {@code /v1/state} until {@code condition} holds (at most 30 s). */
  private JsonNode awaitState(AgentRuntime agent, java.util.function.Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode state = json.readTree(get(agent, "/v1/state").body());
    while (!condition.test(state) && System.nanoTime() < deadline) {
      state = json.readTree(get(agent, "/v1/state?since=" + state.get("revision").asLong() + "&wait=2").body());
    }
    assertThat(condition.test(state)).as("state never matched: %s", state).isTrue();
    return state;
  }

  private static URI uri(AgentRuntime agent, String path) {
    InetSocketAddress address = agent.httpAddress();
    return URI.create("http://127.0.0.1:" + address.getPort() + path);
  }

  private HttpResponse<String> get(AgentRuntime agent, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(agent, path)).timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
