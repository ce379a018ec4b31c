package dev.ipsec.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipsec.operator.api.v1alpha1.CaCertificateRef;
import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IkeMode;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.api.v1alpha1.X509Authentication;
import dev.ipsec.operator.demo.PeerTable;
import dev.ipsec.operator.e2e.E2eCluster.CommandResult;
import dev.ipsec.operator.e2e.E2eCluster.IkeSa;
import dev.ipsec.operator.e2e.E2eCluster.Site;
import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.manifest.ConfigManifestJson;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.testing.TestPki.CertificateAuthority;
import dev.ipsec.operator.testing.TestPki.IssuedCertificate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An invalid edit never takes a working tunnel down, with real charon on both sides: the x509
 * example with both peers up gets, one after the other, a duplicate tunnel id, a missing IkeGroup,
 * a missing Secret, a certificate Secret whose key belongs to another certificate, and an invalid
 * edit of the IkeGroup both peers use. After each, the IKE and CHILD SAs keep their unique ids,
 * pings cross the tunnel, and the peer says Valid False with runningGeneration behind its
 * generation; the fix is applied. A restart of the operator while a peer is invalid changes nothing
 * in charon and writes nothing. Every edit is a full update of the resource.
 */
class LastKnownGoodE2eTest {

  private static final Path EXAMPLE =
      Path.of(
          System.getProperty("project.root", ".."), "examples", "x509", "x509-site-to-site.yaml");
  private static final String INNER_A = "198.51.100.1";
  private static final String INNER_B = "198.51.100.129";
  private static final String SITE_A = "x509-site-a";
  private static final String SITE_B = "x509-site-b";

  /** The peer on site A (the initiator) that is edited; site B's peer is {@link #PEER_ON_B}. */
  private static final String PEER = "x509-to-site-b";

  private static final String PEER_ON_B = "x509-to-site-a";
  private static final String IKE_GROUP = "ike-ecp256";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  final E2eCluster cluster =
      E2eCluster.forEachTest(
          "e2e-lkg",
          List.of(
              new Site(SITE_A, "203.0.113.10", INNER_A),
              new Site(SITE_B, "203.0.113.20", INNER_B)));

  private final CertificateAuthority ca = new CertificateAuthority("e2e last-known-good CA");

  @Test
  void invalidEditsLeaveTheTunnelUpAndTheirFixesApply() throws InterruptedException {
    cluster.create(withTestCertificates(cluster.load(EXAMPLE)));
    awaitRunningItsGeneration(PEER);
    awaitRunningItsGeneration(PEER_ON_B);
    Sas sas = sas();
    assertPingCrossesTheTunnel();

    // the embedded API server admits as a real one does: tunnels are a list-map keyed on id, so a
    // duplicate tunnel id is refused before it reaches the operator, and the tunnel is untouched
    // (the operator's own
    // refusal, for a spec that got past admission, is LastKnownGoodTest's)
    IpsecPeer duplicate = cluster.peer(PEER);
    duplicate.getSpec().getTunnels().add(copyOf(duplicate.getSpec().getTunnels().get(0)));
    assertThatThrownBy(() -> update(duplicate))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("Duplicate value: map[string]interface {}{\"id\":");
    assertPingCrossesTheTunnel();
    refusedThenFixed(
        "a missing IkeGroup",
        spec -> spec.setIkeGroup("ike-missing"),
        "IkeGroup \"ike-missing\" not found",
        sas);
    refusedThenFixed(
        "a missing Secret",
        spec -> x509(spec).getCertificate().setName("site-a-tls-missing"),
        "Secret \"site-a-tls-missing\" with key tls.crt not found",
        sas);
    // a rotation gone wrong: the new Secret pairs site A's certificate with another key
    IssuedCertificate other = ca.issue("other.example.org");
    cluster.create(
        List.of(
            tlsSecret("site-a-tls-rotated", certificateOf("site-a-tls"), other.privateKeyPem())));
    refusedThenFixed(
        "a key that does not belong to its certificate",
        spec -> x509(spec).getCertificate().setName("site-a-tls-rotated"),
        "does not belong to the certificate",
        sas);

    invalidGroupEditThenFixed(sas);
    restartWhileInvalidChangesNothing(sas);
  }

