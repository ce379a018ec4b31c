package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A remembering renderer renders again exactly the peers whose inputs changed, and its output is
 * always the plain renderer's for the same input.
 */
class PeerRenderingsTest {

  private final Fixtures.Scenario scenario = Fixtures.Scenario.base();
  private final Map<String, String> secretVersions = new HashMap<>();
  private final AtomicInteger secretReads = new AtomicInteger();
  private final GatewayRenderer remembering =
      GatewayRenderer.remembering(RenderOptions.defaults(), GatewayCheck.NONE);

  @BeforeEach
  void versions() {
    scenario.gateway.getMetadata().setName("gw");
    scenario.gateway.getMetadata().setNamespace("vpn");
    versioned(scenario.peer(), "uid-p1", 1L);
    scenario.peers.add(
        versioned(
            Fixtures.peer(
                "p2",
                Fixtures.peerSpec("192.0.2.1", "198.51.100.2", "192.0.2.0/24", "203.0.113.0/25")),
            "uid-p2",
            1L));
    scenario.ikeGroup().getMetadata().setUid("uid-ike");
    scenario.ikeGroup().getMetadata().setResourceVersion("1");
    scenario.espGroup().getMetadata().setUid("uid-esp");
    scenario.espGroup().getMetadata().setResourceVersion("1");
    secretVersions.put("Secret/psk", "uid-psk@1");
  }

  @Test
  void anUnchangedPeerIsNotRenderedAgainAndTheOutputIsThePlainRenderers() {
    RenderedGateway first = remembering.render(input());
    int readsOfFirst = secretReads.get();

    RenderedGateway again = remembering.render(input());

    assertThat(readsOfFirst).isPositive();
    assertThat(secretReads).hasValue(readsOfFirst); // no Secret read: both peers were kept
    assertSameFiles(again, first);
    assertSameFiles(again, new GatewayRenderer().render(input()));
  }

  @Test
  void aSecretEditRendersThePeersThatReadItAgain() {
    RenderedGateway before = remembering.render(input());
    scenario.secrets.put("psk", Map.of("key", "a new key".getBytes(StandardCharsets.UTF_8)));
    secretVersions.put("Secret/psk", "uid-psk@2");

    RenderedGateway after = remembering.render(input());

    assertThat(after.secretFiles().get("secrets.d/p1.conf"))
        .isNotEqualTo(before.secretFiles().get("secrets.d/p1.conf"));
    assertSameFiles(after, new GatewayRenderer().render(input()));
  }

  @Test
  void aNewGenerationOrAGroupEditRendersAgainAndAGonePeerIsForgotten() {
    remembering.render(input());
    IpsecPeer edited =
        versioned(
            Fixtures.peer(
                "p1",
                Fixtures.peerSpec("192.0.2.1", "198.51.100.9", "192.0.2.0/24", "203.0.113.0/24")),
            "uid-p1",
            2L);
    scenario.peers.set(0, edited);

    RenderedGateway afterEdit = remembering.render(input());

    assertThat(afterEdit.configFiles().get("conf.d/p1.conf")).contains("198.51.100.9");
    assertSameFiles(afterEdit, new GatewayRenderer().render(input()));

    scenario.ikeGroup().getSpec().getProposals().get(0).setDhGroup(19);
    scenario.ikeGroup().getMetadata().setResourceVersion("2");
    RenderedGateway afterGroup = remembering.render(input());
    assertThat(afterGroup.configFiles().get("conf.d/p2.conf")).contains("ecp256");
    assertSameFiles(afterGroup, new GatewayRenderer().render(input()));

    scenario.peers.remove(1);
    remembering.render(input());
    assertThat(remembering.remembered("vpn/gw")).isEqualTo(1);
    remembering.forget("vpn", "gw");
    assertThat(remembering.remembered("vpn/gw")).isZero();
  }

  @Test
  void withoutVersionsNothingIsKept() {
    GatewayInput unversioned = scenario.input(); // ReferencedData.of: versions unknown

    remembering.render(unversioned);

    assertThat(remembering.remembered("vpn/gw")).isZero();
  }

  private static void assertSameFiles(RenderedGateway actual, RenderedGateway expected) {
    assertThat(actual.configFiles()).isEqualTo(expected.configFiles());
    assertThat(actual.secretFiles().keySet()).isEqualTo(expected.secretFiles().keySet());
    actual.secretFiles().forEach((k, v) -> assertThat(v).isEqualTo(expected.secretFiles().get(k)));
    assertThat(actual.connections()).isEqualTo(expected.connections());
    assertThat(actual.peerErrors()).isEqualTo(expected.peerErrors());
  }

  /** The scenario's input, its Secrets with versions and every read of one counted. */
  private GatewayInput input() {
    ReferencedData data = ReferencedData.of(scenario.secrets, scenario.configMaps);
    ReferencedData versioned =
        new ReferencedData() {
          @Override
          public Optional<byte[]> secret(String name, String key) {
            secretReads.incrementAndGet();
            return data.secret(name, key);
          }

          @Override
          public Optional<String> configMap(String name, String key) {
            return data.configMap(name, key);
          }

          @Override
          public String version(String kindAndName) {
            return secretVersions.getOrDefault(kindAndName, MISSING);
          }
        };
    return new GatewayInput(
        scenario.gateway, scenario.peers, scenario.ike, scenario.esp, versioned);
  }

  private static IpsecPeer versioned(IpsecPeer peer, String uid, long generation) {
    peer.getMetadata().setUid(uid);
    peer.getMetadata().setGeneration(generation);
    return peer;
  }
}
