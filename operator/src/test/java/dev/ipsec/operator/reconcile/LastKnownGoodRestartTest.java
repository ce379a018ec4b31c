package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.CryptoGroupReconcilerTest.condition;
import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What keeps running is read from the volume, not from memory: a new operator on the same API
 * server finds an invalid peer's kept files and writes nothing at all. Deleting the Secret a
 * running configuration was rendered from revokes it: the files go, the peer says why, and that too
 * survives a restart without a write.
 */
class LastKnownGoodRestartTest {

  static final Set<String> PEERS = Set.of("alpha", "beta");
  static final String PSK_A = "restart-test-psk-a";

  OperatorHarness k8s;
  GatewayVolume volume;

  @BeforeEach
  void start() {
    k8s = new OperatorHarness().start();
    volume = new GatewayVolume(k8s.client, "gw");
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk-a", PSK_A));
    k8s.create(TestResources.pskSecret("psk-b", "restart-test-psk-b"));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk-a", 1));
    k8s.create(TestResources.pskPeer("beta", "gw", "ike", "esp", "psk-b", 2));
    for (String peer : PEERS) {
      eventually(() -> assertThat(valid(peer).getStatus()).isEqualTo("True"));
    }
    volume.awaitQuiet();
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void aRestartedOperatorWithAnInvalidPeerWritesNothing() throws InterruptedException {
    SortedMap<String, String> files = volume.peerFiles("alpha", PEERS);
    IpsecPeer alpha = peer("alpha");
    alpha.getSpec().setIkeGroup("ike-missing");
    k8s.client.resource(alpha).update();
    eventually(() -> assertThat(valid("alpha").getStatus()).isEqualTo("False"));
    volume.awaitQuiet();
    assertThat(volume.peerFiles("alpha", PEERS)).isEqualTo(files);
    Map<String, String> before = volume.versions();

    k8s.stopOperator();
    k8s.start();
    // the new operator reconciles everything once; give it time to do whatever it would
    Thread.sleep(8000);

    assertThat(volume.versions()).isEqualTo(before);
    assertThat(volume.peerFiles("alpha", PEERS)).isEqualTo(files);
  }

  @Test
  void deletingTheSecretARunningConfigurationCameFromRevokesIt() throws InterruptedException {
    // an invalid edit first: the kept configuration is the one revoked
    IpsecPeer alpha = peer("alpha");
    alpha.getSpec().getTunnels().add(PeerPlacementTest.tunnels(1).get(0));
    k8s.client.resource(alpha).update();
    eventually(() -> assertThat(valid("alpha").getStatus()).isEqualTo("False"));
    volume.awaitQuiet();
    SortedMap<String, String> beta = volume.peerFiles("beta", PEERS);
    assertThat(volume.peerFiles("alpha", PEERS)).isNotEmpty();

    k8s.client.secrets().inNamespace("vpn").withName("psk-a").delete();

    eventually(
        () -> {
          assertThat(volume.peerFiles("alpha", PEERS)).isEmpty();
          Condition valid = valid("alpha");
          assertThat(valid.getStatus()).isEqualTo("False");
          assertThat(valid.getReason()).isEqualTo("SecretDeleted");
          assertThat(valid.getMessage())
              .startsWith("spec.authentication: Secret \"psk-a\", which the running configuration")
              .contains("was deleted")
              // the spec's own problems are still named after it
              .contains("duplicate tunnel id 1");
          Condition ready = condition(peer("alpha").getStatus().getConditions(), "Ready");
          assertThat(ready.getStatus()).isEqualTo("False");
        });
    volume.awaitQuiet();
    assertThat(volume.events("alpha", "SecretDeleted")).hasSize(1);
    assertThat(volume.peerFiles("beta", PEERS)).isEqualTo(beta);
    assertThat(k8s.json.asJson(k8s.client.v1().events().inNamespace("vpn").list()))
        .doesNotContain(PSK_A);

    Map<String, String> before = volume.versions();
    k8s.stopOperator();
    k8s.start();
    Thread.sleep(8000);
    assertThat(volume.versions()).as("a restart writes nothing").isEqualTo(before);

    // a new Secret and a valid spec: the peer runs again
    k8s.create(TestResources.pskSecret("psk-a", "a-new-key-after-revocation"));
    alpha = peer("alpha");
    alpha.getSpec().getTunnels().remove(1);
    k8s.client.resource(alpha).update();
    eventually(
        () -> {
          assertThat(valid("alpha").getStatus()).isEqualTo("True");
          assertThat(volume.peerFiles("alpha", PEERS)).containsKey("conf.d/alpha.conf");
        });
  }

  @Test
  void deletingTheSecretOfAValidPeerRevokesItsConfigurationAsWell() {
    k8s.client.secrets().inNamespace("vpn").withName("psk-a").delete();
    eventually(
        () -> {
          assertThat(volume.peerFiles("alpha", PEERS)).isEmpty();
          assertThat(valid("alpha").getReason()).isEqualTo("SecretDeleted");
        });
  }

  Condition valid(String peer) {
    IpsecPeer p = peer(peer);
    assertThat(p.getStatus()).isNotNull();
    return condition(p.getStatus().getConditions(), "Valid");
  }

  IpsecPeer peer(String name) {
    return k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName(name).get();
  }
}
