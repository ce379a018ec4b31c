package dev.ipsec.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.CaCertificateRef;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.RsaAuthentication;
import dev.ipsec.operator.api.v1alpha1.X509Authentication;
import dev.ipsec.operator.demo.PeerTable;
import dev.ipsec.operator.e2e.E2eCluster.CommandResult;
import dev.ipsec.operator.e2e.E2eCluster.Site;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.testing.TestPki.CertificateAuthority;
import dev.ipsec.operator.testing.TestPki.IssuedCertificate;
import dev.ipsec.operator.testing.TestPki.RsaKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 2 of issue 6: the x509 and the RSA examples, with their documentation material replaced
 * by keys and certificates made at test time, bring up a real tunnel between two gateways, and
 * traffic between the sites' prefixes goes through it. Only the key material is replaced, so what
 * is proven is the examples' wiring as a user would apply it.
 */
class X509AndRsaE2eTest {

  private static final Path EXAMPLES =
      Path.of(System.getProperty("project.root", ".."), "examples");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final String INNER_A = "198.51.100.1";
  private static final String INNER_B = "198.51.100.129";

  /** The x509 example's two gateways. */
  @Nested
  class X509 {
    @RegisterExtension
    final E2eCluster cluster =
        E2eCluster.forEachTest(
            "e2e-x509",
            List.of(
                new Site("x509-site-a", "203.0.113.10", INNER_A),
                new Site("x509-site-b", "203.0.113.20", INNER_B)));

    @Test
    void peersWithCertificatesFromATestCaBecomeReadyAndPingCrossesTheTunnel() {
      List<HasMetadata> resources = cluster.load(EXAMPLES.resolve("x509/x509-site-to-site.yaml"));
      CertificateAuthority ca = new CertificateAuthority("e2e VPN CA");
      withTestCertificates(resources, ca);

      long created = System.nanoTime();
      cluster.create(resources);
      IpsecPeer onSiteA = cluster.awaitPeer("x509-to-site-b", PeerTable::isUp, READY_TIMEOUT);
      IpsecPeer onSiteB = cluster.awaitPeer("x509-to-site-a", PeerTable::isUp, READY_TIMEOUT);
      System.out.printf(
          "e2e x509 site-to-site: create -> both peers Ready %d ms%n",
          Duration.ofNanos(System.nanoTime() - created).toMillis());

      assertThat(onSiteA.getStatus().getIkeSa().getRemoteId()).isEqualTo("site-b.example.org");
      assertThat(caConfigMaps(resources))
          .as("the CA ConfigMaps, created without the label, as the operator left them")
          .isNotEmpty()
          .allSatisfy(
              name ->
                  assertThat(
                          cluster
                              .client()
                              .configMaps()
                              .inNamespace(cluster.namespace())
                              .withName(name)
                              .get()
                              .getMetadata()
                              .getLabels())
                      .containsEntry(Labels.REFERENCED, Labels.REFERENCED_VALUE));
      assertThat(onSiteB.getStatus().getIkeSa().getRemoteId()).isEqualTo("site-a.example.org");
      // the gateways trust the CA made here, not the example's
      CommandResult certs = cluster.swanctl("x509-site-a", "--list-certs");
      assertThat(certs.output()).contains("CN=e2e VPN CA").contains("CN=site-a.example.org");
      assertPingCrossesTheTunnel(cluster, "x509-site-a", "x509-site-b");
    }
  }

  /** The RSA example's two gateways. */
  @Nested
  class Rsa {
    @RegisterExtension
    final E2eCluster cluster =
        E2eCluster.forEachTest(
            "e2e-rsa",
            List.of(
                new Site("rsa-site-a", "203.0.113.10", INNER_A),
                new Site("rsa-site-b", "203.0.113.20", INNER_B)));

    @Test
    void peersWithKeysMadeAtTestTimeBecomeReadyAndPingCrossesTheTunnel() {
      List<HasMetadata> resources = cluster.load(EXAMPLES.resolve("rsa/rsa-site-to-site.yaml"));
      withTestRsaKeys(resources);

      long created = System.nanoTime();
      cluster.create(resources);
      IpsecPeer onSiteA = cluster.awaitPeer("rsa-to-site-b", PeerTable::isUp, READY_TIMEOUT);
      IpsecPeer onSiteB = cluster.awaitPeer("rsa-to-site-a", PeerTable::isUp, READY_TIMEOUT);
      System.out.printf(
          "e2e rsa site-to-site: create -> both peers Ready %d ms%n",
          Duration.ofNanos(System.nanoTime() - created).toMillis());

      assertThat(onSiteA.getStatus().getIkeSa().getRemoteId()).isEqualTo("rsa-site-b.example.org");
      assertThat(onSiteB.getStatus().getIkeSa().getRemoteId()).isEqualTo("rsa-site-a.example.org");
      assertPingCrossesTheTunnel(cluster, "rsa-site-a", "rsa-site-b");
    }
  }

