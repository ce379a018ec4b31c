package dev.ipsec.operator.reconcile.agentstate;

import static dev.ipsec.operator.reconcile.CryptoGroupReconcilerTest.condition;
import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.RenewingCertificate;
import dev.ipsec.operator.reconcile.OperatorHarness;
import dev.ipsec.operator.reconcile.OwnedPods;
import dev.ipsec.operator.reconcile.TestResources;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.status.PeerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poller end to end: a fake agent on the loopback interface serves the recorded snapshots over
 * the agents' mutual TLS, a gateway pod (owned through a ReplicaSet by the gateway's Deployment)
 * points at it, and the operator maps what it serves onto the IpsecPeer and the IpsecGlobal, then
 * notices when the agent goes away. Pods it does not own, agents of other gateways and answers it
 * cannot or must not read are errors of that pod, never of the poller.
 */
class GatewayPollerTest {

  OperatorHarness k8s;
  CertificateAuthority ca;
  FakeAgent agent;

  @BeforeEach
  void start() throws IOException {
    k8s = new OperatorHarness();
    // the operator's CA, created as the operator's first start would; the operator reuses it
    ca = OperatorHarness.settings().caSecret().loadOrCreate(k8s.client, Clock.systemUTC());
    agent = FakeAgent.start(ca, "vpn", "gw");
    GatewayDefaults d = GatewayDefaults.defaults();
    k8s.start(
        OperatorHarness.settings()
            .withGateway(d.withAgentPorts(agent.port(), d.agentMetricsPort()))
            .withAgentPolling(
                new AgentPolling(
                    true, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(200))));
  }

  @AfterEach
  void stop() {
    k8s.close();
    agent.close();
  }

