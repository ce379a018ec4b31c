package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.CryptoGroupReconcilerTest.condition;
import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.TrafficSelector;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.kubelet.VolumeProjections;
import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.gateway.GatewayObjects;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.testing.TestManifests;
import dev.ipsec.operator.volume.ConfigShards;
import dev.ipsec.operator.volume.ConfigVolumePlanner;
import dev.ipsec.operator.volume.PlacementErrors;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One peer that does not fit never stops the others: it is left out with a Valid condition and an
 * Event of its own, every other peer is written and listed in the manifests, and the IpsecGlobal
 * stays valid.
 */
class PeerPlacementTest {

  static final int PEERS = 20;

  OperatorHarness k8s;

  @AfterEach
  void stop() {
    if (k8s != null) {
      k8s.close();
    }
  }

  static OperatorSettings settings(int maxShardBytes) {
    return OperatorHarness.settings()
        .withGateway(GatewayDefaults.defaults().withMaxShardBytes(maxShardBytes));
  }

  void start(int maxShardBytes) {
    k8s = new OperatorHarness().start(settings(maxShardBytes));
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "placement-test-psk-value"));
    k8s.create(TestResources.gateway("gw"));
  }

  @Test
  void aPeerTooLargeForAShardIsLeftOutAloneAndTheOtherNinetyNineAreWritten() {
    int limit = 16 * 1024;
    start(limit);
    for (int i = 0; i < 99; i++) {
      k8s.create(TestResources.pskPeer("peer-" + i, "gw", "ike", "esp", "psk", i));
    }
    // a hundred tunnels render to more than 16 KiB of conf.d
    IpsecPeer big = TestResources.pskPeer("big", "gw", "ike", "esp", "psk", 200);
    big.getSpec().setTunnels(tunnels(100));
    k8s.create(big);

    List<String> written = IntStream.range(0, 99).mapToObj(i -> "peer-" + i).toList();
    eventually(
        () -> {
          ConfigManifest manifest = publicListing();
          ConfigManifest secrets = secretListing();
          assertThat(manifest.revision()).isEqualTo(secrets.revision());
          for (String peer : written) {
            assertThat(manifest.files()).containsKey("conf.d/" + peer + ".conf");
            assertThat(secrets.files()).containsKey("secrets.d/" + peer + ".conf");
          }
          assertThat(manifest.files()).doesNotContainKey("conf.d/big.conf");
          assertThat(secrets.files()).doesNotContainKey("secrets.d/big.conf");
          // what the pod would see: the listed files, each with its digest
          Map<String, byte[]> volume = projectedVolume();
          manifest
              .files()
              .keySet()
              .forEach(
                  p -> assertThat(manifest.matches(p, volume.get(ConfigShards.key(p)))).isTrue());
          secrets
              .files()
              .keySet()
              .forEach(
                  p -> assertThat(secrets.matches(p, volume.get(ConfigShards.key(p)))).isTrue());
          assertThat(volume.keySet()).noneMatch(k -> k.contains("big"));
        });

    IpsecPeer refused = eventuallyPeer("big", PlacementErrors.TOO_LARGE);
    Condition valid = condition(refused.getStatus().getConditions(), "Valid");
    assertThat(valid.getStatus()).isEqualTo("False");
    assertThat(valid.getMessage())
        .startsWith("spec: the peer's configuration files")
        .contains(limit + " less its manifest's header)")
        .containsPattern("take \\d{5} bytes")
        .contains("fewer tunnels");
    eventually(() -> assertThat(events("big", PlacementErrors.TOO_LARGE)).hasSize(1));
    for (String peer : List.of("peer-0", "peer-42", "peer-98")) {
      eventually(
          () ->
              assertThat(
                      condition(peerNamed(peer).getStatus().getConditions(), "Valid").getStatus())
                  .isEqualTo("True"));
    }

    eventually(
        () -> {
          IpsecGlobal gw = gateway();
          Condition gatewayValid = condition(gw.getStatus().getConditions(), "Valid");
          assertThat(gatewayValid.getStatus()).isEqualTo("True");
          assertThat(gatewayValid.getMessage()).contains("1 peers").contains("left out");
          assertThat(gw.getStatus().getPeers().getConfigured()).isEqualTo(99);
        });
    assertEveryObjectWithin(limit);
    // still one Event after everything settled
    assertThat(events("big", PlacementErrors.TOO_LARGE)).hasSize(1);
  }

  @Test
  void peersLeftOutOfAFullGatewayAreToldAndComeBackWhenThereIsRoom() {
    int limit = ConfigVolumePlanner.MIN_OBJECT_BYTES;
    start(limit);
    // eight tunnels render to about 3 KiB: two such peers share an 8 KiB shard, three do not, and
    // three of these twenty names meet in one of the 32 shards
    for (int i = 0; i < PEERS; i++) {
      IpsecPeer peer = TestResources.pskPeer("peer-" + i, "gw", "ike", "esp", "psk", i);
      peer.getSpec().setTunnels(tunnels(8));
      k8s.create(peer);
    }
    eventually(
        () -> {
          assertThat(leftOut()).isNotEmpty();
          assertThat(publicListing().files().keySet().stream().filter(p -> p.startsWith("conf.d/")))
              .hasSize(PEERS - leftOut().size());
        });
    Set<String> full = leftOut();
    for (String peer : full) {
      Condition valid = condition(peerNamed(peer).getStatus().getConditions(), "Valid");
      assertThat(valid.getMessage())
          .startsWith("spec.gateway: the gateway has no room left for this peer")
          .contains(
              "ConfigMap shard " + ConfigShards.shardOf(peer, ConfigShards.MAX_SHARDS) + " of 32")
          .contains("move peers to another IpsecGlobal");
      assertThat(publicListing().files()).doesNotContainKey("conf.d/" + peer + ".conf");
    }
    eventually(
        () ->
            assertThat(full)
                .allSatisfy(p -> assertThat(events(p, PlacementErrors.GATEWAY_FULL)).hasSize(1)));
    eventually(
        () -> {
          Condition gatewayValid = condition(gateway().getStatus().getConditions(), "Valid");
          assertThat(gatewayValid.getStatus()).isEqualTo("True");
          assertThat(gateway().getStatus().getPeers().getConfigured())
              .isEqualTo(PEERS - full.size());
        });
    assertEveryObjectWithin(limit);

    // a restarted operator knows no plan until the gateway is reconciled: the peers left out keep
    // what their status says meanwhile, so nothing flips to valid and back
    Map<String, String> before = peerVersionsAndEvents();
    k8s.stopOperator();
    k8s.start(settings(limit));
    await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> true);
    assertThat(peerVersionsAndEvents()).isEqualTo(before);

    // room again: the placed peers go, the ones left out are written and valid
    List<String> placed =
        IntStream.range(0, PEERS)
            .mapToObj(i -> "peer-" + i)
            .filter(p -> !full.contains(p))
            .collect(Collectors.toList());
    for (String peer : placed) {
      k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName(peer).delete();
    }
    eventually(
        () -> {
          assertThat(leftOut()).isEmpty();
          for (String peer : full) {
            assertThat(publicListing().files()).containsKey("conf.d/" + peer + ".conf");
            assertThat(condition(peerNamed(peer).getStatus().getConditions(), "Valid").getStatus())
                .isEqualTo("True");
          }
        });
  }

  /** The resource version of every peer and the name of every Event. */
  Map<String, String> peerVersionsAndEvents() {
    Map<String, String> seen = new TreeMap<>();
    k8s.client
        .resources(IpsecPeer.class)
        .inNamespace("vpn")
        .list()
        .getItems()
        .forEach(p -> seen.put(p.getMetadata().getName(), p.getMetadata().getResourceVersion()));
    k8s.client
        .v1()
        .events()
        .inNamespace("vpn")
        .list()
        .getItems()
        .forEach(e -> seen.put("Event/" + e.getMetadata().getName(), e.getReason()));
    return seen;
  }

  static List<Tunnel> tunnels(int count) {
    List<Tunnel> tunnels = new ArrayList<>();
    for (int id = 1; id <= count; id++) {
      Tunnel t = new Tunnel();
      t.setId(id);
      TrafficSelector local = new TrafficSelector();
      local.setPrefixes(new ArrayList<>(List.of("192.0.2.0/28")));
      TrafficSelector remote = new TrafficSelector();
      remote.setPrefixes(new ArrayList<>(List.of("203.0.113." + id + "/32")));
      t.setLocal(local);
      t.setRemote(remote);
      tunnels.add(t);
    }
    return tunnels;
  }

  /** Peers whose Valid condition says the gateway had no room for them. */
  Set<String> leftOut() {
    return k8s.client.resources(IpsecPeer.class).inNamespace("vpn").list().getItems().stream()
        .filter(
            p -> {
              Condition valid =
                  p.getStatus() == null ? null : condition(p.getStatus().getConditions(), "Valid");
              return valid != null && PlacementErrors.GATEWAY_FULL.equals(valid.getReason());
            })
        .map(p -> p.getMetadata().getName())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Every public file the manifests list, through the tree: the root ConfigMap's manifest and the
   * config shards' manifests it lists, as the pod would see them.
   */
  ConfigManifest publicListing() {
    ConfigMap root = k8s.client.configMaps().inNamespace("vpn").withName("gw-swanctl").get();
    assertThat(root).isNotNull();
    assertThat(root.getData()).containsOnlyKeys("swanctl.conf", ConfigManifest.PUBLIC_FILE);
    return TestManifests.listing(projectedVolume(), ConfigManifest.Side.PUBLIC);
  }

  /** The same for the secret files: the root Secret's manifest and the secret shards'. */
  ConfigManifest secretListing() {
    Secret root = k8s.client.secrets().inNamespace("vpn").withName("gw-swanctl").get();
    assertThat(root).isNotNull();
    assertThat(root.getData()).containsOnlyKeys(ConfigManifest.SECRET_FILE);
    return TestManifests.listing(projectedVolume(), ConfigManifest.Side.SECRET);
  }

  /** The swanctl volume as the kubelet projects it, by flat name. */
  Map<String, byte[]> projectedVolume() {
    Deployment deployment =
        k8s.client.apps().deployments().inNamespace("vpn").withName("gw-gateway").get();
    Volume swanctl =
        deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("swanctl"))
            .findFirst()
            .orElseThrow();
    return new TreeMap<>(
        VolumeProjections.payload(
                swanctl,
                name -> k8s.client.configMaps().inNamespace("vpn").withName(name).get(),
                name -> k8s.client.secrets().inNamespace("vpn").withName(name).get())
            .orElseThrow());
  }

  /** No ConfigMap or Secret of the volume holds more than {@code limit} bytes of data. */
  void assertEveryObjectWithin(int limit) {
    for (ConfigMap cm :
        k8s.client
            .configMaps()
            .inNamespace("vpn")
            .withLabel(Labels.GATEWAY, "gw")
            .list()
            .getItems()) {
      long size =
          cm.getData().entrySet().stream()
              .mapToLong(
                  e -> e.getKey().length() + e.getValue().getBytes(StandardCharsets.UTF_8).length)
              .sum();
      assertThat(size).as(cm.getMetadata().getName()).isLessThanOrEqualTo(limit);
    }
    for (Secret s :
        k8s.client.secrets().inNamespace("vpn").withLabel(Labels.GATEWAY, "gw").list().getItems()) {
      if (s.getMetadata().getName().equals(GatewayObjects.agentTlsSecretName("gw"))) {
        continue; // the agent's certificate, not configuration: no shard limit applies
      }
      long size =
          s.getData().entrySet().stream()
              .mapToLong(e -> e.getKey().length() + e.getValue().length())
              .sum();
      assertThat(size).as(s.getMetadata().getName()).isLessThanOrEqualTo(limit);
    }
  }

  IpsecGlobal gateway() {
    return k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName("gw").get();
  }

  IpsecPeer peerNamed(String name) {
    return k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName(name).get();
  }

  IpsecPeer eventuallyPeer(String name, String validReason) {
    eventually(
        () -> {
          IpsecPeer p = peerNamed(name);
          assertThat(p.getStatus()).isNotNull();
          assertThat(condition(p.getStatus().getConditions(), "Valid").getReason())
              .isEqualTo(validReason);
        });
    return peerNamed(name);
  }

  List<Event> events(String about, String reason) {
    return k8s.client.v1().events().inNamespace("vpn").list().getItems().stream()
        .filter(e -> about.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .collect(Collectors.toList());
  }
}
