package dev.ipsec.operator.cli;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.peer.GatewayInputAssembler;
import dev.ipsec.operator.render.GatewayInput;
import dev.ipsec.operator.render.ReferencedData;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Resolves references among resources read from files, as the operator does among resources in the
 * cluster: peers to their IpsecGlobal by {@code spec.gateway}, groups and Secrets by name, all
 * within one namespace (unset means "default").
 */
final class GatewayInputs {

  private final List<HasMetadata> resources;

  GatewayInputs(List<HasMetadata> resources) {
    this.resources = List.copyOf(resources);
  }

  List<IpsecGlobal> gateways() {
    return of(IpsecGlobal.class).stream()
        .sorted(Comparator.comparing(g -> g.getMetadata().getName()))
        .toList();
  }

  List<IpsecPeer> peers() {
    return of(IpsecPeer.class);
  }

  List<IkeGroup> ikeGroups() {
    return of(IkeGroup.class);
  }

  List<EspGroup> espGroups() {
    return of(EspGroup.class);
  }

  /** The input of one gateway: its peers, and the groups and data of its namespace. */
  GatewayInput inputFor(IpsecGlobal gateway) {
    String namespace = namespace(gateway);
    List<IpsecPeer> peers = peersOf(gateway);
    Map<String, IkeGroup> ike = byName(IkeGroup.class, namespace);
    Map<String, EspGroup> esp = byName(EspGroup.class, namespace);
    Map<String, Map<String, byte[]>> secrets = new HashMap<>();
    Map<String, String> secretUids = new HashMap<>();
    for (Secret secret : byName(Secret.class, namespace).values()) {
      secrets.put(secret.getMetadata().getName(), secretData(secret));
      // exported with kubectl get -o yaml, a Secret keeps its uid: the rendering records it as the
      // operator does (RenderedFrom), so the files are the operator's byte for byte
      if (secret.getMetadata().getUid() != null) {
        secretUids.put(secret.getMetadata().getName(), secret.getMetadata().getUid());
      }
    }
    Map<String, Map<String, String>> configMaps = new HashMap<>();
    for (ConfigMap configMap : byName(ConfigMap.class, namespace).values()) {
      configMaps.put(
          configMap.getMetadata().getName(),
          configMap.getData() == null ? Map.of() : Map.copyOf(configMap.getData()));
    }
    return new GatewayInput(
        gateway, peers, ike, esp, ReferencedData.of(secrets, configMaps, secretUids));
  }

  /**
   * The fingerprints of the Secrets and ConfigMaps the gateway's peers refer to, by the operator's
   * own function, over the metadata in the files: {@code uid} and {@code resourceVersion} as {@code
   * kubectl get -o yaml} exports them give the operator's revision exactly; files without them give
   * a revision of their own, the same on every run.
   */
  SortedMap<String, String> referenceVersions(IpsecGlobal gateway) {
    String namespace = namespace(gateway);
    Map<String, Secret> secrets = byName(Secret.class, namespace);
    Map<String, ConfigMap> configMaps = byName(ConfigMap.class, namespace);
    return GatewayInputAssembler.referenceVersions(
        peersOf(gateway),
        n -> Optional.ofNullable(secrets.get(n)),
        n -> Optional.ofNullable(configMaps.get(n)));
  }

  private List<IpsecPeer> peersOf(IpsecGlobal gateway) {
    String namespace = namespace(gateway);
    String name = gateway.getMetadata().getName();
    List<IpsecPeer> peers = new ArrayList<>();
    for (IpsecPeer peer : of(IpsecPeer.class)) {
      if (namespace.equals(namespace(peer))
          && peer.getSpec() != null
          && name.equals(peer.getSpec().getGateway())) {
        peers.add(peer);
      }
    }
    return peers;
  }

  /** The peer {@code name} of {@code namespace}, if the files hold it. */
  Optional<IpsecPeer> peer(String namespace, String name) {
    return Optional.ofNullable(byName(IpsecPeer.class, namespace).get(name));
  }

  /** Whether the files hold the Secret {@code name} of {@code namespace}. */
  boolean hasSecret(String namespace, String name) {
    return byName(Secret.class, namespace).containsKey(name);
  }

  /** {@code data} is base64 as in the API; {@code stringData} wins, as the API server merges it. */
  static Map<String, byte[]> secretData(Secret secret) {
    Map<String, byte[]> data = new TreeMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, Base64.getMimeDecoder().decode(v)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    return data;
  }

  static String namespace(HasMetadata resource) {
    return Objects.requireNonNullElse(resource.getMetadata().getNamespace(), "default");
  }

  private <T extends HasMetadata> List<T> of(Class<T> type) {
    return resources.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(r -> r.getMetadata() != null && r.getMetadata().getName() != null)
        .toList();
  }

  private <T extends HasMetadata> Map<String, T> byName(Class<T> type, String namespace) {
    Map<String, T> map = new TreeMap<>();
    for (T resource : of(type)) {
      if (namespace.equals(namespace(resource))) {
        map.put(resource.getMetadata().getName(), resource);
      }
    }
    return map;
  }
}
