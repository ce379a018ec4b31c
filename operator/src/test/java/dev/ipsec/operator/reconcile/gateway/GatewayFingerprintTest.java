package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.TestResources;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each input of a gateway's full reconcile, other than its agents' reports, changes the
 * fingerprint, so that its change takes the full path (render, plan, write: drift reverted, pods
 * followed, peers written); and what the operator writes into statuses does not, so that a status
 * write never forces one.
 */
class GatewayFingerprintTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** Everything one fingerprint is made of; each case changes one thing of a copy. */
  static final class World {
    IpsecGlobal gateway = versioned(TestResources.gateway("gw"), "gw-uid", 1L, "100");
    List<IpsecPeer> peers =
        new ArrayList<>(
            List.of(
                versioned(
                    TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1),
                    "alpha-uid",
                    1L,
                    "101"),
                versioned(x509Peer("beta"), "beta-uid", 3L, "102")));
    Map<String, IkeGroup> ikeGroups =
        new TreeMap<>(
            Map.of("ike", versioned(TestResources.ikeGroup("ike", 14), "ike-uid", 1L, "1")));
    Map<String, EspGroup> espGroups =
        new TreeMap<>(Map.of("esp", versioned(TestResources.espGroup("esp"), "esp-uid", 1L, "2")));
    Map<String, Secret> secrets =
        new TreeMap<>(
            Map.of(
                "psk",
                    versioned(
                        TestResources.pskSecret("psk", "not-in-any-hash"), "psk-uid", null, "3"),
                "beta-tls",
                    versioned(TestResources.pskSecret("beta-tls", "x"), "tls-uid", null, "4")));
    Map<String, ConfigMap> configMaps =
        new TreeMap<>(Map.of("beta-ca", configMap("beta-ca", "ca-uid", "5")));
    List<HasMetadata> owned =
        new ArrayList<>(
            List.of(
                configMap("gw-config-0", "shard-uid", "10"),
                configMap("gw-swanctl", "root-uid", "11"),
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName("gw-gateway")
                    .withUid("deploy-uid")
                    .withResourceVersion("12")
                    .endMetadata()
                    .build(),
                new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName("gw-gateway-rs")
                    .withUid("rs-uid")
                    .withResourceVersion("13")
                    .endMetadata()
                    .build(),
                pod("gw-gateway-pod0", "pod0-uid", "14"),
                pod("gw-gateway-pod1", "pod1-uid", "15")));
    GatewayDefaults defaults = GatewayDefaults.defaults();
    GatewayPolicy policy = GatewayPolicy.defaults();

    GatewayFingerprint fingerprint() {
      return GatewayFingerprint.of(
          gateway,
          peers,
          new GatewayFingerprint.Lookups(
              n -> Optional.ofNullable(ikeGroups.get(n)),
              n -> Optional.ofNullable(espGroups.get(n)),
              n -> Optional.ofNullable(secrets.get(n)),
              n -> Optional.ofNullable(configMaps.get(n))),
          owned,
          defaults,
          policy);
    }

    IpsecPeer peer(String name) {
      return peers.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst().get();
    }

    HasMetadata owned(String name) {
      return owned.stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst().get();
    }
  }

  static Stream<Arguments> inputChanges() {
    return Stream.of(
        change("the IpsecGlobal's spec is edited", w -> w.gateway.getMetadata().setGeneration(2L)),
        change(
            "the IpsecGlobal is deleted and created again",
            w -> w.gateway.getMetadata().setUid("gw-uid-2")),
        change(
            "the IpsecGlobal is being deleted",
            w -> w.gateway.getMetadata().setDeletionTimestamp("2026-12-06T16:00:00Z")),
        change("a peer's spec is edited", w -> w.peer("alpha").getMetadata().setGeneration(2L)),
        change(
            "a peer is deleted and created again",
            w -> w.peer("alpha").getMetadata().setUid("alpha-uid-2")),
        change(
            "a peer is being deleted",
            w -> w.peer("alpha").getMetadata().setDeletionTimestamp("2026-12-06T16:00:00Z")),
        change(
            "a peer is added",
            w ->
                w.peers.add(
                    versioned(
                        TestResources.pskPeer("gamma", "gw", "ike", "esp", "psk", 3),
                        "gamma-uid",
                        1L,
                        "103"))),
        change("a peer is deleted or moves to another gateway", w -> w.peers.remove(0)),
        change(
            "the IkeGroup's spec is edited",
            w -> w.ikeGroups.get("ike").getMetadata().setGeneration(2L)),
        change("the IkeGroup is deleted", w -> w.ikeGroups.clear()),
        change(
            "the IkeGroup is deleted and created again",
            w -> w.ikeGroups.get("ike").getMetadata().setUid("ike-uid-2")),
        change(
            "the EspGroup's spec is edited",
            w -> w.espGroups.get("esp").getMetadata().setGeneration(2L)),
        change("the EspGroup is deleted", w -> w.espGroups.clear()),
        change(
            "a referenced Secret is edited",
            w -> w.secrets.get("psk").getMetadata().setResourceVersion("30")),
        change(
            "a referenced Secret is deleted and created again",
            w -> w.secrets.get("psk").getMetadata().setUid("psk-uid-2")),
        change("a referenced Secret is deleted", w -> w.secrets.remove("psk")),
        change(
            "a Secret that was missing appears",
            w -> {
              w.secrets.remove("beta-tls");
              w.secrets.put(
                  "beta-tls",
                  versioned(TestResources.pskSecret("beta-tls", "y"), "tls-uid-2", null, "40"));
            }),
        change(
            "a referenced ConfigMap (a CA bundle) is edited",
            w -> w.configMaps.get("beta-ca").getMetadata().setResourceVersion("50")),
        change("a referenced ConfigMap is deleted", w -> w.configMaps.clear()),
        change(
            "an owned ConfigMap shard is edited by someone else (drift to revert)",
            w -> w.owned("gw-config-0").getMetadata().setResourceVersion("60")),
        change("an owned ConfigMap shard is deleted", w -> w.owned.remove(w.owned("gw-config-0"))),
        change(
            "the gateway's Deployment is edited or its status moves",
            w -> w.owned("gw-gateway").getMetadata().setResourceVersion("61")),
        change(
            "the Deployment is deleted and created again",
            w -> w.owned("gw-gateway").getMetadata().setUid("deploy-uid-2")),
        change(
            "the ReplicaSet changes",
            w -> w.owned("gw-gateway-rs").getMetadata().setResourceVersion("62")),
        change("a pod is deleted", w -> w.owned.remove(w.owned("gw-gateway-pod1"))),
        change("a pod is added", w -> w.owned.add(pod("gw-gateway-pod2", "pod2-uid", "63"))),
        change(
            "a pod's readiness or annotation changes",
            w -> w.owned("gw-gateway-pod0").getMetadata().setResourceVersion("64")),
        change(
            "an owned object is being deleted",
            w -> w.owned("gw-swanctl").getMetadata().setDeletionTimestamp("2026-12-06T16:00:00Z")),
        change(
            "the operator's gateway defaults differ",
            w -> w.defaults = w.defaults.withAgentPorts(9999, w.defaults.agentMetricsPort())),
        change(
            "the operator's gateway policy differs",
            w -> w.policy = GatewayPolicy.permissive(Set.of("registry.example/"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputChanges")
  void anInputChangeForcesTheFullPath(String what, Consumer<World> change) {
    GatewayFingerprint before = new World().fingerprint();
    World changed = new World();
    change.accept(changed);

    assertThat(changed.fingerprint()).as(what).isNotEqualTo(before);
  }

  static Stream<Arguments> statusWrites() {
    return Stream.of(
        change(
            "the IpsecGlobal's status is written",
            w -> {
              w.gateway.setStatus(new IpsecGlobalStatus());
              w.gateway.getMetadata().setResourceVersion("200");
            }),
        change(
            "a peer's status is written (Established, runningGeneration)",
            w -> {
              w.peer("alpha").setStatus(new IpsecPeerStatus());
              w.peer("alpha").getMetadata().setResourceVersion("201");
            }),
        change(
            "a group's status is written",
            w -> w.ikeGroups.get("ike").getMetadata().setResourceVersion("202")),
        change(
            "the owned objects come from the informers in another order",
            w -> java.util.Collections.reverse(w.owned)),
        change(
            "a Secret no peer names changes",
            w ->
                w.secrets.put(
                    "unrelated",
                    versioned(TestResources.pskSecret("unrelated", "z"), "u", null, "7"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statusWrites")
  void whatTheOperatorWritesIntoStatusesKeepsTheFingerprint(String what, Consumer<World> change) {
    GatewayFingerprint before = new World().fingerprint();
    World changed = new World();
    change.accept(changed);

    assertThat(changed.fingerprint()).as(what).isEqualTo(before);
  }

  @Test
  void theFingerprintHoldsNoSecretValue() {
    assertThat(new World().fingerprint().toString()).doesNotContain("not-in-any-hash");
  }

  private static Arguments change(String what, Consumer<World> change) {
    return Arguments.of(what, change);
  }

  private static <R extends HasMetadata> R versioned(
      R resource, String uid, Long generation, String resourceVersion) {
    resource.getMetadata().setUid(uid);
    resource.getMetadata().setGeneration(generation);
    resource.getMetadata().setResourceVersion(resourceVersion);
    return resource;
  }

  private static ConfigMap configMap(String name, String uid, String resourceVersion) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("vpn")
        .withUid(uid)
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .build();
  }

  private static Pod pod(String name, String uid, String resourceVersion) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("vpn")
        .withUid(uid)
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .build();
  }

  /** An x509 peer: it names a certificate Secret and a CA ConfigMap besides its groups. */
  private static IpsecPeer x509Peer(String name) {
    return JSON.unmarshal(
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecPeer
        metadata: {name: %s, namespace: vpn}
        spec:
          gateway: gw
          ikeGroup: ike
          defaultEspGroup: esp
          localAddress: 192.0.2.1
          remoteAddresses: [198.51.100.9]
          authentication:
            mode: x509
            x509:
              certificate: {name: %s-tls}
              caCertificates:
                - configMapRef: {name: %s-ca, key: ca.crt}
          tunnels:
            - id: 1
              local: {prefixes: [192.0.2.0/28]}
              remote: {prefixes: [203.0.113.9/32]}
        """
            .formatted(name, name, name),
        IpsecPeer.class);
  }
}
