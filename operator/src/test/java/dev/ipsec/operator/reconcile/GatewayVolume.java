package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.testing.TestManifests;
import dev.ipsec.operator.volume.ConfigShards;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * What a test sees of a gateway's configuration volume in the mock API server: each peer's files in
 * the shards (secret files as their base64 text), the revision, and the resource versions of
 * everything in the namespace, to tell that nothing was written.
 */
final class GatewayVolume {

  private final KubernetesClient client;
  private final String gateway;

  GatewayVolume(KubernetesClient client, String gateway) {
    this.client = client;
    this.gateway = gateway;
  }

  /** The files of {@code peer} in the shards, by path, as the objects store them. */
  SortedMap<String, String> peerFiles(String peer, Set<String> peers) {
    SortedMap<String, String> files = new TreeMap<>();
    for (ConfigMap cm :
        client
            .configMaps()
            .inNamespace("vpn")
            .withLabel(Labels.GATEWAY, gateway)
            .list()
            .getItems()) {
      if (cm.getMetadata().getName().startsWith(gateway + "-config-")) {
        cm.getData().forEach((k, v) -> add(files, peer, peers, k, v));
      }
    }
    for (Secret s :
        client.secrets().inNamespace("vpn").withLabel(Labels.GATEWAY, gateway).list().getItems()) {
      if (s.getMetadata().getName().startsWith(gateway + "-secrets-")) {
        s.getData().forEach((k, v) -> add(files, peer, peers, k, v));
      }
    }
    return files;
  }

  private static void add(
      SortedMap<String, String> files, String peer, Set<String> peers, String key, String value) {
    String path = ConfigShards.path(key);
    if (ConfigShards.owner(path, peers).equals(peer)) {
      files.put(path, value);
    }
  }

  /** The revision the root ConfigMap's manifest names. */
  String revision() {
    return publicManifest().revision();
  }

  /**
   * Every public file the manifests list, through the tree: the root ConfigMap's manifest and the
   * config shards' manifests it lists, with the root's revision.
   */
  ConfigManifest publicManifest() {
    Map<String, byte[]> volume = new TreeMap<>();
    for (ConfigMap cm :
        client
            .configMaps()
            .inNamespace("vpn")
            .withLabel(Labels.GATEWAY, gateway)
            .list()
            .getItems()) {
      String name = cm.getMetadata().getName();
      if (name.equals(gateway + "-swanctl") || name.startsWith(gateway + "-config-")) {
        cm.getData().forEach((k, v) -> volume.put(k, v.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return TestManifests.listing(volume, ConfigManifest.Side.PUBLIC);
  }

  List<Event> events(String about, String reason) {
    return client.v1().events().inNamespace("vpn").list().getItems().stream()
        .filter(e -> about.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  /** Kind/name -> resourceVersion of everything the operator or a user could write. */
  Map<String, String> versions() {
    Map<String, String> v = new TreeMap<>();
    Stream.of(
            client.configMaps().inNamespace("vpn").list().getItems(),
            client.secrets().inNamespace("vpn").list().getItems(),
            client.apps().deployments().inNamespace("vpn").list().getItems(),
            client.services().inNamespace("vpn").list().getItems(),
            client.serviceAccounts().inNamespace("vpn").list().getItems(),
            client.v1().events().inNamespace("vpn").list().getItems(),
            client.resources(IpsecPeer.class).inNamespace("vpn").list().getItems(),
            client.resources(IkeGroup.class).inNamespace("vpn").list().getItems(),
            client.resources(EspGroup.class).inNamespace("vpn").list().getItems(),
            client.resources(IpsecGlobal.class).inNamespace("vpn").list().getItems())
        .flatMap(l -> l.stream().map(r -> (HasMetadata) r))
        .forEach(
            r ->
                v.put(
                    r.getKind() + "/" + r.getMetadata().getName(),
                    r.getMetadata().getResourceVersion()));
    return v;
  }

  /** Waits until nothing in the namespace changes for two seconds: the operator has settled. */
  void awaitQuiet() {
    var last = new AtomicReference<Map<String, String>>(Map.of());
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              Map<String, String> now = versions();
              return now.equals(last.getAndSet(now));
            });
  }
}
