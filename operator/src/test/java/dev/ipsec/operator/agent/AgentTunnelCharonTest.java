package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.agent.wire.AgentStateJson;
import dev.ipsec.operator.agent.wire.StateSnapshot.ConnectionState;
import dev.ipsec.operator.agent.wire.StateSnapshot.FailureReason;
import dev.ipsec.operator.testing.ExecResult;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.SiteToSite;
import dev.ipsec.operator.testing.SiteToSite.Side;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways, each a real charon with the whole agent ({@link AgentRuntime}) next to it, as in a
 * gateway pod: the agents load a PSK tunnel from projected-volume directories, traffic passes
 * through it over kernel-libipsec, and both agents' HTTP APIs show it up.
 */
@RequiresCharon
class AgentTunnelCharonTest {

  static final String SECRET = "s3cr3t-never-in-state";

  @TempDir Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void twoAgentsBringUpAPskTunnelThatCarriesTrafficAndServeItsState() throws Exception {
    try (SiteToSite site = SiteToSite.create("ag", tmp).start()) {
      ProjectedVolumeDir confB =
          ProjectedVolumeDir.create(
              tmp.resolve("b-conf"),
              "b1",
              Map.of(
                  "swanctl.conf",
                  SiteToSite.swanctlConf(Side.B, "tun", "net", Map.of(), Map.of(), SECRET)));
      ProjectedVolumeDir confA =
          ProjectedVolumeDir.create(
              tmp.resolve("a-conf"),
              "a1",
              Map.of(
                  "swanctl.conf",
                  SiteToSite.swanctlConf(
                      Side.A, "tun", "net", Map.of(), Map.of("start_action", "start"), SECRET)));

      try (AgentRuntime b = startAgent(confB.root(), site.b().viciSocket())) {
        await().atMost(Duration.ofSeconds(20)).until(() -> get(b, "/readyz").statusCode() == 200);
        try (AgentRuntime a = startAgent(confA.root(), site.a().viciSocket())) {

          AgentStateDocument stateA = awaitState(a, AgentTunnelCharonTest::tunnelUp);
          AgentStateDocument stateB = awaitState(b, AgentTunnelCharonTest::tunnelUp);
          assertThat(stateA.schemaVersion()).isEqualTo(AgentStateDocument.SCHEMA_VERSION);
          assertThat(tun(stateA).ikeSa().remoteId()).isEqualTo(SiteToSite.ID_B);
          assertThat(tun(stateB).ikeSa().remoteId()).isEqualTo(SiteToSite.ID_A);
          assertThat(stateA.state().loader().configRevision()).isEqualTo("a1");
          assertThat(stateA.state().loader().connectionsLoaded()).isEqualTo(1);
          assertThat(stateA.state().charon().version()).isEqualTo("5.9.8");
          assertThat(stateA.state().readError()).isNull();

          ExecResult ping = site.pingBFromA(3);
          assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();

          String metrics =
              await()
                  .atMost(Duration.ofSeconds(20))
                  .until(
                      () -> get(a, "/metrics").body(),
                      m ->
                          m.matches(
                              "(?s).*ipsec_agent_child_sa_packets_total"
                                  + "\\{child=\"net\",connection=\"tun\",direction=\"out\"}"
                                  + " [1-9].*"));
          assertThat(metrics)
              .contains("ipsec_agent_ike_sa_up{connection=\"tun\"} 1.0")
              .contains("ipsec_agent_child_sa_up{child=\"net\",connection=\"tun\"} 1.0")
              .contains("ipsec_agent_connections_loaded 1.0")
              .contains("ipsec_agent_config_loads_total{kind=\"full\"} 1.0")
              .contains("ipsec_agent_vici_commands_total{command=\"load-conn\"} 1.0")
              .contains("ipsec_agent_charon_up 1.0")
              .contains("ipsec_agent_build_info{java_version=")
              .contains("jvm_memory_used_bytes{")
              .contains("process_cpu_usage ")
              .doesNotContain(SECRET);
          assertThat(nextRekey(metrics, "tun", "net"))
              .as("the CHILD SA's rekey lies ahead")
              .isAfter(Instant.now());
          assertThat(get(a, "/healthz").statusCode()).isEqualTo(200);
          assertThat(get(a, "/readyz").statusCode()).isEqualTo(200);
          assertThat(get(a, "/v1/state").body()).doesNotContain(SECRET);
          assertThat(
                  http.send(
                          HttpRequest.newBuilder(uri(a, "/v1/state"))
                              .POST(HttpRequest.BodyPublishers.noBody())
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .statusCode())
              .isEqualTo(405);
          assertThat(get(a, "/v1/state?since=x").statusCode()).isEqualTo(400);
        }
      }
    }
  }

  @Test
  void longPollReturnsOnAChangeOrWhenTheWaitIsOver() throws Exception {
    try (SiteToSite site = SiteToSite.create("ag", tmp).start()) {
      Map<String, String> files =
          Map.of(
              "swanctl.conf",
              SiteToSite.swanctlConf(Side.B, "tun", "net", Map.of(), Map.of(), SECRET));
      ProjectedVolumeDir conf = ProjectedVolumeDir.create(tmp.resolve("b-conf"), "b1", files);
      try (AgentRuntime b = startAgent(conf.root(), site.b().viciSocket())) {
        await().atMost(Duration.ofSeconds(20)).until(() -> get(b, "/readyz").statusCode() == 200);
        long revision = state(get(b, "/v1/state")).revision();

        long start = System.nanoTime();
        AgentStateDocument unchanged = state(get(b, "/v1/state?since=" + revision + "&wait=1"));
        assertThat(unchanged.revision()).isEqualTo(revision);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));

        CompletableFuture<HttpResponse<String>> pending =
            http.sendAsync(
                HttpRequest.newBuilder(uri(b, "/v1/state?since=" + revision + "&wait=30")).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(pending).isNotDone();
        conf.update("b2", Map.of());
        AgentStateDocument changed = state(pending.get(10, TimeUnit.SECONDS));
        assertThat(changed.revision()).isGreaterThan(revision);
        assertThat(changed.state().loader().configRevision()).isEqualTo("b2");

        // charon gone: not ready; back: ready again with the configuration loaded anew
        site.b().kill();
        await().atMost(Duration.ofSeconds(15)).until(() -> get(b, "/readyz").statusCode() == 503);
        assertThat(get(b, "/healthz").statusCode())
            .as("the agent's liveness is its own: restarting it would not bring charon back")
            .isEqualTo(200);
        site.b().start();
        await().atMost(Duration.ofSeconds(20)).until(() -> get(b, "/readyz").statusCode() == 200);
        assertThat(state(get(b, "/v1/state")).state().charon().restarts()).isEqualTo(1);
      }
    }
  }