  @Test
  void agentStateReachesPeerAndGatewayStatus() {
    serve("established", 2);
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "poller-test-psk"));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("peer-b", "gw", "ike", "esp", "psk", 2));
    OwnedPods.create(k8s, "gw", "gw-gateway-abc");

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

    agent.close();
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
    agent.served.set(AgentDocuments.labelledAsSchema(AgentDocuments.fixture("established"), 3));
    var store = new GatewayStateStore();
    // an unreachable agent is given ten minutes: longer than any wait below
    var settings =
        new AgentPolling(
            true, Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofMillis(200));
    try (var poller = poller(store, settings)) {
      var id = new GatewayStateStore.GatewayId("vpn", "gw");
      poller.follow(id, "uid-1", Set.of(agent.target("gw-gateway-abc")));

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
    OwnedPods.create(k8s, "gw", "gw-gateway-abc");
    var gatewayId = new GatewayStateStore.GatewayId("vpn", "gw");
    eventually(
        () -> {
          assertThat(agent.requests.get()).isPositive();
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
              int before = agent.requests.get();
              Thread.sleep(1500);
              return agent.requests.get() == before;
            });
    assertThat(k8s.operator().gatewayStates().reports(gatewayId)).isEmpty();
  }

  /**
   * Issue 15: while the IpsecGlobal is invalid nothing of it is written, but its agents are still
   * the pods that exist. A deleted pod is no longer polled (its address may soon be another pod's),
   * and a new one is followed.
   */
  @Test
  void theAgentsFollowedAreThePodsThatExistWhileTheGatewayIsInvalid() {
    serve("established", 2);
    k8s.create(TestResources.gateway("gw"));
    OwnedPods.create(k8s, "gw", "gw-gateway-abc");
    var gatewayId = new GatewayStateStore.GatewayId("vpn", "gw");
    eventually(
        () ->
            assertThat(k8s.operator().gatewayStates().reports(gatewayId))
                .extracting(AgentReport::pod)
                .containsExactly("gw-gateway-abc"));

    // stored before the schema refused it: the renderer refuses it, nothing is written. The edit
    // carries the resourceVersion it read, and the operator writes the status meanwhile: a 409 is
    // answered by reading again, as kubectl edit would have the user do
    eventually(
        () ->
            k8s.client
                .resources(IpsecGlobal.class)
                .inNamespace("vpn")
                .withName("gw")
                .edit(
                    g -> {
                      g.getSpec().getGateway().setReplicas(2);
                      return g;
                    }));
    eventually(
        () ->
            assertThat(
                    condition(
                            k8s.client
                                .resources(IpsecGlobal.class)
                                .inNamespace("vpn")
                                .withName("gw")
                                .get()
                                .getStatus()
                                .getConditions(),
                            "Valid")
                        .getStatus())
                .isEqualTo("False"));

    k8s.client.pods().inNamespace("vpn").withName("gw-gateway-abc").delete();
    eventually(() -> assertThat(k8s.operator().gatewayStates().reports(gatewayId)).isEmpty());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              int before = agent.requests.get();
              Thread.sleep(1500);
              return agent.requests.get() == before;
            });

    OwnedPods.create(k8s, "gw", "gw-gateway-def");
    eventually(
        () ->
            assertThat(k8s.operator().gatewayStates().reports(gatewayId))
                .extracting(AgentReport::pod)
                .containsExactly("gw-gateway-def"));
  }

  @Test
  void aLateReconcileOfADeletedGatewayStartsNoPoller() {
    serve("established", 2);
    var store = new GatewayStateStore();
    var settings =
        new AgentPolling(
            true, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(200));
    try (var poller = poller(store, settings)) {
      var id = new GatewayStateStore.GatewayId("vpn", "gw");
      var pod = Set.of(agent.target("gw-gateway-abc"));
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

  @Test
  void podsWithTheGatewaysLabelsButNotItsOwnerChainAreIgnored() {
    serve("established", 2);
    k8s.create(TestResources.gateway("gw"));
    var gatewayId = new GatewayStateStore.GatewayId("vpn", "gw");
    // what anyone who may create pods in the namespace can do: copy the labels
    OwnedPods.impostor(k8s, "gw", "gw-gateway-fake");
    OwnedPods.impostorUnderForeignReplicaSet(k8s, "gw", "gw-gateway-fake2");
    OwnedPods.create(k8s, "gw", "gw-gateway-abc");

    eventually(
        () ->
            assertThat(k8s.operator().gatewayStates().reports(gatewayId))
                .extracting(AgentReport::pod)
                .containsExactly("gw-gateway-abc"));
    eventually(
        () ->
            assertThat(
                    k8s.client
                        .resources(IpsecGlobal.class)
                        .inNamespace("vpn")
                        .withName("gw")
                        .get()
                        .getStatus()
                        .getPods())
                .extracting(p -> p.getName())
                .containsExactly("gw-gateway-abc"));
    assertThat(
            k8s.client
                .pods()
                .inNamespace("vpn")
                .withName("gw-gateway-fake")
                .get()
                .getMetadata()
                .getAnnotations())
        .as("not told about configuration either")
        .isNullOrEmpty();
  }

  @Test
  void anAgentAnsweringTenMibIsCutOffWithAnErrorForThatPodAlone() throws IOException {
    agent.served.set(new byte[10 * 1024 * 1024]);
    var store = new GatewayStateStore();
    var id = new GatewayStateStore.GatewayId("vpn", "gw");
    try (FakeAgent good = FakeAgent.start(ca, "vpn", "gw");
        var poller = poller(store, failingAtOnce())) {
      good.served.set(
          AgentDocuments.json(
              AgentStateDocument.of(2, AgentDocuments.fixture("established").state())));
      poller.follow(
          id, "uid-1", Set.of(agent.target("gw-gateway-big"), good.target("gw-gateway-ok")));

      eventually(
          () -> {
            assertThat(report(store, id, "gw-gateway-big").reachable()).isFalse();
            assertThat(report(store, id, "gw-gateway-big").problem())
                .contains("the answer exceeds 8388608 bytes");
            assertThat(report(store, id, "gw-gateway-ok").reachable()).isTrue();
          });

      // the poller goes on: the same agent answering sensibly is read again
      serve("established", 2);
      eventually(() -> assertThat(report(store, id, "gw-gateway-big").reachable()).isTrue());
    }
  }

  @Test
  void aMalformedAnswerIsAnErrorForThatPod() {
    agent.served.set("{\"schemaVersion\": 1, \"revision\": ".getBytes(StandardCharsets.UTF_8));
    var store = new GatewayStateStore();
    var id = new GatewayStateStore.GatewayId("vpn", "gw");
    try (var poller = poller(store, failingAtOnce())) {
      poller.follow(id, "uid-1", Set.of(agent.target("gw-gateway-abc")));

      eventually(
          () ->
              assertThat(report(store, id, "gw-gateway-abc").problem())
                  .contains("unreadable state document"));
    }
  }

  @Test
  void anAgentOfAnotherGatewayOrAnotherCaIsNotRead() throws IOException {
    serve("established", 2);
    var store = new GatewayStateStore();
    var id = new GatewayStateStore.GatewayId("vpn", "gw");
    CertificateAuthority foreign = CertificateAuthority.create("test CA", Clock.systemUTC());
    try (FakeAgent otherGateway = FakeAgent.start(ca, "vpn", "other");
        FakeAgent otherCa = FakeAgent.start(foreign, "vpn", "gw");
        var poller = poller(store, failingAtOnce())) {
      otherGateway.served.set(agent.served.get());
      otherCa.served.set(agent.served.get());
      // a pod of gateway gw whose IP now answers with another gateway's agent (or another CA's)
      poller.follow(
          id, "uid-1", Set.of(otherGateway.target("gw-gateway-a"), otherCa.target("gw-gateway-b")));

      eventually(
          () -> {
            assertThat(report(store, id, "gw-gateway-a").problem())
                .contains(
                    "presents the certificate of urn:ipsec-operator:gateway:vpn:other, not of"
                        + " urn:ipsec-operator:gateway:vpn:gw");
            assertThat(report(store, id, "gw-gateway-a").connections()).isEmpty();
            assertThat(report(store, id, "gw-gateway-b").reachable()).isFalse();
            assertThat(report(store, id, "gw-gateway-b").connections()).isEmpty();
          });
    }
  }

  /** Long-polls of 1 s, and a failure reported at once instead of after a grace. */
  static AgentPolling failingAtOnce() {
    return new AgentPolling(true, Duration.ofSeconds(1), Duration.ZERO, Duration.ofMillis(200));
  }

  static AgentReport report(GatewayStateStore store, GatewayStateStore.GatewayId id, String pod) {
    return store.reports(id).stream()
        .filter(r -> r.pod().equals(pod))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no report of " + pod));
  }

  /** Serves a recorded document as the agent's state at {@code revision}. */
  void serve(String fixture, long revision) {
    AgentStateDocument recorded = AgentDocuments.fixture(fixture);
    agent.served.set(AgentDocuments.json(AgentStateDocument.of(revision, recorded.state())));
  }

  /** A poller with the operator's client certificate from the test's CA. */
  GatewayPoller poller(GatewayStateStore store, AgentPolling settings) {
    return new GatewayPoller(
        store,
        settings,
        Clock.systemUTC(),
        new AgentClient(
            RenewingCertificate.operatorClient(ca, Clock.systemUTC()), ca, Clock.systemUTC()));
  }

  List<Event> events(String about) {
    return k8s.client.v1().events().inNamespace("vpn").list().getItems().stream()
        .filter(e -> about.equals(e.getInvolvedObject().getName()))
        .toList();
  }
}
