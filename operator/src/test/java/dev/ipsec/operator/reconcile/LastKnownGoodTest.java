package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.CryptoGroupReconcilerTest.condition;
import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.CaCertificateRef;
import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IkeMode;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.ObjectKeyRef;
import dev.ipsec.operator.api.v1alpha1.SecretNameRef;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.api.v1alpha1.X509Authentication;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.testing.TestPki;
import dev.ipsec.operator.volume.PlacementErrors;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An invalid edit never takes a working tunnel down: whatever makes a running peer's new spec fail
 * (an invalid field, a missing group, Secret or key, content that does not parse, a certificate and
 * key that do not belong together, files too large for a shard), its last valid files stay in the
 * gateway's volume byte for byte, the peer says why with Valid False and one Event, and fixing the
 * spec applies the new configuration. Deleting the peer deletes its files.
 */
class LastKnownGoodTest {

  static final Set<String> PEERS = Set.of("alpha", "beta", "gamma");
  static final TestPki.CertificateAuthority CA = new TestPki.CertificateAuthority("LKG test CA");
  static final TestPki.IssuedCertificate CERT = CA.issue("gamma.example.org");
  static final TestPki.IssuedCertificate OTHER = CA.issue("other.example.org");

  OperatorHarness k8s;
  GatewayVolume volume;

