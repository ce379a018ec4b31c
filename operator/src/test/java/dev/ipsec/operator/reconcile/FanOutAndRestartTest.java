package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.status.Conditions;
import dev.ipsec.operator.volume.ConfigShards;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hundred peers on one gateway, with shards small enough that they spread over many ConfigMaps:
 * an IkeGroup edit rewrites exactly the shards of the peers that use it, and a restarted operator
 * writes nothing at all.
 */
class FanOutAndRestartTest {

  // few peers share the edited group, so that some shards hold none of them
  static final int SHARED = 10;
  static final int OTHERS = 90;

  OperatorHarness k8s;
  WriteRecorder writes;

  @BeforeEach
  void start() {
    k8s = new OperatorHarness(store -> writes = new WriteRecorder(store)).start(settings());
    k8s.create(TestResources.ikeGroup("shared", 14));
    k8s.create(TestResources.ikeGroup("other", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "fan-out-test-psk-value"));
    k8s.create(TestResources.gateway("gw"));
    for (int i = 0; i < SHARED + OTHERS; i++) {
      k8s.create(
          TestResources.pskPeer(name(i), "gw", i < SHARED ? "shared" : "other", "esp", "psk", i));
    }
    eventually(() -> assertThat(confFiles()).hasSize(SHARED + OTHERS));
    eventually(
        () ->
            assertThat(k8s.client.resources(IpsecPeer.class).inNamespace("vpn").list().getItems())
                .allMatch(
                    p ->
                        p.getStatus() != null
                            && Conditions.isTrue(p.getStatus().getConditions(), "Valid")));
    awaitQuiet();
  }

