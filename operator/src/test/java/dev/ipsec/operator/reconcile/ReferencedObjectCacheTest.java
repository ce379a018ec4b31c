package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.CryptoGroupReconcilerTest.condition;
import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.peer.MissingReferenceRecheck;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator caches only the Secrets and ConfigMaps peers refer to (labelled {@code
 * ipsec.dev/referenced=true}, by the operator on first sight or by their author) and its own: a
 * Secret nobody refers to is never listed, watched, read or held. A referenced Secret is found
 * whether it comes before or after its peer, its changes and its deletion arrive at once, and a
 * label someone removes is put back.
 */
class ReferencedObjectCacheTest {

  static final Set<String> PEERS = Set.of("alpha");
  static final String PSK = "referenced-cache-test-psk";
  static final String UNRELATED = "unrelated-cache-test-value";

  OperatorHarness k8s;
  GatewayVolume volume;

  @BeforeEach
  void resources() {
    k8s = new OperatorHarness();
    volume = new GatewayVolume(k8s.client, "gw");
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.gateway("gw"));
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void aSecretNoPeerRefersToIsNeverCachedNorRead() throws InterruptedException {
    k8s.create(TestResources.pskSecret("unrelated", UNRELATED));
    k8s.create(TestResources.pskSecret("psk", PSK));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    k8s.start();
    eventually(() -> assertThat(valid("alpha").getStatus()).isEqualTo("True"));
    k8s.create(TestResources.pskSecret("unrelated-later", UNRELATED));
    Thread.sleep(3000); // no awaitQuiet: its unselected lists would be recorded as well

    var cache = k8s.operator().referencedObjects();
    assertThat(cache.get(Secret.class, "vpn", "psk")).isPresent();
    assertThat(cache.get(Secret.class, "vpn", "unrelated")).isEmpty();
    assertThat(cache.get(Secret.class, "vpn", "unrelated-later")).isEmpty();
    assertThat(cache.size(Secret.class)).isEqualTo(1);
    assertThat(cache.size(ConfigMap.class)).isZero();
    // the server was never asked for them, by name or by an unselected list or watch of Secrets
    // (reads only: the test's own creates are POSTs, and it has read nothing yet)
    List<String> secretRequests = new ArrayList<>();
    for (RecordedRequest r = k8s.server.takeRequest(1, TimeUnit.MILLISECONDS);
        r != null;
        r = k8s.server.takeRequest(1, TimeUnit.MILLISECONDS)) {
      if (r.getMethod().equals("GET") && r.getPath().contains("/secrets")) {
        secretRequests.add(URLDecoder.decode(r.getPath(), StandardCharsets.UTF_8));
      }
    }
    assertThat(secretRequests)
        .isNotEmpty() // the recording works: the operator's own requests are there
        .noneMatch(r -> r.contains("/secrets/unrelated"))
        .allMatch(
            r ->
                r.contains("/secrets/")
                    || r.contains("labelSelector=" + Labels.REFERENCED_SELECTOR)
                    || r.contains("labelSelector=" + Labels.OWNED_SELECTOR),
            "a read of one Secret by name, or a list or watch of referenced or owned ones");
    assertThat(secret("psk").getMetadata().getLabels())
        .containsEntry(Labels.REFERENCED, Labels.REFERENCED_VALUE);
    assertThat(secret("unrelated").getMetadata().getLabels()).isNullOrEmpty();
  }