  /** One invalid edit of the peer on site A, what must hold while it stands, and its fix. */
  private void refusedThenFixed(
      String what, Consumer<IpsecPeerSpec> edit, String message, Sas sas) {
    IpsecPeer before = cluster.peer(PEER);
    long running = before.getStatus().getRunningGeneration();
    IpsecPeer edited = cluster.peer(PEER);
    edit.accept(edited.getSpec());
    long generation = update(edited);

    long refused = System.nanoTime();
    cluster.awaitPeer(
        PEER,
        p ->
            isFalse(p, "Valid")
                && valid(p).getMessage().contains(message)
                && Objects.equals(p.getStatus().getObservedGeneration(), generation)
                && Objects.equals(p.getStatus().getRunningGeneration(), running),
        TIMEOUT);
    awaitSettled(SITE_A);
    assertThat(sas()).as("SAs after %s", what).isEqualTo(sas);
    assertPingCrossesTheTunnel();
    IpsecPeer shown = cluster.peer(PEER);
    assertThat(shown.getStatus().getRunningGeneration())
        .as("runningGeneration while %s stands", what)
        .isLessThan(shown.getMetadata().getGeneration());
    assertThat(PeerTable.isUp(shown)).as("Ready from the SAs that run").isTrue();

    // the fix: the spec as it was, as a new generation; the files are the same, charon too
    IpsecPeer fixed = cluster.peer(PEER);
    fixed.setSpec(before.getSpec());
    long fixedGeneration = update(fixed);
    awaitRunningItsGeneration(PEER);
    assertThat(cluster.peer(PEER).getStatus().getRunningGeneration()).isEqualTo(fixedGeneration);
    awaitSettled(SITE_A);
    assertThat(sas()).as("SAs after fixing %s", what).isEqualTo(sas);
    System.out.printf(
        "e2e last known good: %s refused and fixed in %d ms, tunnel up throughout%n",
        what, Duration.ofNanos(System.nanoTime() - refused).toMillis());
  }

  /** The IkeGroup both peers use becomes invalid: both keep their proposals, and the tunnel. */
  private void invalidGroupEditThenFixed(Sas sas) {
    // aggressive mode with IKEv2 breaks the CRD's CEL rule: the embedded API server refuses it at
    // admission as a real one does, so it never reaches the operator, and both peers' tunnel is
    // untouched (the operator's own handling of an invalid group that got past admission is
    // LastKnownGoodTest's)
    IkeGroup group = ikeGroup();
    group.getSpec().setMode(IkeMode.AGGRESSIVE);
    IkeGroup invalid = group;
    assertThatThrownBy(() -> cluster.client().resource(invalid).update())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("aggressive mode requires keyExchange ikev1");
    awaitSettled(SITE_A);
    awaitSettled(SITE_B);
    assertThat(sas()).as("SAs after the refused IkeGroup edit").isEqualTo(sas);
    assertPingCrossesTheTunnel();
  }

  /**
   * A new operator finds the kept configuration in the volume: nothing in charon changes (the same
   * IKE SA, established at the same time) and no object of either gateway is written.
   */
  private void restartWhileInvalidChangesNothing(Sas sas) throws InterruptedException {
    IpsecPeer before = cluster.peer(PEER);
    IpsecPeer edited = cluster.peer(PEER);
    edited.getSpec().setIkeGroup("ike-missing");
    long generation = update(edited);
    cluster.awaitPeer(
        PEER,
        p ->
            isFalse(p, "Valid")
                && Objects.equals(p.getStatus().getObservedGeneration(), generation),
        TIMEOUT);
    awaitSettled(SITE_A);
    Map<String, String> objects = ownedVersions();
    IpsecPeer invalid = cluster.peer(PEER);
    String established = invalid.getStatus().getIkeSa().getEstablishedAt();

    cluster.restartOperator();
    // the new operator reconciles every resource once, and follows the agents again
    Thread.sleep(10_000);
    awaitSettled(SITE_A);

    assertThat(sas()).as("SAs after the restart").isEqualTo(sas);
    assertThat(ownedVersions()).as("the gateways' objects after the restart").isEqualTo(objects);
    IpsecPeer after = cluster.peer(PEER);
    assertThat(after.getStatus().getIkeSa().getEstablishedAt()).isEqualTo(established);
    assertThat(valid(after)).isEqualTo(valid(invalid));
    assertThat(after.getStatus().getRunningGeneration())
        .isEqualTo(invalid.getStatus().getRunningGeneration());
    assertPingCrossesTheTunnel();

    IpsecPeer fixed = cluster.peer(PEER);
    fixed.setSpec(before.getSpec());
    update(fixed);
    awaitRunningItsGeneration(PEER);
  }

  /** Waits until the peer is up, valid, and runs its own generation. */
  private void awaitRunningItsGeneration(String peer) {
    cluster.awaitPeer(
        peer,
        p ->
            PeerTable.isUp(p)
                && isTrue(p, "Valid")
                && Objects.equals(
                    p.getStatus().getRunningGeneration(), p.getMetadata().getGeneration()),
        TIMEOUT);
  }

