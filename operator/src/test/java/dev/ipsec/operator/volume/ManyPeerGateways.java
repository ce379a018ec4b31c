package dev.ipsec.operator.volume;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.PreSharedSecret;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import dev.ipsec.operator.api.v1alpha1.TrafficSelector;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.reconcile.TestResources;
import dev.ipsec.operator.render.GatewayInput;
import dev.ipsec.operator.render.GatewayRenderer;
import dev.ipsec.operator.render.ReferencedData;
import dev.ipsec.operator.render.RenderedGateway;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateways of many peers alike, rendered as the operator renders them but without an API server,
 * for what fits on one gateway: the planner decides that from the rendering alone.
 */
final class ManyPeerGateways {

  static final SortedMap<String, String> VERSIONS =
      new TreeMap<>(Map.of("Secret/psk", "uid-psk@1"));

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final Pattern KIND = Pattern.compile("(?m)^kind:\\s*(\\S+)");
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "IkeGroup", IkeGroup.class,
          "EspGroup", EspGroup.class,
          "IpsecPeer", IpsecPeer.class,
          "IpsecGlobal", IpsecGlobal.class,
          "Secret", Secret.class,
          "ConfigMap", ConfigMap.class);

  private ManyPeerGateways() {}

  /**
   * {@code n} PSK peers {@code peer-0..} as {@link TestResources#pskPeer} makes them (the peer of
   * {@code ScaleBenchmark}: one tunnel, one remote address), on one gateway.
   */
  static RenderedGateway psk(int n) {
    List<IpsecPeer> peers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      peers.add(pskPeer(i));
    }
    return new GatewayRenderer()
        .render(
            new GatewayInput(
                TestResources.gateway("gw"),
                peers,
                Map.of("ike", TestResources.ikeGroup("ike", 14)),
                Map.of("esp", TestResources.espGroup("esp")),
                ReferencedData.of(
                    Map.of("psk", Map.of("psk", "a-psk-of-twenty-bytes".getBytes(UTF_8))),
                    Map.of())));
  }

  /**
   * {@link TestResources#pskPeer}{@code ("peer-<n>", "gw", "ike", "esp", "psk", n)}, built with
   * setters: parsing its YAML takes a millisecond, ten seconds for a gateway of the size.
   */
  static IpsecPeer pskPeer(int n) {
    IpsecPeer peer = new IpsecPeer();
    peer.setMetadata(new ObjectMetaBuilder().withName("peer-" + n).withNamespace("vpn").build());
    IpsecPeerSpec spec = new IpsecPeerSpec();
    spec.setGateway("gw");
    spec.setIkeGroup("ike");
    spec.setDefaultEspGroup("esp");
    spec.setLocalAddress("192.0.2.1");
    spec.setRemoteAddresses(new ArrayList<>(List.of("198.51.100." + (n % 250 + 1))));
    PeerAuthentication auth = new PeerAuthentication();
    auth.setMode(AuthenticationMode.PRE_SHARED_SECRET);
    auth.setRemoteId("peer-" + n + ".example");
    auth.setPreSharedSecret(new PreSharedSecret(new SecretKeyRef("psk", "psk")));
    spec.setAuthentication(auth);
    Tunnel tunnel = new Tunnel();
    tunnel.setId(1);
    TrafficSelector local = new TrafficSelector();
    local.setPrefixes(new ArrayList<>(List.of("192.0.2.0/28")));
    TrafficSelector remote = new TrafficSelector();
    remote.setPrefixes(new ArrayList<>(List.of("203.0.113." + (n % 250 + 1) + "/32")));
    tunnel.setLocal(local);
    tunnel.setRemote(remote);
    spec.setTunnels(new ArrayList<>(List.of(tunnel)));
    peer.setSpec(spec);
    return peer;
  }

  /**
   * {@code n} copies {@code peer-0..} of the one peer of {@code gateway} in an example file, with
   * the groups, Secrets and ConfigMaps of that file.
   */
  static RenderedGateway example(Path file, String gateway, int n) throws IOException {
    List<HasMetadata> resources = new ArrayList<>();
    for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
      Matcher kind = KIND.matcher(doc);
      if (kind.find() && KINDS.containsKey(kind.group(1))) {
        resources.add(JSON.unmarshal(doc, KINDS.get(kind.group(1))));
      }
    }
    IpsecGlobal global = null;
    IpsecPeer template = null;
    Map<String, IkeGroup> ike = new HashMap<>();
    Map<String, EspGroup> esp = new HashMap<>();
    Map<String, Map<String, byte[]>> secrets = new HashMap<>();
    Map<String, Map<String, String>> configMaps = new HashMap<>();
    for (HasMetadata r : resources) {
      String name = r.getMetadata().getName();
      if (r instanceof IpsecGlobal g && name.equals(gateway)) {
        global = g;
      } else if (r instanceof IpsecPeer p && gateway.equals(p.getSpec().getGateway())) {
        template = p;
      } else if (r instanceof IkeGroup g) {
        ike.put(name, g);
      } else if (r instanceof EspGroup g) {
        esp.put(name, g);
      } else if (r instanceof Secret s) {
        Map<String, byte[]> data = new HashMap<>();
        s.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        secrets.put(name, data);
      } else if (r instanceof ConfigMap c) {
        configMaps.put(name, c.getData());
      }
    }
    if (global == null || template == null) {
      throw new IllegalArgumentException(file + " has no gateway " + gateway + " with a peer");
    }
    List<IpsecPeer> peers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      IpsecPeer peer = JSON.clone(template);
      peer.getMetadata().setName("peer-" + i);
      peers.add(peer);
    }
    return new GatewayRenderer()
        .render(new GatewayInput(global, peers, ike, esp, ReferencedData.of(secrets, configMaps)));
  }

  /** The rendering of the first {@code n} peers ({@code peer-0..}) alone. */
  static RenderedGateway first(RenderedGateway all, int n) {
    Set<String> connections = all.connections().keySet();
    SortedMap<String, RenderedGateway.RenderedConnection> kept = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      kept.put("peer-" + i, all.connections().get("peer-" + i));
    }
    SortedMap<String, String> config = new TreeMap<>();
    all.configFiles()
        .forEach(
            (path, text) -> {
              String owner = ConfigShards.owner(path, connections);
              if (!connections.contains(owner) || kept.containsKey(owner)) {
                config.put(path, text);
              }
            });
    SortedMap<String, byte[]> secret = new TreeMap<>();
    all.secretFiles()
        .forEach(
            (path, bytes) -> {
              if (kept.containsKey(ConfigShards.owner(path, connections))) {
                secret.put(path, bytes);
              }
            });
    return new RenderedGateway(
        config, secret, all.strongswanConf(), kept, new TreeMap<>(), all.gatewayErrors());
  }

  /**
   * The most peers {@code peer-0..peer-(n-1)} of {@code all} that fit on the gateway together: once
   * a shard overflows, adding peers never makes room, so the first that does not fit is found by
   * bisection.
   */
  static int ceiling(ConfigVolumePlanner planner, RenderedGateway all) {
    int fits = 0;
    int fails = all.connections().size();
    if (fits(planner, all, fails)) {
      throw new IllegalArgumentException(fails + " peers all fit: render more");
    }
    while (fails - fits > 1) {
      int mid = (fits + fails) >>> 1;
      if (fits(planner, all, mid)) {
        fits = mid;
      } else {
        fails = mid;
      }
    }
    return fits;
  }

  private static boolean fits(ConfigVolumePlanner planner, RenderedGateway all, int n) {
    return planner.plan(first(all, n), VERSIONS, 0, 0).leftOut().isEmpty();
  }
}
