package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.ChildSaStatus;
import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.agentstate.AgentReport;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.status.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: a gateway whose agents' reports alone changed gets its status written, once, and
 * nothing else (no render, plan or object write: {@code SettledGateways}); every other change still
 * takes the full path, so an edited shard is written back, a refused write is retried and a peer
 * kept on its last valid files is planned again.
 */
class StatusOnlyReconcileTest {

  static final GatewayStateStore.GatewayId GW = new GatewayStateStore.GatewayId("vpn", "gw");
  static final String POD = "gw-gateway-0";

  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  OperatorHarness k8s;
  Requests requests;

  void start(String refusedCreate) {
    k8s =
        new OperatorHarness(
            store ->
                requests = new Requests(store, "/api/v1/namespaces/vpn/configmaps", refusedCreate));
    k8s.start(OperatorHarness.settings().withMetrics(metrics));
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "status-only-reconcile-test-psk"));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    if (refusedCreate == null) {
      OwnedPods.create(k8s, "gw", POD); // else no Deployment is written while refused
    }
    eventually(() -> assertThat(gateway().getStatus().getPeers().getConfigured()).isEqualTo(1));
  }

  @AfterEach
  void stop() {
    if (k8s != null) {
      k8s.close();
    }
  }

  @Test
  void anAgentReportAloneWritesTheStatusOnceAndNoObject() {
    start(null);
    settleWithAlpha(false);

    int mark = requests.size();
    double full = reconciles("full");
    double statusOnly = reconciles("status");
    report(true);
    eventually(() -> assertThat(gateway().getStatus().getPeers().getEstablished()).isEqualTo(1));
    awaitQuiet();

    List<String> writes = requests.writesSince(mark);
    assertThat(writes)
        .as("the gateway's status, written once")
        .filteredOn(w -> w.contains("/ipsecglobals/gw/status"))
        .hasSize(1);
    assertThat(writes)
        .as("no object of the gateway written")
        .noneMatch(
            w ->
                w.matches(
                    ".*/(configmaps|secrets|deployments|services|serviceaccounts|pods)(/.*)?$"));
    assertThat(reconciles("full")).as("full reconciles").isEqualTo(full);
    assertThat(reconciles("status")).as("status-only reconciles").isGreaterThan(statusOnly);
  }

  @Test
  void theGatewaysStatusWriteReconcilesNoPeer() {
    start(null);
    k8s.create(TestResources.pskPeer("beta", "gw", "ike", "esp", "psk", 2));
    eventually(() -> assertThat(gateway().getStatus().getPeers().getConfigured()).isEqualTo(2));
    settleWithAlpha(false);

    double peerReconciles = peerReconciles();
    report(true);
    eventually(() -> assertThat(gateway().getStatus().getPeers().getEstablished()).isEqualTo(1));
    awaitQuiet();

    // alpha's tunnel changed: alpha is reconciled, once; the gateway's status write that follows
    // reconciles neither alpha nor beta (their gateway's spec did not change)
    assertThat(peerReconciles() - peerReconciles).isEqualTo(1);
  }

  @Test
  void anEditedShardIsWrittenBackAfterStatusOnlyReconciles() {
    start(null);
    settleWithAlpha(true);
    double full = reconciles("full");

    ConfigMap shard = k8s.client.configMaps().inNamespace("vpn").withName("gw-config-0").get();
    shard.getData().put("conf.d..mallory.conf", "connections { mallory { } }");
    k8s.client.resource(shard).update();

    eventually(
        () ->
            assertThat(
                    k8s.client
                        .configMaps()
                        .inNamespace("vpn")
                        .withName("gw-config-0")
                        .get()
                        .getData())
                .doesNotContainKey("conf.d..mallory.conf"));
    assertThat(reconciles("full")).isGreaterThan(full);
  }

  @Test
  void aRefusedWriteIsNeverTakenAsSettled() {
    start("gw-strongswan");
    eventually(
        () ->
            assertThat(
                    Conditions.find(gateway().getStatus().getConditions(), "ObjectsWritten")
                        .getStatus())
                .isEqualTo("False"));
    double full = reconciles("full");
    double statusOnly = reconciles("status");
    int refused = requests.refused.get();

    for (int i = 0; i < 3; i++) {
      report(i % 2 == 0);
      int expected = i % 2 == 0 ? 1 : 0;
      eventually(
          () -> assertThat(gateway().getStatus().getPeers().getEstablished()).isEqualTo(expected));
    }
    assertThat(reconciles("status"))
        .as("no status-only reconcile while refused")
        .isEqualTo(statusOnly);
    assertThat(reconciles("full")).isGreaterThanOrEqualTo(full + 3);
    assertThat(requests.refused.get()).as("each report retried the write").isGreaterThan(refused);

    // once the server takes the write, the gateway settles and reports are status-only again
    requests.refusing.set(false);
    OwnedPods.create(k8s, "gw", POD);
    eventually(
        () ->
            assertThat(
                    k8s.client
                        .pods()
                        .inNamespace("vpn")
                        .withName(POD)
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .containsKey(Labels.CONFIG_REVISION));
    settleWithAlpha(false);
  }

  @Test
  void aPeerKeptOnItsLastValidFilesIsPlannedInFullEveryTime() {
    start(null);
    settleWithAlpha(false);
    IpsecPeer alpha =
        k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("alpha").get();
    alpha.getSpec().setIkeGroup("missing");
    k8s.client.resource(alpha).update();
    eventually(
        () ->
            assertThat(
                    Conditions.find(
                            k8s.client
                                .resources(IpsecPeer.class)
                                .inNamespace("vpn")
                                .withName("alpha")
                                .get()
                                .getStatus()
                                .getConditions(),
                            Conditions.VALID)
                        .getStatus())
                .isEqualTo("False"));
    awaitQuiet();
    double full = reconciles("full");
    double statusOnly = reconciles("status");

    report(true);
    eventually(() -> assertThat(gateway().getStatus().getPeers().getEstablished()).isEqualTo(1));
    assertThat(reconciles("full")).isGreaterThan(full);
    assertThat(reconciles("status")).isEqualTo(statusOnly);
  }

  /**
   * Reports alpha's tunnel {@code up} on the revision the gateway wrote until the gateway shows it
   * and a further report is status-only: the gateway has settled.
   */
  private void settleWithAlpha(boolean up) {
    report(up);
    eventually(
        () -> {
          assertThat(gateway().getStatus().getPeers().getEstablished()).isEqualTo(up ? 1 : 0);
          assertThat(
                  Conditions.find(gateway().getStatus().getConditions(), "ConfigLoaded")
                      .getStatus())
              .isEqualTo("True");
        });
    awaitQuiet();
    double statusOnly = reconciles("status");
    report(!up);
    report(up);
    eventually(() -> assertThat(reconciles("status")).isGreaterThan(statusOnly));
    awaitQuiet();
  }

  private long saRevision = 1;

  /** The gateway's one agent reports the revision its pod was told, alpha's tunnel up or down. */
  private void report(boolean up) {
    IkeSaStatus ike = new IkeSaStatus();
    ike.setState(up ? "ESTABLISHED" : "CONNECTING");
    ike.setRemoteHost("198.51.100.2");
    ChildSaStatus child = new ChildSaStatus();
    child.setName("alpha-tunnel-1");
    child.setState("INSTALLED");
    // the revision the operator announced on the pod, none while it has no pod
    Pod pod = k8s.client.pods().inNamespace("vpn").withName(POD).get();
    String revision =
        pod == null || pod.getMetadata().getAnnotations() == null
            ? null
            : pod.getMetadata().getAnnotations().get(Labels.CONFIG_REVISION);
    k8s.operator()
        .gatewayStates()
        .put(
            GW,
            new AgentReport(
                POD,
                true,
                null,
                ++saRevision,
                "5.9.8",
                Map.of(),
                revision,
                1,
                List.of(),
                null,
                List.of(),
                Map.of(
                    "alpha",
                    new AgentReport.Connection(
                        ike, up ? List.of(child) : List.of(), null, null, null, null))));
  }

  private double reconciles(String path) {
    Counter counter = metrics.find("ipsec.operator.gateway.reconciles").tag("path", path).counter();
    return counter == null ? 0 : counter.count();
  }

  /** The IpsecPeer reconciles JOSDK started so far. */
  private double peerReconciles() {
    List<Counter> started =
        metrics.find("operator.sdk.reconciliations.started").counters().stream()
            .filter(
                c -> c.getId().getTags().stream().anyMatch(t -> t.getValue().equals("IpsecPeer")))
            .toList();
    assertThat(started).as("JOSDK's counter of the peer controller's reconciles").isNotEmpty();
    return started.stream().mapToDouble(Counter::count).sum();
  }

  private IpsecGlobal gateway() {
    return k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName("gw").get();
  }

  /** Waits until the API server has had no write for two seconds. */
  private void awaitQuiet() {
    AtomicReference<Integer> last = new AtomicReference<>(-1);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              int now = requests.writesSince(0).size();
              return now == last.getAndSet(now);
            });
  }

  /**
   * Records every request's method and path; refuses the creates of one ConfigMap with kube's RBAC
   * answer while {@link #refusing} is set.
   */
  static final class Requests extends Dispatcher {
    private final Dispatcher store;
    private final String configMaps;
    private final String refusedName;
    private final List<String> seen = new ArrayList<>();
    final AtomicBoolean refusing = new AtomicBoolean(true);
    final AtomicInteger refused = new AtomicInteger();

    Requests(Dispatcher store, String configMaps, String refusedName) {
      this.store = store;
      this.configMaps = configMaps;
      this.refusedName = refusedName;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath().split("\\?")[0];
      synchronized (seen) {
        seen.add(request.getMethod() + " " + path);
      }
      if (refusedName != null
          && refusing.get()
          && "POST".equals(request.getMethod())
          && path.equals(configMaps)
          && request.getBody() != null
          && Pattern.compile("\"name\"\\s*:\\s*\"" + refusedName + "\"")
              .matcher(new String(request.getBody().getBytes(), StandardCharsets.UTF_8))
              .find()) {
        refused.incrementAndGet();
        return new MockResponse()
            .setResponseCode(403)
            .addHeader("Content-Type", "application/json")
            .setBody(
                RefusedWritesTest.status(
                    403,
                    "Forbidden",
                    "configmaps \"" + refusedName + "\" is forbidden: no Role yet"));
      }
      return store.dispatch(request);
    }

    int size() {
      synchronized (seen) {
        return seen.size();
      }
    }

    /** The writes (anything but GET) since the {@code mark}-th request. */
    List<String> writesSince(int mark) {
      synchronized (seen) {
        return seen.subList(mark, seen.size()).stream().filter(r -> !r.startsWith("GET ")).toList();
      }
    }
  }
}