  /**
   * Waits until the gateway's agent reports the revision the operator last wrote loaded, and a
   * little longer: had the operator removed a connection, charon would have lost it by then.
   */
  private void awaitSettled(String gateway) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      ConfigMap root =
          cluster
              .client()
              .configMaps()
              .inNamespace(cluster.namespace())
              .withName(gateway + "-swanctl")
              .get();
      String written =
          ConfigManifestJson.read(root.getData().get(ConfigManifest.PUBLIC_FILE)).revision();
      IpsecGlobal global =
          cluster
              .client()
              .resources(IpsecGlobal.class)
              .inNamespace(cluster.namespace())
              .withName(gateway)
              .get();
      if (global.getStatus() != null
          && global.getStatus().getPods() != null
          && global.getStatus().getPods().stream()
              .anyMatch(p -> written.equals(p.getConfigRevision()))) {
        sleep(Duration.ofSeconds(2));
        return;
      }
      sleep(Duration.ofMillis(200));
    }
    throw new AssertionError("the agent of " + gateway + " did not load the written revision");
  }

  /** The SAs of the tunnel, on both sides: unique ids of the IKE SA and its CHILD SAs. */
  record Sas(IkeSa onA, IkeSa onB) {}

  private Sas sas() {
    return new Sas(
        PeerStatuses.establishedSa(cluster, SITE_A, PEER),
        PeerStatuses.establishedSa(cluster, SITE_B, PEER_ON_B));
  }

  private void assertPingCrossesTheTunnel() {
    long packetsBefore = cluster.childSaPacketsIn(SITE_B);
    CommandResult ping = cluster.ping(SITE_A, INNER_A, INNER_B);
    assertThat(ping.exitCode()).as(ping.output()).isZero();
    assertThat(cluster.childSaPacketsIn(SITE_B)).isGreaterThan(packetsBefore);
  }

  /** Resource versions of every ConfigMap and Secret the operator wrote for the two gateways. */
  private Map<String, String> ownedVersions() {
    Map<String, String> versions = new TreeMap<>();
    Stream.concat(
            cluster
                .client()
                .configMaps()
                .inNamespace(cluster.namespace())
                .withLabel(Labels.GATEWAY)
                .list()
                .getItems()
                .stream(),
            cluster
                .client()
                .secrets()
                .inNamespace(cluster.namespace())
                .withLabel(Labels.GATEWAY)
                .list()
                .getItems()
                .stream())
        .forEach(
            r ->
                versions.put(
                    r.getKind() + "/" + r.getMetadata().getName(),
                    r.getMetadata().getResourceVersion()));
    assertThat(versions).isNotEmpty();
    return versions;
  }

  /** A full update (PUT) of the peer; returns its new generation. */
  private long update(IpsecPeer peer) {
    return cluster.client().resource(peer).update().getMetadata().getGeneration();
  }

  private IkeGroup ikeGroup() {
    return cluster
        .client()
        .resources(IkeGroup.class)
        .inNamespace(cluster.namespace())
        .withName(IKE_GROUP)
        .get();
  }

  private String certificateOf(String secret) {
    Secret s = cluster.client().secrets().inNamespace(cluster.namespace()).withName(secret).get();
    return new String(
        Base64.getDecoder().decode(s.getData().get("tls.crt")), StandardCharsets.UTF_8);
  }

  /**
   * The example with certificates from this test's CA for both sites, in the TLS Secrets the peers
   * name, and the CA in the ConfigMap they trust.
   */
  private List<HasMetadata> withTestCertificates(List<HasMetadata> resources) {
    Map<String, IssuedCertificate> bySecret = new TreeMap<>();
    for (HasMetadata item : resources) {
      if (item instanceof IpsecPeer peer) {
        bySecret.put(
            x509(peer.getSpec()).getCertificate().getName(),
            ca.issue(peer.getSpec().getAuthentication().getLocalId()));
      }
    }
    for (HasMetadata item : resources) {
      String name = item.getMetadata().getName();
      if (item instanceof Secret secret && bySecret.containsKey(name)) {
        IssuedCertificate issued = bySecret.get(name);
        secret.setData(tlsData(issued.certificatePem(), issued.privateKeyPem()));
      } else if (item instanceof ConfigMap configMap) {
        CaCertificateRef ref =
            resources.stream()
                .filter(IpsecPeer.class::isInstance)
                .map(p -> x509(((IpsecPeer) p).getSpec()).getCaCertificates().get(0))
                .findFirst()
                .orElseThrow();
        configMap.setData(Map.of(ref.getConfigMapRef().getKey(), ca.certificatePem()));
      }
    }
    assertThat(bySecret).hasSize(2);
    return resources;
  }

  private Secret tlsSecret(String name, String certificate, String key) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(tlsData(certificate, key))
        .build();
  }

  private static Map<String, String> tlsData(String certificate, String key) {
    return Map.of("tls.crt", base64(certificate), "tls.key", base64(key));
  }

  private static X509Authentication x509(IpsecPeerSpec spec) {
    return spec.getAuthentication().getX509();
  }

  private static Tunnel copyOf(Tunnel tunnel) {
    return new io.fabric8.kubernetes.client.utils.KubernetesSerialization().clone(tunnel);
  }

  private static Condition valid(IpsecPeer p) {
    return PeerStatuses.condition(p, "Valid").orElseThrow();
  }

  private static boolean isTrue(IpsecPeer p, String type) {
    return PeerStatuses.condition(p, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private static boolean isFalse(IpsecPeer p, String type) {
    return PeerStatuses.falseReason(p, type).isPresent();
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
