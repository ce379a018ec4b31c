package dev.ipsec.operator.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kubelet stand-in's API side, with a runtime that records what it is asked to do. */
class KubeletStandInTest {
  private EmbeddedApiServer server;
  private KubernetesClient client;
  private RecordingRuntime runtime;
  private KubeletStandIn kubelet;

  @BeforeEach
  void start() {
    server = new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0);
    client = server.client();
    runtime = new RecordingRuntime();
    kubelet = new KubeletStandIn(client, "default", runtime, Duration.ofHours(1));
    client
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("gw-config")
                .endMetadata()
                .addToData("swanctl.conf", "include conf.d/*.conf\n")
                .addToData("conf.d_a.conf", "connections { a {} }\n")
                .build())
        .create();
    client
        .secrets()
        .inNamespace("default")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("gw-secrets")
                .endMetadata()
                .addToData(
                    "secrets.d_a.conf",
                    Base64.getEncoder().encodeToString("secret".getBytes(UTF_8)))
                .build())
        .create();
  }

  @AfterEach
  void stop() {
    kubelet.close();
    server.close();
  }

  @Test
  void runsTheRequestedPodsWithProjectedVolumesAndPublishesThem() {
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(deployment("gw", 2, "img:1"))
        .create();
    kubelet.syncOnce();

    List<Pod> pods = client.pods().inNamespace("default").list().getItems();
    assertThat(pods).hasSize(2);
    assertThat(pods)
        .allSatisfy(
            p -> {
              assertThat(p.getStatus().getPodIP()).startsWith("192.0.2.");
              assertThat(p.getStatus().getPhase()).isEqualTo("Running");
              assertThat(p.getMetadata().getLabels()).containsEntry("app", "gw");
            });
    Map<String, byte[]> config =
        runtime.started.get(pods.get(0).getMetadata().getName()).get("config");
    assertThat(config.keySet())
        .containsExactlyInAnyOrder("swanctl.conf", "conf.d/a.conf", "secrets.d/a.conf");
    assertThat(new String(config.get("secrets.d/a.conf"), UTF_8)).isEqualTo("secret");
  }

  @Test
  void aDeploymentWrittenBetweenPassesIsRunAtOnceNotAtTheNextPeriod() {
    // passes every hour: after the first, only the watch event of a new Deployment starts a pass
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(deployment("first", 1, "img:1"))
        .create();
    kubelet.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> runtime.started.size() == 1);

    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(deployment("second", 1, "img:1"))
        .create();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> runtime.started.keySet().stream().anyMatch(n -> n.startsWith("second-")));
  }

  @Test
  void aPassReadsConfigMapsAndSecretsWithOneListEachNotEverySourceByName() {
    configMap("gw-swanctl", Map.of("swanctl.conf", "include conf.d/*.conf\n"));
    client
        .secrets()
        .inNamespace("default")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("gw-swanctl")
                .endMetadata()
                .addToData("secrets-manifest.json", Base64.getEncoder().encodeToString(new byte[1]))
                .build())
        .create();
    configMap("gw-config-3", Map.of("conf.d..three.conf", "connections { three {} }\n"));
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(shardedDeployment("gw", 32))
        .create();
    int mark = server.requests().size();

    kubelet.syncOnce();
    kubelet.syncOnce();

    List<ApiRequest> reads =
        server.requests().since(mark).stream()
            .filter(r -> List.of("configmaps", "secrets").contains(r.resource()))
            .toList();
    assertThat(reads)
        .extracting(r -> r.verb() + " " + r.resource())
        .containsExactly("list configmaps", "list secrets", "list configmaps", "list secrets");
    Map<String, byte[]> config = runtime.started.values().iterator().next().get("config");
    assertThat(config).containsKeys("swanctl.conf", "secrets-manifest.json", "conf.d..three.conf");
  }

  @Test
  void podsBelongToAReplicaSetOfTheDeploymentAsTheControllersMakeThem() {
    Deployment deployment =
        client
            .apps()
            .deployments()
            .inNamespace("default")
            .resource(deployment("gw", 2, "img:1"))
            .create();
    kubelet.syncOnce();

    List<ReplicaSet> replicaSets =
        client.apps().replicaSets().inNamespace("default").list().getItems();
    assertThat(replicaSets).hasSize(1);
    ReplicaSet replicaSet = replicaSets.get(0);
    assertThat(replicaSet.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getKind()).isEqualTo("Deployment");
              assertThat(ref.getUid()).isEqualTo(deployment.getMetadata().getUid());
              assertThat(ref.getController()).isTrue();
            });
    assertThat(client.pods().inNamespace("default").list().getItems())
        .hasSize(2)
        .allSatisfy(
            pod ->
                assertThat(pod.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(
                        ref -> {
                          assertThat(ref.getKind()).isEqualTo("ReplicaSet");
                          assertThat(ref.getUid()).isEqualTo(replicaSet.getMetadata().getUid());
                          assertThat(ref.getController()).isTrue();
                        }));

    client
        .apps()
        .deployments()
        .inNamespace("default")
        .withName("gw")
        .edit(d -> deployment("gw", 2, "img:2"));
    kubelet.syncOnce();
    assertThat(client.apps().replicaSets().inNamespace("default").list().getItems())
        .as("the old template's ReplicaSet goes with its pods")
        .singleElement()
        .satisfies(
            rs ->
                assertThat(rs.getMetadata().getName())
                    .isNotEqualTo(replicaSet.getMetadata().getName()));
  }

  @Test
  void aConfigChangeUpdatesTheVolumeWithoutRestartingThePod() {
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(deployment("gw", 1, "img:1"))
        .create();
    kubelet.syncOnce();
    int starts = kubelet.podStarts();

    client
        .configMaps()
        .inNamespace("default")
        .withName("gw-config")
        .edit(
            cm ->
                new ConfigMapBuilder(cm)
                    .addToData("conf.d_a.conf", "connections { b {} }\n")
                    .build());
    kubelet.syncOnce();

    assertThat(kubelet.podStarts()).isEqualTo(starts);
    assertThat(runtime.updates).hasSize(1);
    assertThat(new String(runtime.updates.get(0).get("conf.d/a.conf"), UTF_8)).contains("b {}");
    kubelet.syncOnce();
    assertThat(runtime.updates).as("unchanged content is not rewritten").hasSize(1);
  }

  @Test
  void aTemplateChangeReplacesThePods() {
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(deployment("gw", 1, "img:1"))
        .create();
    kubelet.syncOnce();
    String first =
        client.pods().inNamespace("default").list().getItems().get(0).getMetadata().getName();

    client
        .apps()
        .deployments()
        .inNamespace("default")
        .withName("gw")
        .edit(d -> deployment("gw", 1, "img:2"));
    kubelet.syncOnce();

    List<Pod> pods = client.pods().inNamespace("default").list().getItems();
    assertThat(pods).hasSize(1);
    assertThat(pods.get(0).getMetadata().getName()).isNotEqualTo(first);
    assertThat(runtime.stopped).contains(first);
    assertThat(kubelet.podStarts()).isEqualTo(2);
  }

  @Test
  void readinessReachesPodAndDeploymentStatus() {
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(deployment("gw", 1, "img:1"))
        .create();
    kubelet.syncOnce();
    runtime.ready.addAll(runtime.started.keySet());
    kubelet.syncOnce();

    Pod pod = client.pods().inNamespace("default").list().getItems().get(0);
    assertThat(pod.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    Deployment deployment = client.apps().deployments().inNamespace("default").withName("gw").get();
    assertThat(deployment.getStatus().getReadyReplicas()).isEqualTo(1);
  }

  @Test
  void deletingTheDeploymentStopsItsPods() {
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(deployment("gw", 2, "img:1"))
        .create();
    kubelet.syncOnce();
    client.apps().deployments().inNamespace("default").withName("gw").delete();
    kubelet.syncOnce();

    assertThat(client.pods().inNamespace("default").list().getItems()).isEmpty();
    assertThat(runtime.stopped).hasSize(2);
  }

  @Test
  void aDeletedPodIsStoppedAndItsReplicaSetStartsANewPodWithANewNameAndIp() {
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(deployment("gw", 1, "img:1"))
        .create();
    kubelet.syncOnce();
    Pod first = client.pods().inNamespace("default").list().getItems().get(0);
    assertThat(KubeletStandIn.replacesDeletedPod(first)).isFalse();

    client.pods().inNamespace("default").resource(first).delete();
    kubelet.syncOnce();

    assertThat(runtime.stopped).containsExactly(first.getMetadata().getName());
    List<Pod> pods = client.pods().inNamespace("default").list().getItems();
    assertThat(pods).hasSize(1);
    Pod second = pods.get(0);
    assertThat(second.getMetadata().getName())
        .isNotEqualTo(first.getMetadata().getName())
        // the ReplicaSet's name and a random suffix, as the ReplicaSet controller names pods
        .matches(first.getMetadata().getName().replaceAll("-0$", "") + "-[b-z][b-z2-9]{4}");
    assertThat(KubeletStandIn.replacesDeletedPod(second)).isTrue();
    assertThat(second.getMetadata().getOwnerReferences())
        .isEqualTo(first.getMetadata().getOwnerReferences());
    assertThat(second.getStatus().getPodIP()).isNotEqualTo(first.getStatus().getPodIP());
    assertThat(runtime.started).containsKey(second.getMetadata().getName());

    // a later pass leaves the new pod alone
    kubelet.syncOnce();
    assertThat(runtime.stopped).hasSize(1);
  }

  @Test
  void anExitedContainerIsRestartedAtOnceThenOnlyAfterTheBackOff() {
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(deployment("gw", 1, "img:1"))
        .create();
    kubelet.syncOnce();
    String pod = runtime.started.keySet().iterator().next();

    runtime.exited.add("charon");
    kubelet.syncOnce();
    assertThat(runtime.restarted).containsExactly(pod + "/charon");
    assertThat(kubelet.containerRestarts()).isEqualTo(1);
    assertThat(kubelet.podStarts()).isEqualTo(1); // the pod itself stays

    runtime.exited.add("charon"); // crashes again at once: CrashLoopBackOff, 10 s first
    kubelet.syncOnce();
    assertThat(runtime.restarted).hasSize(1);
    assertThat(kubelet.containerRestarts()).isEqualTo(1);
  }

  @Test
  void aPodWaitsUntilItsVolumeSourcesExist() {
    client.secrets().inNamespace("default").withName("gw-secrets").delete();
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(deployment("gw", 1, "img:1"))
        .create();
    kubelet.syncOnce();
    assertThat(runtime.started).isEmpty();

    client
        .secrets()
        .inNamespace("default")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("gw-secrets")
                .endMetadata()
                .addToData(
                    "secrets.d_a.conf", Base64.getEncoder().encodeToString("s".getBytes(UTF_8)))
                .build())
        .create();
    kubelet.syncOnce();
    assertThat(runtime.started).hasSize(1);
  }

  @Test
  void sourcesWithoutItemsProjectEveryKeyAndMissingOptionalSourcesAreSkipped() {
    configMap(
        "gw-swanctl", Map.of("swanctl.conf", "include conf.d/*.conf\n", "manifest.json", "{}\n"));
    secret("gw-swanctl", Map.of("secrets-manifest.json", "{}\n"));
    configMap("gw-config-0", Map.of("conf.d..a.conf", "connections { a {} }\n"));
    configMap("gw-config-2", Map.of("conf.d..c.conf", "connections { c {} }\n"));
    client
        .secrets()
        .inNamespace("default")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("gw-secrets-1")
                .endMetadata()
                .addToData(
                    "secrets.d..a.conf", Base64.getEncoder().encodeToString("psk".getBytes(UTF_8)))
                .build())
        .create();
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(shardedDeployment("gw", 4))
        .create();
    kubelet.syncOnce();

    assertThat(runtime.started).hasSize(1);
    Map<String, byte[]> config = runtime.started.values().iterator().next().get("config");
    assertThat(config.keySet())
        .containsExactlyInAnyOrder(
            "swanctl.conf",
            "manifest.json",
            "secrets-manifest.json",
            "conf.d..a.conf",
            "conf.d..c.conf",
            "secrets.d..a.conf");
    assertThat(new String(config.get("secrets.d..a.conf"), UTF_8)).isEqualTo("psk");

    // a shard that appears later, and a key that leaves one, reach the running pod's volume
    configMap("gw-config-3", Map.of("conf.d..d.conf", "connections { d {} }\n"));
    client
        .configMaps()
        .inNamespace("default")
        .withName("gw-config-2")
        .edit(
            cm ->
                new ConfigMapBuilder(cm)
                    .withData(Map.of("conf.d..e.conf", "connections { e {} }\n"))
                    .build());
    kubelet.syncOnce();

    assertThat(kubelet.podStarts()).isEqualTo(1);
    assertThat(runtime.updates).hasSize(1);
    assertThat(runtime.updates.get(0).keySet())
        .containsExactlyInAnyOrder(
            "swanctl.conf",
            "manifest.json",
            "secrets-manifest.json",
            "conf.d..a.conf",
            "conf.d..d.conf",
            "conf.d..e.conf",
            "secrets.d..a.conf");
  }

  @Test
  void aMissingRequiredSourceWithoutItemsKeepsThePodWaiting() {
    configMap("gw-config-0", Map.of("conf.d..a.conf", "connections { a {} }\n"));
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(shardedDeployment("gw", 1))
        .create();
    kubelet.syncOnce();
    assertThat(runtime.started).isEmpty();

    configMap("gw-swanctl", Map.of("swanctl.conf", "include conf.d/*.conf\n"));
    kubelet.syncOnce();
    assertThat(runtime.started).as("the root Secret is required too").isEmpty();

    secret("gw-swanctl", Map.of("secrets-manifest.json", "{}\n"));
    kubelet.syncOnce();
    assertThat(runtime.started).hasSize(1);
    assertThat(runtime.started.values().iterator().next().get("config"))
        .containsKeys("swanctl.conf", "secrets-manifest.json", "conf.d..a.conf");

    // a required source that goes away leaves the running pod's volume as it was
    client.secrets().inNamespace("default").withName("gw-swanctl").delete();
    kubelet.syncOnce();
    assertThat(runtime.updates).isEmpty();
    assertThat(kubelet.podStarts()).isEqualTo(1);
  }

  private void secret(String name, Map<String, String> data) {
    client
        .secrets()
        .inNamespace("default")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withData(
                    data.entrySet().stream()
                        .collect(
                            Collectors.toMap(
                                Map.Entry::getKey,
                                e ->
                                    Base64.getEncoder()
                                        .encodeToString(e.getValue().getBytes(UTF_8)))))
                .build())
        .create();
  }

  private void configMap(String name, Map<String, String> data) {
    client
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withData(data)
                .build())
        .create();
  }

  /**
   * The gateway's layout: the required root ConfigMap and root Secret, then optional shards, none
   * with items.
   */
  private static Deployment shardedDeployment(String name, int shards) {
    var sources = new ArrayList<io.fabric8.kubernetes.api.model.VolumeProjection>();
    sources.add(
        new io.fabric8.kubernetes.api.model.VolumeProjectionBuilder()
            .withNewConfigMap()
            .withName(name + "-swanctl")
            .endConfigMap()
            .build());
    sources.add(
        new io.fabric8.kubernetes.api.model.VolumeProjectionBuilder()
            .withNewSecret()
            .withName(name + "-swanctl")
            .endSecret()
            .build());
    for (int i = 0; i < shards; i++) {
      sources.add(
          new io.fabric8.kubernetes.api.model.VolumeProjectionBuilder()
              .withNewConfigMap()
              .withName(name + "-config-" + i)
              .withOptional(true)
              .endConfigMap()
              .build());
      sources.add(
          new io.fabric8.kubernetes.api.model.VolumeProjectionBuilder()
              .withNewSecret()
              .withName(name + "-secrets-" + i)
              .withOptional(true)
              .endSecret()
              .build());
    }
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("charon")
        .withImage("img:1")
        .endContainer()
        .addNewVolume()
        .withName("config")
        .withNewProjected()
        .withSources(sources)
        .endProjected()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Deployment deployment(String name, int replicas, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("charon")
        .withImage(image)
        .endContainer()
        .addNewVolume()
        .withName("config")
        .withNewProjected()
        .addNewSource()
        .withNewConfigMap()
        .withName("gw-config")
        .addNewItem()
        .withKey("swanctl.conf")
        .withPath("swanctl.conf")
        .endItem()
        .addNewItem()
        .withKey("conf.d_a.conf")
        .withPath("conf.d/a.conf")
        .endItem()
        .endConfigMap()
        .endSource()
        .addNewSource()
        .withNewSecret()
        .withName("gw-secrets")
        .addNewItem()
        .withKey("secrets.d_a.conf")
        .withPath("secrets.d/a.conf")
        .endItem()
        .endSecret()
        .endSource()
        .endProjected()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** Records starts, volume updates and stops; answers readiness from a set. */
  static final class RecordingRuntime implements PodRuntime {
    final Map<String, Map<String, Map<String, byte[]>>> started = new ConcurrentHashMap<>();
    final List<Map<String, byte[]>> updates = new ArrayList<>();
    final List<String> stopped = new ArrayList<>();
    final Set<String> ready = ConcurrentHashMap.newKeySet();
    final Set<String> exited = ConcurrentHashMap.newKeySet();
    final List<String> restarted = new ArrayList<>();
    private int next = 10;

    @Override
    public String start(Pod pod, Map<String, Map<String, byte[]>> volumes) {
      started.put(pod.getMetadata().getName(), volumes);
      return "192.0.2." + next++;
    }

    @Override
    public void updateVolume(Pod pod, String volumeName, Map<String, byte[]> files) {
      updates.add(files);
    }

    @Override
    public boolean isReady(Pod pod) {
      return ready.contains(pod.getMetadata().getName());
    }

    @Override
    public List<String> exitedContainers(Pod pod) {
      return List.copyOf(exited);
    }

    @Override
    public void restartContainer(Pod pod, String container) {
      exited.remove(container);
      restarted.add(pod.getMetadata().getName() + "/" + container);
    }

    @Override
    public void stop(Pod pod) {
      stopped.add(pod.getMetadata().getName());
    }
  }
}
