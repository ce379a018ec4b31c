package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.CryptoGroupReconcilerTest.condition;
import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.kubelet.VolumeProjections;
import dev.ipsec.operator.reconcile.gateway.GatewayObjects;
import dev.ipsec.operator.reconcile.gateway.GatewayPolicy;
import dev.ipsec.operator.reconcile.ownership.Hashing;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.settings.ConfigTree;
import dev.ipsec.operator.volume.ConfigShards;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A gateway with peers through the real operator: what it writes, and what it reports. */
class GatewayReconcilerTest {

  static final String PSK_A = "correct-horse-battery-staple-a";
  static final String PSK_B = "correct-horse-battery-staple-b";

  OperatorHarness k8s;
  CapturedLogs logs;

  @BeforeEach
  void start() {
    logs = new CapturedLogs();
    // the image change below is one the platform allows: the gateway policy's exact list
    k8s =
        new OperatorHarness()
            .start(
                OperatorHarness.settings()
                    .withGatewayPolicy(
                        new GatewayPolicy(
                            Set.of("registry.test/strongswan:other"),
                            Set.of(),
                            Set.of(),
                            GatewayPolicy.Switch.OFF,
                            GatewayPolicy.Switch.EVERYWHERE,
                            GatewayPolicy.Switch.OFF)));
  }

  @AfterEach
  void stop() {
    k8s.close();
    logs.close();
  }

