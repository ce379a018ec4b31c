package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.PreSharedSecret;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Renders 1k, 5k and 10k peers with 2 tunnels each on one thread, after warm-up, and prints the
 * best of several runs. A benchmark, not a test: excluded by default, run with {@code mvn -o -q -pl
 * operator test -Pbenchmark -Dtest=RenderBenchmark}.
 */
@Tag("benchmark")
class RenderBenchmark {

  @Test
  void renderTenThousandPeers() {
    Map<Integer, GatewayInput> inputs = new HashMap<>();
    for (int n : new int[] {1_000, 5_000, 10_000}) {
      inputs.put(n, input(n));
    }
    GatewayRenderer renderer = new GatewayRenderer();
    for (int i = 0; i < 5; i++) {
      renderer.render(inputs.get(10_000)); // warm-up
    }
    for (int n : new int[] {1_000, 5_000, 10_000}) {
      long best = Long.MAX_VALUE;
      RenderedGateway rendered = null;
      for (int run = 0; run < 10; run++) {
        long start = System.nanoTime();
        rendered = renderer.render(inputs.get(n));
        best = Math.min(best, System.nanoTime() - start);
      }
      assertThat(rendered.connections()).hasSize(n);
      assertThat(rendered.peerErrors()).isEmpty();
      long bytes = rendered.configFiles().values().stream().mapToLong(String::length).sum();
      System.out.printf(
          "render %,6d peers x 2 tunnels: %7.1f ms (%.1f us/peer, %,d bytes of config)%n",
          n, best / 1e6, best / 1e3 / n, bytes);
    }
  }

  static GatewayInput input(int peers) {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.peers.clear();
    for (int i = 0; i < peers; i++) {
      s.peers.add(peer(i));
    }
    Map<String, Map<String, byte[]>> secrets = new HashMap<>();
    secrets.put("psk", Map.of("key", "benchmark-secret".getBytes(StandardCharsets.UTF_8)));
    return new GatewayInput(s.gateway, s.peers, s.ike, s.esp, ReferencedData.of(secrets, Map.of()));
  }

  /** Built with setters: parsing 10k YAML documents would dominate the set-up. */
  static IpsecPeer peer(int i) {
    IpsecPeer peer = new IpsecPeer();
    peer.setMetadata(new ObjectMetaBuilder().withName("peer-" + i).build());
    IpsecPeerSpec spec = new IpsecPeerSpec();
    spec.setGateway("gw");
    PeerAuthentication auth = new PeerAuthentication();
    auth.setMode(AuthenticationMode.PRE_SHARED_SECRET);
    auth.setLocalId("gw.example.org");
    auth.setRemoteId("peer-" + i + ".example.org");
    auth.setPreSharedSecret(new PreSharedSecret(new SecretKeyRef("psk", "key")));
    spec.setAuthentication(auth);
    spec.setIkeGroup("ike");
    spec.setDefaultEspGroup("esp");
    spec.setLocalAddress("192.0.2.1");
    spec.setRemoteAddresses(new ArrayList<>(List.of("198.51.100." + (i % 250 + 1))));
    spec.setTunnels(
        new ArrayList<>(
            List.of(
                VyosOptionsTableTest.tunnel(1, "192.0.2.0/25", "203.0.113." + (i % 64) * 4 + "/30"),
                VyosOptionsTableTest.tunnel(
                    2, "192.0.2.128/25", "198.51.100." + (i % 64) * 4 + "/30"))));
    peer.setSpec(spec);
    return peer;
  }
}
