package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ipsec.operator.agent.AgentEndpoints;
import dev.ipsec.operator.agent.AgentRuntime;
import dev.ipsec.operator.agent.AgentSettings;
import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.EspGroupSpec;
import dev.ipsec.operator.api.v1alpha1.IkeGroupSpec;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.status.PeerStatusBuilder;
import dev.ipsec.operator.render.CharonPlugins;
import dev.ipsec.operator.render.CryptoGroups;
import dev.ipsec.operator.render.ProposalAlgorithms;
import dev.ipsec.operator.render.RenderedGateway.RenderedConnection;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.SiteToSite;
import dev.ipsec.operator.testing.SiteToSite.Side;
import dev.ipsec.operator.testing.TestManifests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway whose charon lacks a plugin, as one built from an image without Debian's
 * libstrongswan-standard-plugins lacks openssl: its agent publishes what charon implements ({@code
 * get-algorithms}), and a peer proposing {@code ecp256} (openssl only) shows {@code
 * Established=False} with reason {@code UnsupportedAlgorithm} naming the keyword, where charon
 * itself only answers INVALID_KE_PAYLOAD asking for the very group it cannot compute, until the
 * initiator gives up (for an encryption or integrity algorithm it answers NO_PROPOSAL_CHOSEN).
 */
@RequiresCharon
class UnsupportedAlgorithmCharonTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path tmp;

  @Test
  void aPeerProposingAnAlgorithmItsGatewaysCharonLacksIsNotEstablishedForThatReason()
      throws Exception {
    IkeGroupSpec ike =
        JSON.convertValue(
            Map.of(
                "proposals",
                List.of(Map.of("encryption", "aes256", "hash", "sha256", "dhGroup", 19))),
            IkeGroupSpec.class);
    EspGroupSpec esp =
        JSON.convertValue(
            Map.of(
                "proposals",
                List.of(Map.of("encryption", "aes256", "hash", "sha256")),
                "pfs",
                "disable"),
            EspGroupSpec.class);
    List<ProposalAlgorithms.Needed> needed = new ArrayList<>(ProposalAlgorithms.ike(ike));
    needed.addAll(ProposalAlgorithms.esp(esp, ike));
    RenderedConnection rendered = new RenderedConnection("tun", List.of("net"), needed);
    Map<String, String> proposals = Map.of("proposals", CryptoGroups.ikeProposals(ike));
    Map<String, String> childProposals =
        Map.of("esp_proposals", CryptoGroups.espProposals(esp, ike));

    List<String> withoutOpenssl = new ArrayList<>(CharonPlugins.forGateway(true));
    withoutOpenssl.remove("openssl");
    try (SiteToSite site = SiteToSite.create("ua", tmp)) {
      site.b().plugins(withoutOpenssl);
      site.start();
      Path confB =
          config(
              "b",
              SiteToSite.swanctlConf(Side.B, "tun", "net", proposals, childProposals, "ua-secret"));
      Map<String, String> initiate = new HashMap<>(childProposals);
      initiate.put("start_action", "start");
      Path confA =
          config(
              "a", SiteToSite.swanctlConf(Side.A, "tun", "net", proposals, initiate, "ua-secret"));

      try (AgentRuntime b = startAgent(confB, site.b().viciSocket());
          AgentRuntime a = startAgent(confA, site.a().viciSocket())) {
        // A proposes ecp256; B's charon, unable to compute it, still asks for it
        // (INVALID_KE_PAYLOAD
        // naming the group A sent) until A gives up: nothing in charon's answer says why
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    Files.readString(site.a().logFile())
                        .contains("peer didn't accept DH group ECP_256, it requested ECP_256"));
        AgentReport reportA =
            await()
                .atMost(Duration.ofSeconds(10))
                .until(
                    () -> report(a),
                    r -> !r.charonAlgorithms().isEmpty() && r.connections().containsKey("tun"));
        AgentReport reportB =
            await()
                .atMost(Duration.ofSeconds(10))
                .until(
                    () -> report(b),
                    r -> !r.charonAlgorithms().isEmpty() && r.connections().containsKey("tun"));

        assertThat(reportB.charonAlgorithms().get("dh"))
            .contains("MODP_2048")
            .doesNotContain("ECP_256");
        assertThat(reportA.charonAlgorithms().get("dh")).contains("MODP_2048", "ECP_256");

        IpsecPeerStatus atB = status(reportB, rendered);
        Condition established = condition(atB, PeerStatusBuilder.ESTABLISHED);
        assertThat(established.getStatus()).isEqualTo("False");
        assertThat(established.getReason()).isEqualTo(PeerStatusBuilder.UNSUPPORTED_ALGORITHM);
        assertThat(established.getMessage())
            .isEqualTo("the gateway's charon does not implement IKE proposal 1: ecp256 (ECP_256)");
        assertThat(condition(atB, PeerStatusBuilder.READY).getReason())
            .isEqualTo(PeerStatusBuilder.UNSUPPORTED_ALGORITHM);

        // the gateway that has every plugin is only told that the IKE SA is down
        Condition atA = condition(status(reportA, rendered), PeerStatusBuilder.ESTABLISHED);
        assertThat(atA.getStatus()).isEqualTo("False");
        assertThat(atA.getReason()).isNotEqualTo(PeerStatusBuilder.UNSUPPORTED_ALGORITHM);
      }
    }
  }

  private Path config(String name, String swanctlConf) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name + "-conf"));
    Files.writeString(dir.resolve("swanctl.conf"), swanctlConf);
    TestManifests.write(dir, name + "1");
    return dir;
  }

  private static AgentRuntime startAgent(Path configDir, Path socket) throws Exception {
    AgentSettings settings =
        AgentSettings.defaults(configDir)
            .withDebounce(Duration.ofMillis(50))
            .withProbeInterval(Duration.ofMillis(300));
    return AgentRuntime.start(settings, socket, AgentEndpoints.loopback(), Duration.ofSeconds(1));
  }

  /** The agent's state as the operator reads it. */
  private AgentReport report(AgentRuntime agent) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + agent.stateAddress().getPort() + "/v1/state");
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return AgentReports.read("gw-gateway-0", response.body());
  }

  private static IpsecPeerStatus status(AgentReport report, RenderedConnection rendered) {
    GatewayStateStore store = new GatewayStateStore();
    GatewayStateStore.GatewayId gateway = new GatewayStateStore.GatewayId("vpn", "gw");
    store.put(gateway, report);
    Optional<PeerObservation> observation = store.observe(gateway, "tun");
    return PeerStatusBuilder.build(
        null, 1L, List.of(), false, rendered, observation, Clock.systemUTC());
  }

  private static Condition condition(IpsecPeerStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