  /** Waits until nothing in the namespace changes for two seconds: the operator has settled. */
  void awaitQuiet() {
    var last = new AtomicReference<Map<String, String>>(Map.of());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              Map<String, String> now = versions();
              return now.equals(last.getAndSet(now));
            });
  }

  static OperatorSettings settings() {
    // about 800 bytes per peer with its line in the shard's manifest: 16 KiB shards spread the
    // hundred peers over many ConfigMaps (within ConfigShards.MAX_SHARDS), so no peer is left out
    return OperatorHarness.settings()
        .withGateway(GatewayDefaults.defaults().withMaxShardBytes(16 * 1024));
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void editingAnIkeGroupRewritesExactlyTheShardsOfItsPeers() {
    Map<String, ConfigMap> before = configShards();
    assertThat(before).hasSizeGreaterThan(4);
    Set<String> shardsWithShared =
        before.values().stream()
            .filter(
                cm ->
                    cm.getData().keySet().stream()
                        .map(ConfigShards::path)
                        .anyMatch(p -> p.startsWith("conf.d/") && isShared(p)))
            .map(cm -> cm.getMetadata().getName())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(shardsWithShared)
        .isNotEqualTo(before.keySet()); // some shards hold only "other" peers

    IkeGroup shared =
        k8s.client.resources(IkeGroup.class).inNamespace("vpn").withName("shared").get();
    shared.getSpec().getProposals().get(0).setDhGroup(19);
    k8s.client.resource(shared).update();

    eventually(
        () ->
            assertThat(confFiles().entrySet())
                .allSatisfy(
                    e ->
                        assertThat(e.getValue())
                            .contains(isShared(e.getKey()) ? "ecp256" : "modp2048")));
    Map<String, ConfigMap> after = configShards();
    Set<String> rewritten =
        after.keySet().stream()
            .filter(
                n ->
                    !after
                        .get(n)
                        .getMetadata()
                        .getResourceVersion()
                        .equals(before.get(n).getMetadata().getResourceVersion()))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(rewritten).isEqualTo(shardsWithShared);
  }

  @Test
  void restartingTheOperatorWritesNothing() throws InterruptedException {
    Map<String, Map<String, Object>> objectsBefore = objects();
    Map<String, Map<String, String>> volumeBefore = volume();
    writes.recording.set(true);
    k8s.stopOperator();
    k8s.start(settings());
    // the new operator reconciles everything once; give it time to do whatever it would
    Thread.sleep(8000);
    Map<String, Map<String, Object>> objectsAfter = objects();
    assertThat(versions(objectsAfter))
        .withFailMessage(
            () ->
                "rewritten:\n"
                    + VolumeDifferences.objects(objectsBefore, objectsAfter)
                    + "\ndata: "
                    + VolumeDifferences.between(volumeBefore, volume())
                    + "\nwrites since the operator's stop:\n"
                    + String.join("\n", writes.writes()))
        .isEqualTo(versions(objectsBefore));
  }

  /** Every ConfigMap's and Secret's data by kind and name, to say what a rewrite changed. */
  Map<String, Map<String, String>> volume() {
    Map<String, Map<String, String>> data = new TreeMap<>();
    k8s.client
        .configMaps()
        .inNamespace("vpn")
        .list()
        .getItems()
        .forEach(cm -> data.put("ConfigMap/" + cm.getMetadata().getName(), nullSafe(cm.getData())));
    k8s.client
        .secrets()
        .inNamespace("vpn")
        .list()
        .getItems()
        .forEach(s -> data.put("Secret/" + s.getMetadata().getName(), nullSafe(s.getData())));
    return data;
  }

  static Map<String, String> nullSafe(Map<String, String> data) {
    return data == null ? Map.of() : new TreeMap<>(data);
  }

  Map<String, String> versions() {
    return versions(objects());
  }

  static Map<String, String> versions(Map<String, Map<String, Object>> objects) {
    Map<String, String> v = new TreeMap<>();
    objects.forEach(
        (name, object) ->
            v.put(
                name, String.valueOf(((Map<?, ?>) object.get("metadata")).get("resourceVersion"))));
    return v;
  }

  /** Every object of the kinds the operator reads or writes in the namespace, as its JSON tree. */
  @SuppressWarnings("unchecked")
  Map<String, Map<String, Object>> objects() {
    Map<String, Map<String, Object>> objects = new TreeMap<>();
    Stream.of(
            k8s.client.configMaps().inNamespace("vpn").list().getItems(),
            k8s.client.secrets().inNamespace("vpn").list().getItems(),
            k8s.client.apps().deployments().inNamespace("vpn").list().getItems(),
            k8s.client.services().inNamespace("vpn").list().getItems(),
            k8s.client.serviceAccounts().inNamespace("vpn").list().getItems(),
            k8s.client.v1().events().inNamespace("vpn").list().getItems(),
            k8s.client.resources(IpsecPeer.class).inNamespace("vpn").list().getItems(),
            k8s.client.resources(IkeGroup.class).inNamespace("vpn").list().getItems(),
            k8s.client
                .resources(dev.ipsec.operator.api.v1alpha1.EspGroup.class)
                .inNamespace("vpn")
                .list()
                .getItems(),
            k8s.client
                .resources(dev.ipsec.operator.api.v1alpha1.IpsecGlobal.class)
                .inNamespace("vpn")
                .list()
                .getItems())
        .flatMap(l -> l.stream().map(r -> (HasMetadata) r))
        .forEach(
            r ->
                objects.put(
                    r.getKind() + "/" + r.getMetadata().getName(),
                    k8s.json.convertValue(r, Map.class)));
    return objects;
  }

  Map<String, ConfigMap> configShards() {
    return k8s
        .client
        .configMaps()
        .inNamespace("vpn")
        .withLabel(Labels.GATEWAY, "gw")
        .list()
        .getItems()
        .stream()
        .filter(cm -> cm.getMetadata().getName().startsWith("gw-config-"))
        .collect(
            Collectors.toMap(
                cm -> cm.getMetadata().getName(), cm -> cm, (a, b) -> a, TreeMap::new));
  }

  Map<String, String> confFiles() {
    Map<String, String> files = new TreeMap<>();
    configShards()
        .values()
        .forEach(
            cm ->
                cm.getData()
                    .forEach(
                        (k, v) -> {
                          if (ConfigShards.path(k).startsWith("conf.d/")) {
                            files.put(ConfigShards.path(k), v);
                          }
                        }));
    return files;
  }

  static boolean isShared(String path) {
    String peer = path.substring(path.indexOf('/') + 1, path.lastIndexOf('.'));
    return Integer.parseInt(peer.substring("peer-".length())) < SHARED;
  }

  static String name(int i) {
    return "peer-" + i;
  }
}
