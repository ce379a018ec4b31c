package dev.ipsec.operator.e2e;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.TrafficSelector;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.e2e.E2eCluster.Site;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A second PSK peer pair between the two gateways of {@code examples/site-to-site}, made from the
 * example's pair (IpsecPeer {@code site-b} on gateway site-a, {@code site-a} on gateway site-b):
 * other names, identities {@code second-*}, the upper halves of the sites' prefixes (so the two
 * pairs' selectors do not overlap) and a PSK Secret of its own on each side. With it a scenario can
 * show what happens to one peer while another peer shares its gateways.
 */
final class SecondPeerPair {

  /** The example's pair, the templates. */
  static final String FIRST_ON_A = "site-b";

  static final String FIRST_ON_B = "site-a";

  /** The second pair: the initiator on gateway site-a, the responder on gateway site-b. */
  static final String ON_A = "site-b-second";

  static final String ON_B = "site-a-second";

  private static final String PREFIX_A = "198.51.100.64/26";
  private static final String PREFIX_B = "198.51.100.192/26";

  /** The example's two gateways, with an address in each pair's local prefix. */
  static final Site SITE_A =
      new Site("site-a", "203.0.113.10", "198.51.100.1", List.of("198.51.100.65"));

  static final Site SITE_B =
      new Site("site-b", "203.0.113.20", "198.51.100.129", List.of("198.51.100.193"));

  private SecondPeerPair() {}

  /**
   * Creates the responder side with {@code pskOnB}, waits until gateway site-b has loaded it (so
   * that the initiator's IKE_AUTH finds its peer config there and only the key can fail it), then
   * the initiator side with {@code pskOnA}. Returns {@link System#nanoTime()} at the initiator's
   * creation, where the pair's establishment starts.
   */
  static long create(E2eCluster cluster, String pskOnA, String pskOnB, Duration timeout) {
    cluster.create(
        List.of(
            pskSecret(secretOf(ON_B), pskOnB),
            copyOf(cluster, FIRST_ON_B, ON_B, PREFIX_B, PREFIX_A)));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!loaded(cluster, "site-b", ON_B)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(ON_B + " not loaded on gateway site-b within " + timeout);
      }
      sleep(Duration.ofMillis(100));
    }
    long created = System.nanoTime();
    cluster.create(
        List.of(
            pskSecret(secretOf(ON_A), pskOnA),
            copyOf(cluster, FIRST_ON_A, ON_A, PREFIX_A, PREFIX_B)));
    return created;
  }

  /** Whether the gateway's charon has the connection; false while its pod is being replaced. */
  static boolean loaded(E2eCluster cluster, String gateway, String connection) {
    try {
      return cluster.loadedConnections(gateway).contains(connection);
    } catch (IllegalStateException podOrCharonNotThere) {
      return false;
    }
  }

  /** The Secret holding a second-pair peer's PSK, under key {@code psk}. */
  static String secretOf(String peer) {
    return peer + "-psk";
  }

  static Map<String, String> pskData(String psk) {
    return Map.of("psk", Base64.getEncoder().encodeToString(psk.getBytes(StandardCharsets.UTF_8)));
  }

  private static IpsecPeer copyOf(
      E2eCluster cluster, String template, String name, String local, String remote) {
    IpsecPeer peer = new IpsecPeer();
    peer.getMetadata().setName(name);
    peer.setSpec(
        cluster.client().getKubernetesSerialization().clone(cluster.peer(template).getSpec()));
    PeerAuthentication auth = peer.getSpec().getAuthentication();
    auth.setLocalId("second-" + auth.getLocalId());
    auth.setRemoteId("second-" + auth.getRemoteId());
    auth.getPreSharedSecret().getSecretRef().setName(secretOf(name));
    Tunnel tunnel = peer.getSpec().getTunnels().get(0);
    tunnel.setLocal(selector(local));
    tunnel.setRemote(selector(remote));
    return peer;
  }

  private static TrafficSelector selector(String prefix) {
    TrafficSelector selector = new TrafficSelector();
    selector.setPrefixes(new ArrayList<>(List.of(prefix)));
    return selector;
  }

  private static Secret pskSecret(String name, String psk) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withType("Opaque")
        .withData(pskData(psk))
        .build();
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
