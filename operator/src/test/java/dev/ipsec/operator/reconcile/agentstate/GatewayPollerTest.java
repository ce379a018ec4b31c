package dev.ipsec.operator.reconcile.agentstate;

import static dev.ipsec.operator.reconcile.CryptoGroupReconcilerTest.condition;
import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.OperatorHarness;
import dev.ipsec.operator.reconcile.TestResources;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.status.PeerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poller end to end: a fake agent on the loopback interface serves the recorded snapshots, a
 * gateway pod points at it, and the operator maps what it serves onto the IpsecPeer and the
 * IpsecGlobal, then notices when the agent goes away.
 */
class GatewayPollerTest {

  OperatorHarness k8s;
  HttpServer agent;
  final AtomicReference<String> served = new AtomicReference<>();
  final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    agent.createContext(
        "/v1/state",
        exchange -> {
          try (exchange) {
            requests.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    agent.start();
    GatewayDefaults d = GatewayDefaults.defaults();
    k8s =
        new OperatorHarness()
            .start(
                OperatorHarness.settings()
                    .withGateway(
                        new GatewayDefaults(
                            d.charonImage(),
                            d.agentImage(),
                            agent.getAddress().getPort(),
                            d.maxShardBytes()))
                    .withAgentPolling(
                        new AgentPolling(
                            true,
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(2),
                            Duration.ofMillis(200))));
  }

  @AfterEach
  void stop() {
    k8s.close();
    agent.stop(0);
  }

  @Test
  void agentStateReachesPeerAndGatewayStatus() {
    serve("established", 2);
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "poller-test-psk"));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("peer-b", "gw", "ike", "esp", "psk", 2));
    k8s.create(gatewayPod("gw-gateway-abc", "gw"));

    eventually(
        () -> {
          IpsecPeer p =
              k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("peer-b").get();
          assertThat(condition(p.getStatus().getConditions(), "Established").getStatus())
              .isEqualTo("True");
          assertThat(condition(p.getStatus().getConditions(), "Ready").getStatus())
              .isEqualTo("True");
          assertThat(p.getStatus().getIkeSa().getRemoteHost()).isEqualTo("192.0.2.2");
        });
    eventually(
        () -> assertThat(events("peer-b")).extracting(Event::getReason).contains("TunnelUp"));
    eventually(
        () -> {
          IpsecGlobal gw =
              k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName("gw").get();
          assertThat(gw.getStatus().getPeers().getEstablished()).isEqualTo(1);
          assertThat(gw.getStatus().getPeerSummary()).isEqualTo("1/1");
          assertThat(gw.getStatus().getPods())
              .singleElement()
              .satisfies(
                  pod -> {
                    assertThat(pod.getName()).isEqualTo("gw-gateway-abc");
                    assertThat(pod.getReady()).isTrue();
                  });
          assertThat(gw.getStatus().getReadyPods()).isEqualTo("1/1");
        });
    // the pod was told about the configuration revision (annotation, not a template change)
    eventually(
        () ->
            assertThat(
                    k8s.client
                        .pods()
                        .inNamespace("vpn")
                        .withName("gw-gateway-abc")
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .containsKey(Labels.CONFIG_REVISION));

    serve("auth-failed", 3);
    eventually(
        () -> {
          IpsecPeer p =
              k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("peer-b").get();
          assertThat(condition(p.getStatus().getConditions(), "Established").getReason())
              .isEqualTo("AuthenticationFailed");
        });
    eventually(
        () ->
            assertThat(events("peer-b"))
                .extracting(Event::getReason)
                .contains("TunnelDown", "AuthenticationFailed"));

    agent.stop(0);
    eventually(
        () -> {
          IpsecPeer p =
              k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("peer-b").get();
          var established = condition(p.getStatus().getConditions(), "Established");
          assertThat(established.getStatus()).isEqualTo("Unknown");
          assertThat(established.getReason()).isEqualTo("AgentUnreachable");
        });
  }

