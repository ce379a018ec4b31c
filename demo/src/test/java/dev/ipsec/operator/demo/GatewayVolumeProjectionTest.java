package dev.ipsec.operator.demo;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.reconcile.IpsecOperator;
import dev.ipsec.operator.reconcile.OperatorSettings;
import dev.ipsec.operator.reconcile.TestResources;
import dev.ipsec.operator.reconcile.agentstate.AgentPolling;
import dev.ipsec.operator.testing.TestManifests;
import dev.ipsec.operator.volume.ConfigShards;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's own gateway pod template through the kubelet stand-in (a recording runtime, no
 * root needed): the pod waits for both roots of the swanctl volume, then gets the root ConfigMap,
 * the root Secret and every shard with its manifest, flat, so that each file the manifests list
 * (the roots the shards' manifests, those the files) is there with its digest, as a real kubelet
 * would project it.
 */
class GatewayVolumeProjectionTest {

  static final String NS = "vpn";

  EmbeddedApiServer server;
  KubernetesClient client;
  IpsecOperator operator;
  KubeletStandInTest.RecordingRuntime runtime;
  KubeletStandIn kubelet;

  @BeforeEach
  void start() {
    server = new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0);
    client = server.client();
    operator =
        IpsecOperator.start(
            client,
            OperatorSettings.defaults()
                .withNamespaces(Set.of(NS))
                .withAgentPolling(AgentPolling.disabled()));
    runtime = new KubeletStandInTest.RecordingRuntime();
    kubelet = new KubeletStandIn(client, NS, runtime, Duration.ofHours(1));
  }

  @AfterEach
  void stop() {
    kubelet.close();
    operator.close();
    server.close();
  }

  @Test
  void theGatewayPodGetsBothRootsAndEveryListedFile() {
    client.resource(TestResources.ikeGroup("ike", 14)).create();
    client.resource(TestResources.espGroup("esp")).create();
    client.resource(TestResources.pskSecret("psk", "projection-test-psk")).create();
    client.resource(TestResources.gateway("gw")).create();
    client.resource(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1)).create();
    client.resource(TestResources.pskPeer("beta", "gw", "ike", "esp", "psk", 2)).create();
    eventually(
        () -> {
          assertThat(client.apps().deployments().inNamespace(NS).withName("gw-gateway").get())
              .isNotNull();
          // beta is in its shard's manifest, and the root lists that manifest as it is now
          String shardManifest =
              client
                  .configMaps()
                  .inNamespace(NS)
                  .withName("gw-config-0")
                  .get()
                  .getData()
                  .get("manifests..config-0.json");
          assertThat(shardManifest).contains("conf.d/beta.conf");
          assertThat(
                  client
                      .configMaps()
                      .inNamespace(NS)
                      .withName("gw-swanctl")
                      .get()
                      .getData()
                      .get(ConfigManifest.PUBLIC_FILE))
              .contains(ConfigManifest.sha256(shardManifest.getBytes(StandardCharsets.UTF_8)));
        });

    kubelet.syncOnce();
    assertThat(runtime.started).hasSize(1);
    Map<String, byte[]> volume = runtime.started.values().iterator().next().get("swanctl");
    // every listed file through the tree: the roots list the shards' manifests, which list files
    ConfigManifest manifest = TestManifests.listing(volume, ConfigManifest.Side.PUBLIC);
    ConfigManifest secrets = TestManifests.listing(volume, ConfigManifest.Side.SECRET);
    assertThat(secrets.revision()).isEqualTo(manifest.revision());
    assertThat(manifest.files()).containsKeys("manifests/config-0.json", "conf.d/alpha.conf");
    assertThat(secrets.files())
        .containsKeys("manifests/secrets-0.json", "secrets.d/alpha.conf", "secrets.d/beta.conf");
    manifest
        .files()
        .keySet()
        .forEach(p -> assertThat(manifest.matches(p, volume.get(ConfigShards.key(p)))).isTrue());
    secrets
        .files()
        .keySet()
        .forEach(p -> assertThat(secrets.matches(p, volume.get(ConfigShards.key(p)))).isTrue());
    assertThat(volume).hasSize(manifest.files().size() + secrets.files().size() + 2);
  }
}
