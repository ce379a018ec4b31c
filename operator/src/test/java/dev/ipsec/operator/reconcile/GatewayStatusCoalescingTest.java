package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.ChildSaStatus;
import dev.ipsec.operator.api.v1alpha1.GatewayPodStatus;
import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.agentstate.AgentPolling;
import dev.ipsec.operator.reconcile.agentstate.AgentReport;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore;
import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: a gateway's agents' reports start at most one IpsecGlobal reconcile per interval
 * ({@link AgentPolling#gatewayStatusEvery}): a burst of reports gives few status writes and the
 * status of the last report, and the report of a quiet gateway is written at once.
 */
class GatewayStatusCoalescingTest {

  static final GatewayStateStore.GatewayId GW = new GatewayStateStore.GatewayId("vpn", "gw");
  static final String POD = "gw-gateway-0";

  OperatorHarness k8s;
  StatusOnlyReconcileTest.Requests requests;

  void start(Duration gatewayStatusEvery) {
    k8s =
        new OperatorHarness(
            store ->
                requests =
                    new StatusOnlyReconcileTest.Requests(
                        store, "/api/v1/namespaces/vpn/configmaps", null));
    k8s.start(
        OperatorHarness.settings()
            .withAgentPolling(AgentPolling.disabled().withGatewayStatusEvery(gatewayStatusEvery)));
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "gateway-status-coalescing-test-psk"));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    OwnedPods.create(k8s, "gw", POD);
    eventually(
        () -> {
          assertThat(gateway().getStatus().getPeers().getConfigured()).isEqualTo(1);
          assertThat(revisionAnnounced()).isNotNull();
        });
  }

  @AfterEach
  void stop() {
    if (k8s != null) {
      k8s.close();
    }
  }

  @Test
  void aQuietGatewaysReportIsWrittenWithoutWaitingForTheInterval() {
    // an interval no test waits for: only the first report's own reconcile can write it
    start(Duration.ofHours(1));

    report(true, "5.9.1");

    eventually(
        () -> {
          assertThat(gateway().getStatus().getPeers().getEstablished()).isEqualTo(1);
          assertThat(pod().getStrongswanVersion()).isEqualTo("5.9.1");
        });
  }

  @Test
  void aBurstOfReportsGivesFewStatusWritesAndTheStatusOfTheLast() throws InterruptedException {
    Duration interval = Duration.ofSeconds(10);
    start(interval);
    report(false, "5.9.0");
    eventually(() -> assertThat(pod().getStrongswanVersion()).isEqualTo("5.9.0"));
    awaitQuiet();

    String revision = revisionAnnounced();
    int mark = requests.size();
    int reports = 20;
    long burstStarted = System.nanoTime();
    for (int i = 1; i <= reports; i++) {
      // each report changes the status: the tunnel goes up or down, the version moves on
      report(i % 2 == 0, "5.9." + (100 + i), revision);
      Thread.sleep(50);
    }
    Duration burst = Duration.ofNanos(System.nanoTime() - burstStarted);
    eventually(
        () -> {
          assertThat(gateway().getStatus().getPeers().getEstablished()).isEqualTo(1);
          assertThat(pod().getStrongswanVersion()).isEqualTo("5.9." + (100 + reports));
        });
    awaitQuiet();

    assertThat(burst).as("the burst fits in one interval (a loaded machine?)").isLessThan(interval);
    assertThat(requests.writesSince(mark))
        .as("the gateway's status writes for %d reports in %d ms", reports, burst.toMillis())
        .filteredOn(w -> w.contains("/ipsecglobals/gw/status"))
        .hasSizeBetween(1, 2);
  }

  private long saRevision = 1;

  /** The gateway's one agent reports the announced revision, alpha's tunnel up or down. */
  private void report(boolean up, String strongswanVersion) {
    report(up, strongswanVersion, revisionAnnounced());
  }

  private void report(boolean up, String strongswanVersion, String revision) {
    IkeSaStatus ike = new IkeSaStatus();
    ike.setState(up ? "ESTABLISHED" : "CONNECTING");
    ike.setRemoteHost("198.51.100.2");
    ChildSaStatus child = new ChildSaStatus();
    child.setName("alpha-tunnel-1");
    child.setState("INSTALLED");
    k8s.operator()
        .gatewayStates()
        .put(
            GW,
            new AgentReport(
                POD,
                true,
                null,
                ++saRevision,
                strongswanVersion,
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

  private String revisionAnnounced() {
    Pod pod = k8s.client.pods().inNamespace("vpn").withName(POD).get();
    return pod == null || pod.getMetadata().getAnnotations() == null
        ? null
        : pod.getMetadata().getAnnotations().get(Labels.CONFIG_REVISION);
  }

  private IpsecGlobal gateway() {
    return k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName("gw").get();
  }

  private GatewayPodStatus pod() {
    return gateway().getStatus().getPods().stream()
        .filter(p -> p.getName().equals(POD))
        .findFirst()
        .orElseThrow();
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
}