  @Test
  void gatewayWithPeersGetsItsObjectsAndStatus() {
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk-a", PSK_A));
    k8s.create(TestResources.pskSecret("psk-b", PSK_B));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk-a", 1));
    k8s.create(TestResources.pskPeer("beta", "gw", "ike", "esp", "psk-b", 2));
    // names a Secret that does not exist: invalid, left out, the others still render
    k8s.create(TestResources.pskPeer("broken", "gw", "ike", "esp", "missing", 3));

    eventually(
        () -> {
          Map<String, String> files = projectedConfig("gw");
          assertThat(files)
              .containsKeys(
                  "swanctl.conf", "manifest.json", "conf.d/alpha.conf", "conf.d/beta.conf")
              .doesNotContainKey("revision");
          assertThat(files).doesNotContainKey("conf.d/broken.conf");
          Map<String, String> secretFiles = projectedSecrets("gw");
          assertThat(secretFiles).containsKeys("secrets.d/alpha.conf", "secrets.d/beta.conf");
          assertThat(secretFiles.get("secrets.d/alpha.conf")).contains(PSK_A);
        });

    IpsecPeer broken =
        eventuallyPeer(
            "broken",
            p -> "False".equals(condition(p.getStatus().getConditions(), "Valid").getStatus()));
    assertThat(condition(broken.getStatus().getConditions(), "Valid").getMessage())
        .contains("spec.authentication.preSharedSecret.secretRef")
        .contains("missing");
    assertThat(condition(broken.getStatus().getConditions(), "Ready").getStatus())
        .isEqualTo("False");
    eventually(
        () -> assertThat(events("broken")).extracting(Event::getReason).contains("InvalidSpec"));

    IpsecPeer alpha =
        eventuallyPeer(
            "alpha",
            p -> condition(p.getStatus().getConditions(), "Valid").getStatus().equals("True"));
    assertThat(condition(alpha.getStatus().getConditions(), "Established").getStatus())
        .isEqualTo("Unknown");
    assertThat(condition(alpha.getStatus().getConditions(), "Established").getReason())
        .isEqualTo("AwaitingGateway");
    // valid, but no agent runs it yet: no generation of it is observed as loaded
    assertThat(alpha.getStatus().getObservedGeneration()).isEqualTo(0L);
    assertThat(condition(alpha.getStatus().getConditions(), "ConfigLoaded").getReason())
        .isEqualTo("AwaitingGateway");

    eventually(
        () -> {
          IpsecGlobal gw =
              k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName("gw").get();
          assertThat(gw.getStatus()).isNotNull();
          assertThat(gw.getStatus().getPeers().getConfigured()).isEqualTo(2);
          assertThat(condition(gw.getStatus().getConditions(), "Valid").getMessage())
              .contains("1 peers are invalid");
        });

    Deployment deployment =
        k8s.client.apps().deployments().inNamespace("vpn").withName("gw-gateway").get();
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getServiceAccountName()).isEqualTo("gw-gateway");
    Container charon = pod.getContainers().get(0);
    assertThat(charon.getName()).isEqualTo("charon");
    assertThat(charon.getSecurityContext().getCapabilities().getAdd())
        .containsExactly("NET_ADMIN", "NET_BIND_SERVICE");
    assertThat(pod.getVolumes()).noneMatch(v -> v.getHostPath() != null);
    Container agent = pod.getContainers().get(1);
    assertThat(agent.getArgs())
        .containsExactly(
            "agent",
            "--config-dir",
            "/etc/swanctl",
            "--vici",
            "unix:///run/vici/charon.vici",
            "--listen",
            "0.0.0.0:9460",
            "--probe-listen",
            "0.0.0.0:9461",
            "--tls-cert",
            "/etc/ipsec-operator/agent-tls/tls.crt",
            "--tls-key",
            "/etc/ipsec-operator/agent-tls/tls.key",
            "--client-ca",
            "/etc/ipsec-operator/agent-tls/ca.crt");
    // probes on the plain port, the state API (HTTPS) for the operator alone
    assertThat(agent.getReadinessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("agent-metrics");
    assertThat(agent.getLivenessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("agent-metrics");
    assertThat(agent.getPorts())
        .extracting(p -> p.getName() + "=" + p.getContainerPort())
        .containsExactly("agent=9460", "agent-metrics=9461");
    assertThat(agent.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("agent-tls");
              assertThat(m.getMountPath()).isEqualTo("/etc/ipsec-operator/agent-tls");
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("agent-tls"))
        .singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("gw-agent-tls"));
    assertThat(charon.getVolumeMounts())
        .as("charon gets what the agent loads, never the files or the agent's key")
        .noneMatch(m -> m.getName().equals("agent-tls") || m.getName().equals("swanctl"));
    Secret agentTls = k8s.client.secrets().inNamespace("vpn").withName("gw-agent-tls").get();
    assertThat(agentTls.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(agentTls.getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt");
    assertThat(agentTls.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("IpsecGlobal"));
    assertThat(agent.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(agent.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(deployment.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("IpsecGlobal"));

    ServiceAccount sa =
        k8s.client.serviceAccounts().inNamespace("vpn").withName("gw-gateway").get();
    assertThat(sa.getAutomountServiceAccountToken()).isFalse();
    Service svc = k8s.client.services().inNamespace("vpn").withName("gw-gateway").get();
    assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(svc.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(500, 4500);

    // PSKs only ever in Secrets: not in ConfigMaps, status, Events, the Deployment or any log line
    String everythingElse =
        k8s.json.asJson(k8s.client.configMaps().inNamespace("vpn").list())
            + k8s.json.asJson(k8s.client.resources(IpsecPeer.class).inNamespace("vpn").list())
            + k8s.json.asJson(k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").list())
            + k8s.json.asJson(k8s.client.v1().events().inNamespace("vpn").list())
            + k8s.json.asJson(deployment);
    assertThat(everythingElse).doesNotContain(PSK_A).doesNotContain(PSK_B);
    assertThat(logs.text())
        .contains("created Deployment") // the capture works: the operator's lines are there
        .doesNotContain(PSK_A)
        .doesNotContain(PSK_B)
        .doesNotContain(Base64.getEncoder().encodeToString(PSK_A.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aPeerAddedEditedOrRemovedNeverChangesThePodTemplateButTheGatewayImageDoes() {
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk-a", PSK_A));
    k8s.create(TestResources.pskSecret("psk-b", PSK_B));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk-a", 1));
    eventually(
        () ->
            assertThat(projectedVolume("gw"))
                .containsKeys("conf.d/alpha.conf", "secrets.d/alpha.conf"));
    Deployment initial = deployment("gw");
    String template = templateHash(initial);

    k8s.create(TestResources.pskPeer("beta", "gw", "ike", "esp", "psk-b", 2));
    eventually(
        () ->
            assertThat(projectedVolume("gw"))
                .containsKeys("conf.d/beta.conf", "secrets.d/beta.conf"));
    assertThat(templateHash(deployment("gw"))).isEqualTo(template);

    Map<String, String> shardVersions = shardVersions("gw");
    IpsecPeer alpha =
        k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("alpha").get();
    alpha.getSpec().setRemoteAddresses(List.of("198.51.100.77"));
    k8s.client.resource(alpha).update();
    eventually(
        () -> assertThat(projectedVolume("gw").get("conf.d/alpha.conf")).contains("198.51.100.77"));
    assertThat(templateHash(deployment("gw"))).isEqualTo(template);
    // the edit rewrote the shard that holds alpha (and the root's revision), nothing else
    Map<String, String> changed = new TreeMap<>(shardVersions("gw"));
    changed.entrySet().removeIf(e -> e.getValue().equals(shardVersions.get(e.getKey())));
    String alphaShard = shardHolding("gw", "conf.d..alpha.conf");
    assertThat(changed).containsOnlyKeys(alphaShard, GatewayObjects.rootConfigMapName("gw"));

    k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("beta").delete();
    eventually(
        () ->
            assertThat(projectedVolume("gw"))
                .doesNotContainKeys("conf.d/beta.conf", "secrets.d/beta.conf")
                .containsKey("conf.d/alpha.conf"));
    Deployment afterPeerChanges = deployment("gw");
    assertThat(templateHash(afterPeerChanges)).isEqualTo(template);
    assertThat(afterPeerChanges.getMetadata().getResourceVersion())
        .isEqualTo(initial.getMetadata().getResourceVersion());

    IpsecGlobal gw =
        k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName("gw").get();
    gw.getSpec().getGateway().setImage("registry.test/strongswan:other");
    k8s.client.resource(gw).update();
    eventually(
        () ->
            assertThat(
                    deployment("gw")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("registry.test/strongswan:other"));
    assertThat(templateHash(deployment("gw"))).isNotEqualTo(template);
  }

  Deployment deployment(String gateway) {
    Deployment d =
        k8s.client
            .apps()
            .deployments()
            .inNamespace("vpn")
            .withName(GatewayObjects.workloadName(gateway))
            .get();
    assertThat(d).isNotNull();
    return d;
  }

  static String templateHash(Deployment deployment) {
    return Hashing.ofObject(deployment.getSpec().getTemplate());
  }

  /**
   * Resource version of each of the gateway's ConfigMaps and Secrets that the swanctl volume
   * projects.
   */
  Map<String, String> shardVersions(String gateway) {
    Map<String, String> versions = new TreeMap<>();
    k8s.client
        .configMaps()
        .inNamespace("vpn")
        .withLabel(Labels.GATEWAY, gateway)
        .list()
        .getItems()
        .forEach(
            cm -> versions.put(cm.getMetadata().getName(), cm.getMetadata().getResourceVersion()));
    k8s.client
        .secrets()
        .inNamespace("vpn")
        .withLabel(Labels.GATEWAY, gateway)
        .list()
        .getItems()
        .forEach(
            s -> versions.put(s.getMetadata().getName(), s.getMetadata().getResourceVersion()));
    versions.remove(GatewayObjects.strongswanConfigMapName(gateway));
    versions.remove(GatewayObjects.agentTlsSecretName(gateway));
    return versions;
  }

  String shardHolding(String gateway, String key) {
    return k8s
        .client
        .configMaps()
        .inNamespace("vpn")
        .withLabel(Labels.GATEWAY, gateway)
        .list()
        .getItems()
        .stream()
        .filter(cm -> cm.getData().containsKey(key))
        .map(cm -> cm.getMetadata().getName())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void deletingAPeerRemovesItsFiles() {
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk-a", PSK_A));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk-a", 1));
    k8s.create(TestResources.pskPeer("beta", "gw", "ike", "esp", "psk-a", 2));
    eventually(
        () ->
            assertThat(projectedConfig("gw"))
                .containsKeys("conf.d/alpha.conf", "conf.d/beta.conf"));
    k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("beta").delete();
    eventually(
        () -> {
          assertThat(projectedConfig("gw"))
              .containsKey("conf.d/alpha.conf")
              .doesNotContainKey("conf.d/beta.conf");
          assertThat(projectedSecrets("gw")).doesNotContainKey("secrets.d/beta.conf");
        });
  }

  @Test
  void aPeerMovedToAnotherGatewayLeavesTheFirst() {
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk-a", PSK_A));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.gateway("gw2"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk-a", 1));
    k8s.create(TestResources.pskPeer("beta", "gw", "ike", "esp", "psk-a", 2));
    eventually(
        () ->
            assertThat(projectedConfig("gw"))
                .containsKeys("conf.d/alpha.conf", "conf.d/beta.conf"));

    IpsecPeer beta =
        k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("beta").get();
    beta.getSpec().setGateway("gw2");
    k8s.client.resource(beta).update();
    eventually(
        () -> {
          assertThat(projectedConfig("gw2")).containsKey("conf.d/beta.conf");
          assertThat(projectedConfig("gw"))
              .containsKey("conf.d/alpha.conf")
              .doesNotContainKey("conf.d/beta.conf");
          assertThat(projectedSecrets("gw")).doesNotContainKey("secrets.d/beta.conf");
          IpsecGlobal gw =
              k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName("gw").get();
          assertThat(gw.getStatus().getPeers().getConfigured()).isEqualTo(1);
        });
  }

  @Test
  void aCaConfigMapReachesThePeersThatUseItAndTheirGateways() throws IOException {
    ConfigMap ca = null;
    try (var in =
        Files.newInputStream(
            dev.ipsec.operator.api.ProjectFiles.root()
                .resolve("examples/x509/x509-site-to-site.yaml"))) {
      for (var r : k8s.client.load(in).items()) {
        r.getMetadata().setNamespace("vpn");
        if (r instanceof ConfigMap cm) {
          ca = cm; // comes later
        } else {
          k8s.client.resource(r).create();
        }
      }
    }
    assertThat(ca).isNotNull();
    String caPem = ca.getData().get("ca.crt");
    IpsecPeer waiting =
        eventuallyPeer(
            "x509-to-site-b",
            p -> "False".equals(condition(p.getStatus().getConditions(), "Valid").getStatus()));
    assertThat(condition(waiting.getStatus().getConditions(), "Valid").getMessage())
        .contains("vpn-ca");

    // the CA appears: the peer becomes valid and its gateway renders the certificate
    k8s.client.resource(ca).create();
    eventuallyPeer(
        "x509-to-site-b",
        p -> "True".equals(condition(p.getStatus().getConditions(), "Valid").getStatus()));
    eventually(
        () -> {
          Map<String, String> files = projectedConfig("x509-site-a");
          assertThat(files).containsKey("conf.d/x509-to-site-b.conf");
          assertThat(files.entrySet())
              .filteredOn(e -> e.getKey().startsWith("x509ca/"))
              .singleElement()
              .satisfies(e -> assertThat(e.getValue()).isEqualTo(caPem));
        });

    // the key the peers name goes away: the peer is invalid again, and its last valid
    // configuration, CA included, keeps running as it was (a refused commit)
    Map<String, String> running = projectedConfig("x509-site-a");
    ConfigMap edited = k8s.client.configMaps().inNamespace("vpn").withName("vpn-ca").get();
    edited.setData(Map.of("renamed.crt", caPem));
    k8s.client.resource(edited).update();
    IpsecPeer invalid =
        eventuallyPeer(
            "x509-to-site-b",
            p -> "False".equals(condition(p.getStatus().getConditions(), "Valid").getStatus()));
    assertThat(condition(invalid.getStatus().getConditions(), "Valid").getMessage())
        .contains("vpn-ca");
    // the revision moves with the ConfigMap's version; the files stay byte for byte
    eventually(
        () -> {
          Map<String, String> now = projectedConfig("x509-site-a");
          assertThat(now.get("manifest.json")).isNotEqualTo(running.get("manifest.json"));
          now.remove("manifest.json");
          Map<String, String> files = new TreeMap<>(running);
          files.remove("manifest.json");
          assertThat(now).isEqualTo(files);
        });

    // deleting the peer deletes its configuration: nothing is kept for a peer that is gone
    k8s.client.resource(invalid).delete();
    eventually(
        () ->
            assertThat(projectedConfig("x509-site-a").keySet())
                .noneMatch(k -> k.startsWith("x509ca/") || k.equals("conf.d/x509-to-site-b.conf")));
  }

  /**
   * The swanctl volume of the Deployment's pod template as the kubelet projects it (every key of
   * every source, missing optional sources skipped), by the logical path the agent reads each flat
   * file as.
   */
  Map<String, String> projectedVolume(String gateway) {
    Volume swanctl =
        deployment(gateway).getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("swanctl"))
            .findFirst()
            .orElseThrow();
    Map<String, byte[]> payload =
        VolumeProjections.payload(
                swanctl,
                name -> k8s.client.configMaps().inNamespace("vpn").withName(name).get(),
                name -> k8s.client.secrets().inNamespace("vpn").withName(name).get())
            .orElseThrow();
    Map<String, String> files = new TreeMap<>();
    payload.forEach(
        (name, content) ->
            files.put(
                ConfigTree.decode(name).orElse(name), new String(content, StandardCharsets.UTF_8)));
    return files;
  }

  IpsecPeer eventuallyPeer(String name, Predicate<IpsecPeer> until) {
    var ref = new AtomicReference<IpsecPeer>();
    eventually(
        () -> {
          IpsecPeer p =
              k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName(name).get();
          assertThat(p.getStatus()).isNotNull();
          assertThat(until.test(p)).isTrue();
          ref.set(p);
        });
    return ref.get();
  }

  List<Event> events(String about) {
    return k8s.client.v1().events().inNamespace("vpn").list().getItems().stream()
        .filter(e -> about.equals(e.getInvolvedObject().getName()))
        .collect(Collectors.toList());
  }

  /** The swanctl directory as the kubelet would project it from the gateway's ConfigMaps. */
  Map<String, String> projectedConfig(String gateway) {
    Map<String, String> files = new TreeMap<>();
    for (ConfigMap cm :
        k8s.client
            .configMaps()
            .inNamespace("vpn")
            .withLabel(Labels.GATEWAY, gateway)
            .list()
            .getItems()) {
      if (cm.getMetadata().getName().equals(GatewayObjects.strongswanConfigMapName(gateway))) {
        continue;
      }
      cm.getData().forEach((k, v) -> files.put(ConfigShards.path(k), v));
    }
    return files;
  }

  Map<String, String> projectedSecrets(String gateway) {
    Map<String, String> files = new TreeMap<>();
    for (Secret s :
        k8s.client
            .secrets()
            .inNamespace("vpn")
            .withLabel(Labels.GATEWAY, gateway)
            .list()
            .getItems()) {
      if (s.getMetadata().getName().equals(GatewayObjects.agentTlsSecretName(gateway))) {
        continue; // the agent's own volume, not the swanctl directory
      }
      s.getData()
          .forEach(
              (k, v) ->
                  files.put(
                      ConfigShards.path(k),
                      new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    return files;
  }
}