  /**
   * charon treats NO_PROPOSAL_CHOSEN from a responder without configuration as final, even with
   * {@code keyingtries = 0}: when the initiating gateway starts first, only the agent's {@link
   * InitiatorKeeper} brings the tunnel up once the responder has loaded its side.
   */
  @Test
  void anInitiatorRefusedByAnUnconfiguredResponderTriesAgainOnceTheResponderIsLoaded()
      throws Exception {
    try (SiteToSite site = SiteToSite.create("ag", tmp).start()) {
      ProjectedVolumeDir confA = startingInitiatorVolume();
      ProjectedVolumeDir confB = responderVolume();

      try (AgentRuntime a = startAgent(confA.root(), site.a().viciSocket())) {
        AgentStateDocument refused =
            awaitState(
                a,
                s ->
                    tun(s) != null
                        && tun(s).lastFailure() != null
                        && tun(s).lastFailure().reason() == FailureReason.NO_PROPOSAL_CHOSEN);
        assertThat(tun(refused).ikeSa())
            .satisfiesAnyOf(
                ike -> assertThat(ike).isNull(),
                ike -> assertThat(ike.state()).isNotEqualTo("ESTABLISHED"));

        long loaded = System.nanoTime();
        try (AgentRuntime b = startAgent(confB.root(), site.b().viciSocket())) {
          awaitState(a, AgentTunnelCharonTest::tunnelUp);
          System.out.printf(
              "initiator re-initiated and established %d ms after the responder's agent started%n",
              Duration.ofNanos(System.nanoTime() - loaded).toMillis());
          ExecResult ping = site.pingBFromA(2);
          assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
        }
      }
    }
  }