  private static List<String> caConfigMaps(List<HasMetadata> resources) {
    return peers(resources).stream()
        .flatMap(p -> p.getSpec().getAuthentication().getX509().getCaCertificates().stream())
        .map(ref -> ref.getConfigMapRef().getName())
        .distinct()
        .toList();
  }

  /**
   * Gives every x509 peer a certificate for its {@code localId} from {@code ca}, in the
   * kubernetes.io/tls Secret it names, and puts {@code ca} into every CA reference.
   */
  private static void withTestCertificates(List<HasMetadata> resources, CertificateAuthority ca) {
    Map<String, IssuedCertificate> certificateBySecret = new HashMap<>();
    Map<String, String> caKeyByConfigMap = new HashMap<>();
    for (IpsecPeer peer : peers(resources)) {
      X509Authentication x509 = peer.getSpec().getAuthentication().getX509();
      certificateBySecret.put(
          x509.getCertificate().getName(),
          ca.issue(peer.getSpec().getAuthentication().getLocalId()));
      for (CaCertificateRef ref : x509.getCaCertificates()) {
        caKeyByConfigMap.put(ref.getConfigMapRef().getName(), ref.getConfigMapRef().getKey());
      }
    }
    int replaced = 0;
    for (HasMetadata item : resources) {
      String name = item.getMetadata().getName();
      if (item instanceof Secret secret && certificateBySecret.containsKey(name)) {
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        IssuedCertificate issued = certificateBySecret.get(name);
        secret.setData(
            Map.of(
                "tls.crt",
                base64(issued.certificatePem()),
                "tls.key",
                base64(issued.privateKeyPem())));
        replaced++;
      } else if (item instanceof ConfigMap configMap && caKeyByConfigMap.containsKey(name)) {
        configMap.setData(Map.of(caKeyByConfigMap.get(name), ca.certificatePem()));
        // as from a user who never heard of the label: the operator finds the ConfigMap with a
        // GET and labels it, so that its changes are watched from then on
        if (configMap.getMetadata().getLabels() != null) {
          configMap.getMetadata().getLabels().remove(Labels.REFERENCED);
        }
        replaced++;
      }
    }
    assertThat(replaced)
        .as("TLS Secrets and CA ConfigMaps found in the example")
        .isEqualTo(certificateBySecret.size() + caKeyByConfigMap.size());
  }

  /**
   * Gives every RSA identity a new key pair: the private key goes into the Secret its peer names,
   * the public key into {@code remotePublicKey} of the peer that names it as {@code remoteId}.
   */
  private static void withTestRsaKeys(List<HasMetadata> resources) {
    Map<String, RsaKey> keyById = new HashMap<>();
    Map<String, String> privateKeyBySecret = new HashMap<>();
    List<IpsecPeer> peers = peers(resources);
    for (IpsecPeer peer : peers) {
      String localId = peer.getSpec().getAuthentication().getLocalId();
      RsaKey key = keyById.computeIfAbsent(localId, id -> RsaKey.generate());
      RsaAuthentication rsa = peer.getSpec().getAuthentication().getRsa();
      privateKeyBySecret.put(
          rsa.getLocalKey().getName() + "/" + rsa.getLocalKey().getKey(), key.privateKeyPem());
    }
    for (IpsecPeer peer : peers) {
      String remoteId = peer.getSpec().getAuthentication().getRemoteId();
      assertThat(keyById)
          .as("a peer in the example with localId %s", remoteId)
          .containsKey(remoteId);
      peer.getSpec()
          .getAuthentication()
          .getRsa()
          .setRemotePublicKey(keyById.get(remoteId).publicKeyPem());
    }
    int replaced = 0;
    for (HasMetadata item : resources) {
      if (item instanceof Secret secret) {
        for (String key : List.copyOf(secret.getData().keySet())) {
          String pem = privateKeyBySecret.get(item.getMetadata().getName() + "/" + key);
          if (pem != null) {
            secret.getData().put(key, base64(pem));
            replaced++;
          }
        }
      }
    }
    assertThat(replaced).as("private key Secrets found in the example").isEqualTo(peers.size());
  }

  private static List<IpsecPeer> peers(List<HasMetadata> resources) {
    List<IpsecPeer> peers =
        resources.stream().filter(IpsecPeer.class::isInstance).map(IpsecPeer.class::cast).toList();
    assertThat(peers).as("IpsecPeers in the example").isNotEmpty();
    return peers;
  }

  private static void assertPingCrossesTheTunnel(E2eCluster cluster, String from, String to) {
    long packetsBefore = cluster.childSaPacketsIn(to);
    CommandResult ping = cluster.ping(from, INNER_A, INNER_B);
    assertThat(ping.exitCode()).as(ping.output()).isZero();
    assertThat(ping.output()).contains("1 received");
    assertThat(cluster.childSaPacketsIn(to))
        .as("packets in on %s's CHILD SA", to)
        .isGreaterThan(packetsBefore);
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }
}