  @Test
  void aReferencedSecretCreatedAfterItsPeerIsFoundWithoutALabel() {
    k8s.start();
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    eventually(() -> assertThat(valid("alpha").getMessage()).contains("\"psk\""));

    // nothing announces an unlabelled Secret: the peer asks again, within its recheck
    k8s.create(TestResources.pskSecret("psk", PSK));
    await()
        .atMost(MissingReferenceRecheck.FIRST.multipliedBy(3))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(valid("alpha").getStatus()).isEqualTo("True");
              assertThat(decoded(volume.peerFiles("alpha", PEERS).get("secrets.d/alpha.conf")))
                  .contains(PSK);
            });
    assertThat(secret("psk").getMetadata().getLabels())
        .containsEntry(Labels.REFERENCED, Labels.REFERENCED_VALUE);
  }

  @Test
  void aSecretCreatedWithTheLabelIsSeenAtOnce() throws InterruptedException {
    k8s.start();
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    eventually(() -> assertThat(valid("alpha").getMessage()).contains("\"psk\""));
    // invalid for 11 s: the rechecks came at 5 and 10 s, the next is due at 20 s
    Instant invalidSince = Instant.parse(valid("alpha").getLastTransitionTime());
    Thread.sleep(
        Math.max(0, Duration.between(Instant.now(), invalidSince.plusSeconds(11)).toMillis()));

    Secret labelled = TestResources.pskSecret("psk", PSK);
    labelled.getMetadata().setLabels(Map.of(Labels.REFERENCED, Labels.REFERENCED_VALUE));
    k8s.create(labelled);
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(valid("alpha").getStatus()).isEqualTo("True"));
  }

  @Test
  void aChangedReferencedSecretIsRenderedAtOnceAndARemovedLabelIsPutBack() {
    k8s.create(TestResources.pskSecret("psk", PSK));
    k8s.start();
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    eventually(() -> assertThat(valid("alpha").getStatus()).isEqualTo("True"));
    volume.awaitQuiet();

    setPsk("a-changed-psk-1");
    awaitRendered("a-changed-psk-1");

    // someone removes the label: the Secret leaves the cache, its peers look again and label it
    k8s.client
        .secrets()
        .inNamespace("vpn")
        .withName("psk")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"" + Labels.REFERENCED + "\":null}}}");
    eventually(
        () -> {
          assertThat(secret("psk").getMetadata().getLabels())
              .containsEntry(Labels.REFERENCED, Labels.REFERENCED_VALUE);
          assertThat(k8s.operator().referencedObjects().get(Secret.class, "vpn", "psk"))
              .isPresent();
        });
    // and it is watched again: the next change arrives at once
    setPsk("a-changed-psk-2");
    awaitRendered("a-changed-psk-2");
    assertThat(valid("alpha").getStatus()).isEqualTo("True");
  }

  @Test
  void deletingAReferencedSecretStillRevokes() {
    k8s.create(TestResources.pskSecret("psk", PSK));
    k8s.start();
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    eventually(() -> assertThat(valid("alpha").getStatus()).isEqualTo("True"));
    volume.awaitQuiet();

    k8s.client.secrets().inNamespace("vpn").withName("psk").delete();
    eventually(
        () -> {
          assertThat(volume.peerFiles("alpha", PEERS)).isEmpty();
          assertThat(valid("alpha").getReason()).isEqualTo("SecretDeleted");
        });
    assertThat(k8s.operator().referencedObjects().get(Secret.class, "vpn", "psk")).isEmpty();
  }

  @Test
  void theSharedInformersCountForReadiness() {
    k8s.start();
    eventually(
        () ->
            assertThat(k8s.operator().runtimeInfo().unhealthyEventSources())
                .allSatisfy((controller, sources) -> assertThat(sources).isEmpty()));
    k8s.operator().referencedObjects().close();
    eventually(
        () ->
            assertThat(k8s.operator().runtimeInfo().unhealthyEventSources())
                .hasEntrySatisfying(
                    "ipsecpeer", sources -> assertThat(sources).containsKeys("peer-secrets"))
                .hasEntrySatisfying(
                    "ipsecglobal",
                    sources -> assertThat(sources).containsKeys("referenced-secrets")));
  }

  /** Within 5 s: a change comes through the watch, not a recheck (valid peers have none). */
  private void awaitRendered(String psk) {
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(decoded(volume.peerFiles("alpha", PEERS).get("secrets.d/alpha.conf")))
                    .contains(psk));
  }

  private void setPsk(String psk) {
    Secret s = secret("psk");
    s.setData(
        Map.of("psk", Base64.getEncoder().encodeToString(psk.getBytes(StandardCharsets.UTF_8))));
    k8s.client.resource(s).update();
  }

  private static String decoded(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private Secret secret(String name) {
    return k8s.client.secrets().inNamespace("vpn").withName(name).get();
  }

  private Condition valid(String peer) {
    IpsecPeer p = k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName(peer).get();
    assertThat(p.getStatus()).isNotNull();
    return condition(p.getStatus().getConditions(), "Valid");
  }
}
