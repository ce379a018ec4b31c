package dev.ipsec.operator.cli;

import static dev.ipsec.operator.cli.RenderAndValidateCommandTest.EXAMPLES;
import static dev.ipsec.operator.cli.RenderAndValidateCommandTest.run;
import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.kubelet.VolumeProjections;
import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.reconcile.OperatorHarness;
import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For the same resources, {@code render --volume-dir} writes byte for byte what the operator stores
 * in the API server (Secret data decoded), revision included: the resources are exported from the
 * mock API server the way {@code kubectl get -o yaml} would, with their uids and resource versions.
 */
class RenderVolumeDirMatchesOperatorTest {

  OperatorHarness k8s;

  @BeforeEach
  void start() throws IOException {
    k8s = new OperatorHarness().start();
    for (Path file :
        List.of(
            EXAMPLES.resolve("site-to-site/groups.yaml"),
            EXAMPLES.resolve("site-to-site/site-a.yaml"),
            EXAMPLES.resolve("x509/x509-site-to-site.yaml"))) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata r : k8s.client.load(in).items()) {
          r.getMetadata().setNamespace(OperatorHarness.NS);
          k8s.client.resource(r).create();
        }
      }
    }
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"site-a", "x509-site-a"})
  void theVolumeDirHoldsTheOperatorsBytes(String gateway, @TempDir Path tmp) throws IOException {
    Map<String, byte[]> stored = awaitSettledVolume(gateway);
    assertThat(stored)
        .containsKeys(
            "swanctl.conf",
            ConfigManifest.PUBLIC_FILE,
            ConfigManifest.SECRET_FILE,
            "manifests..config-0.json",
            "manifests..secrets-0.json");
    assertThat(stored.keySet()).anyMatch(k -> k.startsWith("conf.d.."));
    assertThat(stored.keySet()).anyMatch(k -> k.startsWith("secrets.d.."));

    Path export = tmp.resolve("export.yaml");
    Files.writeString(export, export());
    Path dir = tmp.resolve("volume");
    RenderAndValidateCommandTest.Run r =
        run(
            "render",
            "-f",
            export.toString(),
            "--gateway",
            gateway,
            "--volume-dir",
            dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();

    Map<String, byte[]> written = RenderVolumeDirTest.files(dir);
    assertThat(written.keySet()).isEqualTo(stored.keySet());
    // as text first, for a readable difference
    stored.forEach(
        (name, bytes) ->
            assertThat(new String(written.get(name), StandardCharsets.UTF_8))
                .as(name)
                .isEqualTo(new String(bytes, StandardCharsets.UTF_8)));
    stored.forEach((name, bytes) -> assertThat(written.get(name)).as(name).isEqualTo(bytes));

    Set<String> fromSecrets = secretKeys(gateway);
    assertThat(fromSecrets).contains(ConfigManifest.SECRET_FILE, "manifests..secrets-0.json");
    assertThat(RenderVolumeDirTest.mode(dir)).isEqualTo("rwx------");
    for (String name : written.keySet()) {
      assertThat(RenderVolumeDirTest.mode(dir.resolve(name)))
          .as(name)
          .isEqualTo(fromSecrets.contains(name) ? "rw-------" : "rw-r--r--");
    }
  }

  /**
   * The gateway's swanctl volume as the kubelet projects it from the stored objects, once the
   * operator has written the manifests and stopped changing anything.
   */
  Map<String, byte[]> awaitSettledVolume(String gateway) {
    eventually(
        () ->
            assertThat(
                    k8s.client
                        .configMaps()
                        .inNamespace(OperatorHarness.NS)
                        .withName(gateway + "-swanctl")
                        .get()
                        .getData()
                        .get(ConfigManifest.PUBLIC_FILE))
                .contains("manifests/config-0.json"));
    var last = new AtomicReference<Map<String, String>>(Map.of());
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              Map<String, String> now = ownedVersions(gateway);
              return now.equals(last.getAndSet(now));
            });
    Deployment deployment =
        k8s.client
            .apps()
            .deployments()
            .inNamespace(OperatorHarness.NS)
            .withName(gateway + "-gateway")
            .get();
    Volume swanctl =
        deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("swanctl"))
            .findFirst()
            .orElseThrow();
    return new TreeMap<>(
        VolumeProjections.payload(
                swanctl,
                n -> k8s.client.configMaps().inNamespace(OperatorHarness.NS).withName(n).get(),
                n -> k8s.client.secrets().inNamespace(OperatorHarness.NS).withName(n).get())
            .orElseThrow());
  }

  Map<String, String> ownedVersions(String gateway) {
    Map<String, String> versions = new TreeMap<>();
    Stream.concat(
            k8s
                .client
                .configMaps()
                .inNamespace(OperatorHarness.NS)
                .withLabel(Labels.GATEWAY, gateway)
                .list()
                .getItems()
                .stream(),
            k8s
                .client
                .secrets()
                .inNamespace(OperatorHarness.NS)
                .withLabel(Labels.GATEWAY, gateway)
                .list()
                .getItems()
                .stream())
        .forEach(
            r ->
                versions.put(
                    r.getKind() + "/" + r.getMetadata().getName(),
                    r.getMetadata().getResourceVersion()));
    return versions;
  }

  Set<String> secretKeys(String gateway) {
    return k8s
        .client
        .secrets()
        .inNamespace(OperatorHarness.NS)
        .withLabel(Labels.GATEWAY, gateway)
        .list()
        .getItems()
        .stream()
        .map(Secret::getData)
        .flatMap(d -> d.keySet().stream())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Everything in the namespace as {@code kubectl get -o yaml} shows it, the operator's own objects
   * included: uid, resourceVersion and status as the API server has them.
   */
  String export() {
    String ns = OperatorHarness.NS;
    List<HasMetadata> all =
        Stream.of(
                k8s.client.resources(IpsecGlobal.class).inNamespace(ns).list().getItems(),
                k8s.client.resources(IpsecPeer.class).inNamespace(ns).list().getItems(),
                k8s.client.resources(IkeGroup.class).inNamespace(ns).list().getItems(),
                k8s.client.resources(EspGroup.class).inNamespace(ns).list().getItems(),
                k8s.client.secrets().inNamespace(ns).list().getItems(),
                k8s.client.configMaps().inNamespace(ns).list().getItems())
            .flatMap(l -> l.stream().map(r -> (HasMetadata) r))
            .toList();
    assertThat(all)
        .filteredOn(r -> r instanceof Secret)
        .allSatisfy(
            s -> {
              assertThat(s.getMetadata().getUid()).isNotBlank();
              assertThat(s.getMetadata().getResourceVersion()).isNotBlank();
            });
    return all.stream().map(k8s.json::asYaml).collect(Collectors.joining("\n---\n"));
  }
}