  @BeforeEach
  void start() {
    // 16 KiB shards: a peer with a hundred tunnels is too large for one
    k8s =
        new OperatorHarness()
            .start(
                OperatorHarness.settings()
                    .withGateway(GatewayDefaults.defaults().withMaxShardBytes(16 * 1024)));
    volume = new GatewayVolume(k8s.client, "gw");
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk-a", "last-known-good-psk-a"));
    k8s.create(TestResources.pskSecret("psk-b", "last-known-good-psk-b"));
    k8s.create(tlsSecret(CERT.certificatePem(), CERT.privateKeyPem()));
    k8s.create(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("ca")
            .withNamespace("vpn")
            .endMetadata()
            .withData(Map.of("ca.crt", CA.certificatePem()))
            .build());
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk-a", 1));
    k8s.create(TestResources.pskPeer("beta", "gw", "ike", "esp", "psk-b", 2));
    k8s.create(x509Peer());
    for (String peer : PEERS) {
      eventually(() -> assertThat(valid(peer).getStatus()).isEqualTo("True"));
      eventually(() -> assertThat(volume.peerFiles(peer, PEERS)).isNotEmpty());
    }
    volume.awaitQuiet();
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  /** The invalid edits, each of one peer, with what its Valid condition must name. */
  enum Edit {
    DUPLICATE_TUNNEL_ID(
        "alpha",
        "spec.tunnels[1].id: duplicate tunnel id 1",
        t -> t.peer("alpha", p -> p.getSpec().getTunnels().add(t.tunnel(1)))),
    MISSING_IKE_GROUP(
        "alpha",
        "spec.ikeGroup: IkeGroup \"ike-missing\" not found",
        t -> t.peer("alpha", p -> p.getSpec().setIkeGroup("ike-missing"))),
    MISSING_SECRET(
        "alpha",
        "Secret \"psk-missing\" with key psk not found",
        t ->
            t.peer(
                "alpha",
                p ->
                    p.getSpec()
                        .getAuthentication()
                        .getPreSharedSecret()
                        .getSecretRef()
                        .setName("psk-missing"))),
    KEY_REMOVED_FROM_SECRET(
        "alpha",
        "Secret \"psk-a\" with key psk not found",
        t -> t.secret("psk-a", s -> s.setData(Map.of("other", base64("x"))))),
    SECRET_THAT_DOES_NOT_PARSE(
        "alpha",
        "contains a control character",
        t -> t.secret("psk-a", s -> s.setData(Map.of("psk", base64("line\nbreak"))))),
    KEY_OF_ANOTHER_CERTIFICATE(
        "gamma",
        "does not belong to the certificate",
        t ->
            t.secret(
                "gamma-tls",
                s -> s.setData(tlsData(CERT.certificatePem(), OTHER.privateKeyPem())))),
    CERTIFICATE_THAT_IS_NOT_ONE(
        "gamma",
        "key tls.crt is not a PEM certificate",
        t ->
            t.secret(
                "gamma-tls", s -> s.setData(tlsData("not a certificate", CERT.privateKeyPem())))),
    TOO_LARGE_FOR_A_SHARD(
        "alpha",
        "take",
        t -> t.peer("alpha", p -> p.getSpec().setTunnels(PeerPlacementTest.tunnels(100))));

    final String peer;
    final String message;
    final Consumer<LastKnownGoodTest> apply;

    Edit(String peer, String message, Consumer<LastKnownGoodTest> apply) {
      this.peer = peer;
      this.message = message;
      this.apply = apply;
    }
  }

  @ParameterizedTest
  @EnumSource(Edit.class)
  void anInvalidEditKeepsTheLastValidFilesByteForByte(Edit edit) {
    Map<String, SortedMap<String, String>> before = files();
    long generation = peer(edit.peer).getMetadata().getGeneration();

    edit.apply.accept(this);

    eventually(
        () -> {
          Condition valid = valid(edit.peer);
          assertThat(valid.getStatus()).isEqualTo("False");
          assertThat(valid.getMessage()).contains(edit.message);
        });
    volume.awaitQuiet();
    // every peer's files as they were, the edited one's too
    assertThat(files()).isEqualTo(before);
    Condition valid = valid(edit.peer);
    String reason = edit == Edit.TOO_LARGE_FOR_A_SHARD ? PlacementErrors.TOO_LARGE : "InvalidSpec";
    assertThat(volume.events(edit.peer, reason)).hasSize(1);
    assertThat(valid.getReason())
        .isEqualTo(edit == Edit.TOO_LARGE_FOR_A_SHARD ? PlacementErrors.TOO_LARGE : "Invalid");
    IpsecPeer edited = peer(edit.peer);
    assertThat(edited.getStatus().getObservedGeneration())
        .isEqualTo(edited.getMetadata().getGeneration());
    assertThat(edited.getMetadata().getGeneration()).isGreaterThanOrEqualTo(generation);
    // the gateway still has all three configured, and counts the invalid one
    IpsecGlobal gw =
        k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName("gw").get();
    assertThat(gw.getStatus().getPeers().getConfigured()).isEqualTo(3);
  }

  @Test
  void fixingTheSpecAppliesTheNewConfiguration() {
    SortedMap<String, String> before = volume.peerFiles("alpha", PEERS);
    peer("alpha", p -> p.getSpec().getTunnels().add(tunnel(1)));
    eventually(() -> assertThat(valid("alpha").getStatus()).isEqualTo("False"));
    volume.awaitQuiet();
    assertThat(volume.peerFiles("alpha", PEERS)).isEqualTo(before);

    peer(
        "alpha",
        p -> {
          p.getSpec().getTunnels().remove(1);
          p.getSpec().setRemoteAddresses(List.of("198.51.100.99"));
        });

    eventually(
        () -> {
          assertThat(valid("alpha").getStatus()).isEqualTo("True");
          assertThat(volume.peerFiles("alpha", PEERS).get("conf.d/alpha.conf"))
              .contains("198.51.100.99")
              .startsWith("# ipsec.dev/generation: 3\n");
        });
  }

  @Test
  void anInvalidIkeGroupEditLeavesEveryPeerOnItsPreviousProposals() {
    Map<String, SortedMap<String, String>> before = files();
    assertThat(before.get("alpha").get("conf.d/alpha.conf")).contains("aes256-sha256-modp2048");

    IkeGroup ike = k8s.client.resources(IkeGroup.class).inNamespace("vpn").withName("ike").get();
    ike.getSpec().getProposals().get(0).setDhGroup(19);
    ike.getSpec().setMode(IkeMode.AGGRESSIVE); // not with IKEv2: the group is invalid
    k8s.client.resource(ike).update();

    for (String peer : List.of("alpha", "beta")) {
      eventually(
          () ->
              assertThat(valid(peer).getMessage())
                  .contains("spec.ikeGroup: IkeGroup \"ike\" is invalid"));
    }
    volume.awaitQuiet();
    assertThat(files()).isEqualTo(before);

    ike = k8s.client.resources(IkeGroup.class).inNamespace("vpn").withName("ike").get();
    ike.getSpec().setMode(null);
    k8s.client.resource(ike).update();
    eventually(
        () -> {
          assertThat(valid("alpha").getStatus()).isEqualTo("True");
          assertThat(volume.peerFiles("beta", PEERS).get("conf.d/beta.conf"))
              .contains("aes256-sha256-ecp256");
        });
  }

  @Test
  void deletingAPeerThatKeepsAnOlderConfigurationDeletesItsFiles() {
    peer("alpha", p -> p.getSpec().setIkeGroup("ike-missing"));
    eventually(() -> assertThat(valid("alpha").getStatus()).isEqualTo("False"));
    volume.awaitQuiet();
    assertThat(volume.peerFiles("alpha", PEERS)).isNotEmpty();

    k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("alpha").delete();

    eventually(
        () -> {
          assertThat(volume.peerFiles("alpha", PEERS)).isEmpty();
          assertThat(volume.publicManifest().files()).doesNotContainKey("conf.d/alpha.conf");
        });
    assertThat(volume.peerFiles("beta", PEERS)).isNotEmpty();
  }

  @Test
  void aPeerThatNeverRenderedHasNothingToKeep() {
    IpsecPeer fresh = TestResources.pskPeer("delta", "gw", "ike-missing", "esp", "psk-a", 4);
    k8s.create(fresh);
    eventually(() -> assertThat(valid("delta").getStatus()).isEqualTo("False"));
    volume.awaitQuiet();
    assertThat(volume.peerFiles("delta", Set.of("alpha", "beta", "gamma", "delta"))).isEmpty();
  }

  Map<String, SortedMap<String, String>> files() {
    return Map.of(
        "alpha", volume.peerFiles("alpha", PEERS),
        "beta", volume.peerFiles("beta", PEERS),
        "gamma", volume.peerFiles("gamma", PEERS));
  }

  Condition valid(String peer) {
    IpsecPeer p = peer(peer);
    assertThat(p.getStatus()).isNotNull();
    return condition(p.getStatus().getConditions(), "Valid");
  }

  IpsecPeer peer(String name) {
    return k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName(name).get();
  }

  /** A full update of the peer, as {@code kubectl replace} sends it. */
  void peer(String name, Consumer<IpsecPeer> change) {
    IpsecPeer p = peer(name);
    change.accept(p);
    k8s.client.resource(p).update();
  }

  void secret(String name, Consumer<Secret> change) {
    Secret s = k8s.client.secrets().inNamespace("vpn").withName(name).get();
    change.accept(s);
    k8s.client.resource(s).update();
  }

  Tunnel tunnel(int id) {
    return PeerPlacementTest.tunnels(id).get(id - 1);
  }

  static IpsecPeer x509Peer() {
    IpsecPeer p = TestResources.pskPeer("gamma", "gw", "ike", "esp", "unused", 3);
    X509Authentication x = new X509Authentication();
    x.setCertificate(new SecretNameRef("gamma-tls"));
    CaCertificateRef ca = new CaCertificateRef();
    ca.setConfigMapRef(new ObjectKeyRef("ca", "ca.crt"));
    x.setCaCertificates(new ArrayList<>(List.of(ca)));
    p.getSpec()
        .getAuthentication()
        .setMode(dev.ipsec.operator.api.v1alpha1.AuthenticationMode.X509);
    p.getSpec().getAuthentication().setPreSharedSecret(null);
    p.getSpec().getAuthentication().setX509(x);
    return p;
  }

  static Secret tlsSecret(String cert, String key) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("gamma-tls")
        .withNamespace("vpn")
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(tlsData(cert, key))
        .build();
  }

  static Map<String, String> tlsData(String cert, String key) {
    return Map.of("tls.crt", base64(cert), "tls.key", base64(key));
  }

  static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
