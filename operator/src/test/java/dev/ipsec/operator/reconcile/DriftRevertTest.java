package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An edit of an object the operator owns is written back, whatever it leaves of the desired-hash
 * annotation: the owned informers wake the gateway up, the content comparison finds the edit. And
 * the comparison writes nothing where nothing differs.
 */
class DriftRevertTest {

  static final KubernetesSerialization JSON = new KubernetesSerialization();

  OperatorHarness k8s;
  CapturedLogs logs;

  @BeforeEach
  void start() {
    logs = new CapturedLogs();
    k8s = new OperatorHarness().start();
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "drift-test-psk-value"));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    eventually(
        () -> {
          assertThat(get(Deployment.class, "gw-gateway")).isNotNull();
          assertThat(get(Service.class, "gw-gateway")).isNotNull();
          assertThat(get(Secret.class, "gw-secrets-0")).isNotNull();
          assertThat(get(ConfigMap.class, "gw-config-0")).isNotNull();
        });
    awaitQuiet();
  }

  @AfterEach
  void stop() {
    k8s.close();
    logs.close();
  }

  @Test
  void aConfigMapEditThatKeepsTheHashAnnotationIsReverted() {
    ConfigMap before = get(ConfigMap.class, "gw-strongswan");
    String rendered = before.getData().get("strongswan.conf");
    ConfigMap edited =
        edit(
            ConfigMap.class,
            "gw-strongswan",
            cm ->
                cm.getData()
                    .put(
                        "strongswan.conf",
                        rendered + "charon {\n  start-scripts {\n    x = /tmp/x\n  }\n}\n"));
    assertThat(Labels.desiredHash(edited)).isEqualTo(Labels.desiredHash(before));

    eventually(
        () ->
            assertThat(get(ConfigMap.class, "gw-strongswan").getData())
                .containsExactly(Map.entry("strongswan.conf", rendered)));
    assertThat(logs.text())
        .contains(
            "reverted ConfigMap vpn/gw-strongswan: changed outside the operator at"
                + " data.strongswan.conf")
        .doesNotContain("start-scripts");
  }

  @Test
  void aKeyAddedToASecretShardIsRemovedAndNoValueIsLogged() {
    Map<String, String> data = get(Secret.class, "gw-secrets-0").getData();
    String injected = Base64.getEncoder().encodeToString("mallory-psk-value".getBytes());
    edit(Secret.class, "gw-secrets-0", s -> s.getData().put("secrets.d..mallory.conf", injected));
    eventually(() -> assertThat(get(Secret.class, "gw-secrets-0").getData()).isEqualTo(data));
    assertThat(logs.text())
        .contains("reverted Secret vpn/gw-secrets-0")
        .doesNotContain(injected)
        .doesNotContain("mallory-psk-value")
        .doesNotContain("drift-test-psk-value");
  }

  @Test
  void aPrivilegedCharonOrAnExtraContainerIsReverted() {
    edit(
        Deployment.class,
        "gw-gateway",
        d ->
            d.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getSecurityContext()
                .setPrivileged(true));
    eventually(
        () ->
            assertThat(
                    get(Deployment.class, "gw-gateway")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getSecurityContext()
                        .getPrivileged())
                .isNull());

    edit(
        Deployment.class,
        "gw-gateway",
        d ->
            d.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .add(new ContainerBuilder().withName("sidecar").withImage("busybox").build()));
    eventually(
        () ->
            assertThat(
                    get(Deployment.class, "gw-gateway")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers())
                .extracting(c -> c.getName())
                .containsExactly("charon", "agent"));
  }

  @Test
  void aChangedServicePortIsReverted() {
    edit(Service.class, "gw-gateway", s -> s.getSpec().getPorts().get(0).setPort(5500));
    eventually(
        () ->
            assertThat(get(Service.class, "gw-gateway").getSpec().getPorts())
                .extracting(p -> p.getPort())
                .containsExactly(500, 4500));
  }

  @Test
  void aServiceAccountThatMountsItsTokenAgainIsReverted() {
    edit(ServiceAccount.class, "gw-gateway", sa -> sa.setAutomountServiceAccountToken(true));
    eventually(
        () ->
            assertThat(get(ServiceAccount.class, "gw-gateway").getAutomountServiceAccountToken())
                .isFalse());
  }

  @Test
  void anObjectWhoseLabelsWereRemovedIsRelabelledByItsControllerReference() {
    edit(
        ConfigMap.class,
        "gw-config-0",
        cm -> cm.getMetadata().setLabels(new TreeMap<>(Map.of("someone", "else"))));
    eventually(
        () ->
            assertThat(get(ConfigMap.class, "gw-config-0").getMetadata().getLabels())
                .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .containsEntry(Labels.GATEWAY, "gw"));
  }

  @Test
  void aRevertWritesTheEditedObjectOnlyAndAnEditThatIsNoDriftWritesNothing()
      throws InterruptedException {
    Map<String, String> before = versions();
    int reconciles = reconcilesOfGw();
    drainRequests();
    // someone else's label: not drift, yet it wakes the gateway up
    edit(
        ConfigMap.class,
        "gw-config-0",
        cm -> cm.getMetadata().getLabels().put("argocd.argoproj.io/instance", "vpn"));
    Thread.sleep(3000);
    assertThat(reconcilesOfGw()).isGreaterThan(reconciles);
    assertThat(writesSinceDrain())
        .containsExactly("PUT /api/v1/namespaces/vpn/configmaps/gw-config-0"); // the edit alone

    String manifest = get(ConfigMap.class, "gw-swanctl").getData().get("manifest.json");
    // a forged manifest, consistent with a forged file: the agent would accept the pair
    edit(ConfigMap.class, "gw-swanctl", cm -> cm.getData().put("manifest.json", "{}"));
    eventually(
        () ->
            assertThat(get(ConfigMap.class, "gw-swanctl").getData().get("manifest.json"))
                .isEqualTo(manifest));
    Thread.sleep(2000);
    Map<String, String> after = versions();
    Set<String> changed = new java.util.TreeSet<>();
    after.forEach(
        (k, v) -> {
          if (!v.equals(before.get(k))) {
            changed.add(k);
          }
        });
    // the label edit, and the forged manifest with its revert; nothing else was written
    assertThat(changed).containsExactlyInAnyOrder("ConfigMap/gw-config-0", "ConfigMap/gw-swanctl");
  }

  /** JOSDK's debug line for each dispatch of the gateway to its reconciler. */
  int reconcilesOfGw() {
    return logs.text().split("Handling dispatch for resource name: gw namespace: vpn", -1).length
        - 1;
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return k8s.client.resources(type).inNamespace("vpn").withName(name).get();
  }

  /** Edits an object as a user with update rights would: everything else, annotations too, kept. */
  <T extends HasMetadata> T edit(Class<T> type, String name, Consumer<T> change) {
    T current = get(type, name);
    change.accept(current);
    return k8s.client.resource(current).update();
  }

  void drainRequests() throws InterruptedException {
    while (k8s.server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
      // discard
    }
  }

  /** Requests that wrote something since the last drain: the operator's writes. */
  List<String> writesSinceDrain() throws InterruptedException {
    List<String> writes = new ArrayList<>();
    RecordedRequest r;
    while ((r = k8s.server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      if (!r.getMethod().equals("GET")) {
        writes.add(r.getMethod() + " " + r.getPath());
      }
    }
    return writes;
  }

  void awaitQuiet() {
    var last = new java.util.concurrent.atomic.AtomicReference<Map<String, String>>(Map.of());
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .pollInterval(java.time.Duration.ofSeconds(2))
        .until(() -> versions().equals(last.getAndSet(versions())));
  }

  Map<String, String> versions() {
    Map<String, String> v = new TreeMap<>();
    Stream.of(
            k8s.client.configMaps().inNamespace("vpn").list().getItems(),
            k8s.client.secrets().inNamespace("vpn").list().getItems(),
            k8s.client.apps().deployments().inNamespace("vpn").list().getItems(),
            k8s.client.services().inNamespace("vpn").list().getItems(),
            k8s.client.serviceAccounts().inNamespace("vpn").list().getItems())
        .flatMap(l -> l.stream().map(r -> (HasMetadata) r))
        .forEach(
            r ->
                v.put(
                    r.getKind() + "/" + r.getMetadata().getName(),
                    r.getMetadata().getResourceVersion()));
    return v;
  }
}