  @Test
  void anAgentSpeakingAnotherStateSchemaIsNotReadAndSaysSo() {
    // what an agent of a later release might serve: a document this operator would misread
    served.set(
        new String(
            AgentDocuments.labelledAsSchema(AgentDocuments.fixture("established"), 3),
            StandardCharsets.UTF_8));
    var store = new GatewayStateStore();
    // an unreachable agent is given ten minutes: longer than any wait below
    var settings =
        new AgentPolling(
            true, Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofMillis(200));
    try (var poller = new GatewayPoller(store, settings, Clock.systemUTC())) {
      var id = new GatewayStateStore.GatewayId("vpn", "gw");
      poller.follow(
          id,
          "uid-1",
          Set.of(
              new GatewayPoller.Target(
                  "gw-gateway-abc",
                  InetAddress.getLoopbackAddress().getHostAddress(),
                  agent.getAddress().getPort())));

      // reported at once: waiting does not make the document readable
      String problem =
          "agent of pod gw-gateway-abc speaks state schema 3, this operator understands 1";
      eventually(
          () ->
              assertThat(store.reports(id))
                  .singleElement()
                  .satisfies(
                      r -> {
                        assertThat(r.reachable()).isFalse();
                        assertThat(r.problem()).isEqualTo(problem);
                        assertThat(r.connections()).as("nothing read from it").isEmpty();
                      }));
      IpsecPeerStatus peer =
          PeerStatusBuilder.build(
              null,
              1L,
              List.of(),
              false,
              AgentStateMappingTest.CHILDREN,
              store.observe(id, "peer-b"),
              Clock.systemUTC());
      assertThat(condition(peer.getConditions(), "Established").getStatus()).isEqualTo("Unknown");
      assertThat(condition(peer.getConditions(), "Established").getMessage()).isEqualTo(problem);

      // the agent replaced by one of this operator's schema: read again
      serve("established", 2);
      eventually(
          () ->
              assertThat(store.reports(id))
                  .singleElement()
                  .satisfies(
                      r -> {
                        assertThat(r.reachable()).isTrue();
                        assertThat(r.connections().get("peer-b").established()).isTrue();
                      }));
    }
  }

  @Test
  void deletingTheGatewayStopsItsPollers() {
    serve("established", 2);
    k8s.create(TestResources.gateway("gw"));
    // the pod stays: the mock server has no garbage collector, so only the deletion of the
    // IpsecGlobal itself can stop the poller
    k8s.create(gatewayPod("gw-gateway-abc", "gw"));
    var gatewayId = new GatewayStateStore.GatewayId("vpn", "gw");
    eventually(
        () -> {
          assertThat(requests.get()).isPositive();
          assertThat(k8s.operator().gatewayStates().reports(gatewayId)).isNotEmpty();
        });

    k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName("gw").delete();
    eventually(() -> assertThat(k8s.operator().gatewayStates().reports(gatewayId)).isEmpty());
    // no request reaches the agent any more: over a second (a poll cycle is at most one long-poll
    // wait plus a retry backoff, here 1.2 s) the count stays where it was
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              int before = requests.get();
              Thread.sleep(1500);
              return requests.get() == before;
            });
    assertThat(k8s.operator().gatewayStates().reports(gatewayId)).isEmpty();
  }

  @Test
  void aLateReconcileOfADeletedGatewayStartsNoPoller() {
    serve("established", 2);
    var store = new GatewayStateStore();
    var settings =
        new AgentPolling(
            true, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(200));
    try (var poller = new GatewayPoller(store, settings, Clock.systemUTC())) {
      var id = new GatewayStateStore.GatewayId("vpn", "gw");
      var pod =
          Set.of(
              new GatewayPoller.Target(
                  "gw-gateway-abc",
                  InetAddress.getLoopbackAddress().getHostAddress(),
                  agent.getAddress().getPort()));
      poller.follow(id, "uid-1", pod);
      assertThat(poller.following(id)).isEqualTo(1);
      poller.retire(id, "uid-1");
      poller.follow(id, "uid-1", pod); // a reconcile that was running when the deletion came
      assertThat(poller.following(id)).isZero();
      assertThat(store.reports(id)).isEmpty();
      poller.follow(id, "uid-2", pod); // a new IpsecGlobal of the same name
      assertThat(poller.following(id)).isEqualTo(1);
    }
  }

  /** Serves a recorded document as the agent's state at {@code revision}. */
  void serve(String fixture, long revision) {
    AgentStateDocument recorded = AgentDocuments.fixture(fixture);
    byte[] body = AgentDocuments.json(AgentStateDocument.of(revision, recorded.state()));
    served.set(new String(body, StandardCharsets.UTF_8));
  }

  static Pod gatewayPod(String name, String gateway) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("vpn")
        .withLabels(Labels.podSelector(gateway))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("agent")
        .withImage("agent")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPodIP(InetAddress.getLoopbackAddress().getHostAddress())
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  List<Event> events(String about) {
    return k8s.client.v1().events().inNamespace("vpn").list().getItems().stream()
        .filter(e -> about.equals(e.getInvolvedObject().getName()))
        .toList();
  }
}