  /**
   * The retry is the keeper's own, at its due time, not the next probe's: with a probe interval of
   * a minute, an initiator refused by an unconfigured responder still comes up within seconds of
   * the responder's load (issue 17: a new gateway's start had to wait for the next 2 s probe).
   */
  @Test
  void theInitiatorsRetryIsDueSoonAndDoesNotWaitForTheNextProbe() throws Exception {
    try (SiteToSite site = SiteToSite.create("ah", tmp).start()) {
      ProjectedVolumeDir confA = startingInitiatorVolume();
      ProjectedVolumeDir confB = responderVolume();
      Duration probeInterval = Duration.ofMinutes(1);
      try (AgentRuntime a = startAgent(confA.root(), site.a().viciSocket(), probeInterval)) {
        awaitState(
            a,
            s ->
                tun(s) != null
                    && tun(s).lastFailure() != null
                    && tun(s).lastFailure().reason() == FailureReason.NO_PROPOSAL_CHOSEN);
        long loaded = System.nanoTime();
        try (AgentRuntime b = startAgent(confB.root(), site.b().viciSocket())) {
          // 30 s at most, half the probe interval: only a retry of the keeper's own brings it up
          awaitState(a, AgentTunnelCharonTest::tunnelUp);
          System.out.printf(
              "with a %d s probe interval the initiator was up %d ms after the responder's agent"
                  + " started%n",
              probeInterval.toSeconds(), Duration.ofNanos(System.nanoTime() - loaded).toMillis());
        }
      }
    }
  }

  private static AgentRuntime startAgent(Path configDir, Path socket) throws Exception {
    return startAgent(configDir, socket, Duration.ofMillis(300));
  }

  private static AgentRuntime startAgent(Path configDir, Path socket, Duration probeInterval)
      throws Exception {
    AgentSettings settings =
        AgentSettings.defaults(configDir)
            .withDebounce(Duration.ofMillis(50))
            .withProbeInterval(probeInterval);
    return AgentRuntime.start(settings, socket, AgentEndpoints.loopback(), Duration.ofSeconds(1));
  }

  /** Connection {@code tun} as the agent reports it, null when it reports none. */
  private static ConnectionState tun(AgentStateDocument document) {
    return document.state().sas().connections().get("tun");
  }

  private static boolean tunnelUp(AgentStateDocument document) {
    ConnectionState tun = tun(document);
    return tun != null
        && tun.ikeSa() != null
        && "ESTABLISHED".equals(tun.ikeSa().state())
        && tun.children().containsKey("net")
        && "INSTALLED".equals(tun.children().get("net").state());
  }

  /** The answer read as the operator reads it. */
  private static AgentStateDocument state(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).isEqualTo(200);
    return AgentStateJson.read(response.body().getBytes(StandardCharsets.UTF_8));
  }

  /** Long-polls {@code /v1/state} until {@code condition} holds (at most 30 s). */
  private AgentStateDocument awaitState(AgentRuntime agent, Predicate<AgentStateDocument> condition)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    AgentStateDocument state = state(get(agent, "/v1/state"));
    while (!condition.test(state) && System.nanoTime() < deadline) {
      state = state(get(agent, "/v1/state?since=" + state.revision() + "&wait=2"));
    }
    assertThat(condition.test(state)).as("state never matched: %s", state).isTrue();
    return state;
  }

  /** The state API for {@code /v1/state}, the plain port for probes and metrics. */
  private static URI uri(AgentRuntime agent, String path) {
    InetSocketAddress address =
        path.startsWith("/v1/") ? agent.stateAddress() : agent.probeAddress();
    return URI.create("http://127.0.0.1:" + address.getPort() + path);
  }

  private HttpResponse<String> get(AgentRuntime agent, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(agent, path)).timeout(Duration.ofSeconds(40)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The child's {@code ipsec_agent_child_sa_next_rekey_timestamp_seconds} sample. */
  private static Instant nextRekey(String metrics, String connection, String child) {
    Matcher sample =
        Pattern.compile(
                "(?m)^ipsec_agent_child_sa_next_rekey_timestamp_seconds\\{child=\""
                    + child
                    + "\",connection=\""
                    + connection
                    + "\"} (\\S+)$")
            .matcher(metrics);
    assertThat(sample.find()).as(metrics).isTrue();
    return Instant.ofEpochSecond((long) Double.parseDouble(sample.group(1)));
  }

  /** Side A, starting its CHILD SA at once with {@code keyingtries = 0}. */
  private ProjectedVolumeDir startingInitiatorVolume() throws Exception {
    return ProjectedVolumeDir.create(
        tmp.resolve("a-conf"),
        "a1",
        Map.of(
            "swanctl.conf",
            SiteToSite.swanctlConf(
                Side.A,
                "tun",
                "net",
                Map.of("keyingtries", "0"),
                Map.of("start_action", "start"),
                SECRET)));
  }

  /** Side B, the responder. */
  private ProjectedVolumeDir responderVolume() throws Exception {
    return ProjectedVolumeDir.create(
        tmp.resolve("b-conf"),
        "b1",
        Map.of(
            "swanctl.conf",
            SiteToSite.swanctlConf(Side.B, "tun", "net", Map.of(), Map.of(), SECRET)));
  }
}
