package dev.ipsec.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.AgentMetric;
import dev.ipsec.operator.api.v1alpha1.ChildSaStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.demo.PeerTable;
import dev.ipsec.operator.e2e.E2eCluster.Site;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciMessage;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 5 of issue 6, a hot change: a hub gateway has tunnels up to three spokes; the prefixes
 * of one of its peers are edited. That peer's CHILD SA is renegotiated with the new selectors, the
 * other peers' IKE and CHILD SAs keep their unique ids, and no gateway pod restarts: same Pod
 * (uid), charon never restarted (as the agent saw it), same Deployment template.
 */
class HotChangeE2eTest {

  private static final Path GROUPS =
      Path.of(System.getProperty("project.root", ".."), "examples", "site-to-site", "groups.yaml");
  private static final Site HUB = new Site("hub", "203.0.113.10", "198.51.100.1");

  /** Spokes and their inner prefixes; the hub's is 198.51.100.0/26. */
  private static final Map<Site, String> SPOKES = new LinkedHashMap<>();

  static {
    SPOKES.put(new Site("spoke-b", "203.0.113.20", "198.51.100.65"), "198.51.100.64/26");
    SPOKES.put(new Site("spoke-c", "203.0.113.30", "198.51.100.129"), "198.51.100.128/26");
    SPOKES.put(new Site("spoke-d", "203.0.113.40", "198.51.100.193"), "198.51.100.192/26");
  }

  private static final String HUB_PREFIX = "198.51.100.0/26";
  private static final String NARROWED_HUB_PREFIX = "198.51.100.0/27";
  private static final String EDITED = "hub-to-spoke-b";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  @RegisterExtension final E2eCluster cluster = E2eCluster.forEachTest("e2e-hot", hubAndSpokes());
  private Path manifests;

  private static List<Site> hubAndSpokes() {
    List<Site> sites = new ArrayList<>(List.of(HUB));
    sites.addAll(SPOKES.keySet());
    return sites;
  }

  @BeforeEach
  void manifestDirectory() throws IOException {
    manifests = Files.createTempDirectory("e2e-hot-");
    cluster.closeAfterTest(
        () -> {
          try (var files = Files.list(manifests)) {
            files.forEach(f -> f.toFile().delete());
          }
          Files.deleteIfExists(manifests);
        });
  }

  @Test
  void editingOnePeersPrefixesRenegotiatesItsChildSaOnlyAndRestartsNothing() {
    cluster.apply(GROUPS);
    // the responders first, so the hub never initiates towards a gateway without its config
    SPOKES.forEach(
        (spoke, prefix) -> cluster.apply(manifest(spoke.gateway(), spokeManifest(spoke, prefix))));
    SPOKES.keySet().forEach(spoke -> awaitPodReady(spoke.gateway()));
    cluster.apply(manifest(HUB.gateway(), hubManifest()));
    for (Site spoke : SPOKES.keySet()) {
      cluster.awaitPeer(hubPeer(spoke), HotChangeE2eTest::up, READY_TIMEOUT);
    }

    Map<String, Pod> podsBefore = pods();
    Deployment hubBefore = hubDeployment();
    try (ViciClient hubVici = new ViciClient(cluster.viciSocket(HUB.gateway()))) {
      long charonRestarts = charonRestarts(HUB);
      Map<String, SaIds> before = saIds(hubVici);
      assertThat(before).containsOnlyKeys("hub-to-spoke-b", "hub-to-spoke-c", "hub-to-spoke-d");
      assertThat(before.get(EDITED).localTs()).containsExactly(HUB_PREFIX);
      long updated = System.nanoTime();
      IpsecPeer edited = cluster.peer(EDITED);
      Tunnel tunnel = edited.getSpec().getTunnels().get(0);
      tunnel.getLocal().setPrefixes(List.of(NARROWED_HUB_PREFIX));
      long generation = cluster.client().resource(edited).update().getMetadata().getGeneration();

      Duration toCharon = awaitNarrowedChild(hubVici, updated, generation);
      // the status shows the renegotiated selectors (a transition), for the new generation
      cluster.awaitPeer(
          EDITED,
          p ->
              up(p)
                  && p.getStatus().getObservedGeneration() != null
                  && p.getStatus().getObservedGeneration() == generation
                  && p.getStatus().getTunnels().get(0).getLocalTrafficSelectors() != null
                  && p.getStatus()
                      .getTunnels()
                      .get(0)
                      .getLocalTrafficSelectors()
                      .equals(List.of(NARROWED_HUB_PREFIX)),
          READY_TIMEOUT);
      Duration toStatus = Duration.ofNanos(System.nanoTime() - updated);
      assertThat(PeerStatuses.condition(cluster.peer(EDITED), "ConfigLoaded"))
          .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
      System.out.printf(
          "e2e hot change: update of %s -> new CHILD SA with the new selectors in charon %d ms,"
              + " in status (Ready, new generation) %d ms%n",
          EDITED, toCharon.toMillis(), toStatus.toMillis());

      Map<String, SaIds> after = saIds(hubVici);
      assertThat(after.get(EDITED).localTs()).containsExactly(NARROWED_HUB_PREFIX);
      assertThat(after.get(EDITED).childId()).isNotEqualTo(before.get(EDITED).childId());
      for (String other : List.of("hub-to-spoke-c", "hub-to-spoke-d")) {
        assertThat(after.get(other)).as(other).isEqualTo(before.get(other));
      }
      // the spoke narrowed its side to the hub's new selector
      try (ViciClient spokeVici = new ViciClient(cluster.viciSocket("spoke-b"))) {
        assertThat(saIds(spokeVici).get("spoke-b-to-hub").remoteTs())
            .containsExactly(NARROWED_HUB_PREFIX);
      }

      assertThat(charonRestarts(HUB))
          .as("charon restarts the hub's agent saw")
          .isEqualTo(charonRestarts)
          .isZero();
    }
    Map<String, Pod> podsAfter = pods();
    podsBefore.forEach(
        (gateway, pod) -> {
          assertThat(podsAfter.get(gateway).getMetadata().getName())
              .isEqualTo(pod.getMetadata().getName());
          assertThat(podsAfter.get(gateway).getMetadata().getUid())
              .isEqualTo(pod.getMetadata().getUid());
        });
    Deployment hubAfter = hubDeployment();
    assertThat(json(hubAfter.getSpec().getTemplate()))
        .isEqualTo(json(hubBefore.getSpec().getTemplate()));
    assertThat(hubAfter.getMetadata().getGeneration())
        .isEqualTo(hubBefore.getMetadata().getGeneration());
  }

  /**
   * Polls the hub's charon (bounded) until the edited peer's installed CHILD SA has the new
   * selector. Meanwhile the peer's status may observe {@code generation} only once charon has its
   * configuration: the status is read first, so a status that observed it before the hub's agent
   * loaded it would meet charon without the new selector (issue 15, honest generations).
   */
  private Duration awaitNarrowedChild(ViciClient vici, long since, long generation) {
    long deadline = since + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      IpsecPeer status = cluster.peer(EDITED);
      if (status.getStatus() != null
          && Objects.equals(status.getStatus().getObservedGeneration(), generation)) {
        assertThat(loadedLocalTs(vici))
            .as("charon's selectors of %s once generation %d is observed", EDITED, generation)
            .containsExactly(NARROWED_HUB_PREFIX);
      }
      SaIds ids = saIds(vici).get(EDITED);
      if (ids != null && ids.localTs().equals(List.of(NARROWED_HUB_PREFIX))) {
        return Duration.ofNanos(System.nanoTime() - since);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(
        EDITED
            + " has no CHILD SA with "
            + NARROWED_HUB_PREFIX
            + " within "
            + READY_TIMEOUT
            + ": "
            + saIds(vici));
  }

  /** The local selectors of the edited peer's tunnel as charon has the connection loaded. */
  private static List<String> loadedLocalTs(ViciClient vici) {
    List<String> ts = new ArrayList<>();
    for (ViciMessage event :
        vici.stream("list-conns", "list-conn", ViciMessage.empty().put("ike", EDITED))) {
      event
          .section(EDITED)
          .flatMap(c -> c.section("children"))
          .ifPresent(
              children -> children.sections().values().forEach(c -> ts.addAll(c.list("local-ts"))));
    }
    return ts;
  }

  /** The unique ids and selectors of a connection's IKE SA and its (one) installed CHILD SA. */
  record SaIds(String ikeId, String childId, List<String> localTs, List<String> remoteTs) {}

  private static Map<String, SaIds> saIds(ViciClient vici) {
    Map<String, SaIds> ids = new TreeMap<>();
    for (ViciMessage event :
        vici.stream("list-sas", "list-sa", ViciMessage.empty().put("noblock", "yes"))) {
      event
          .sections()
          .forEach(
              (name, ike) -> {
                if (!"ESTABLISHED".equals(ike.string("state", ""))) {
                  return;
                }
                ike.section("child-sas")
                    .ifPresent(
                        children ->
                            children.sections().values().stream()
                                .filter(child -> "INSTALLED".equals(child.string("state", "")))
                                .forEach(
                                    child ->
                                        ids.put(
                                            name,
                                            new SaIds(
                                                ike.string("uniqueid", ""),
                                                child.string("uniqueid", ""),
                                                child.list("local-ts"),
                                                child.list("remote-ts")))));
              });
    }
    return ids;
  }

  /**
   * How many charon restarts the gateway's agent has seen (it notices a new VICI connection or a
   * new start time), from its metrics on the pod address: the plain port, since the state API
   * answers the operator's client certificate only.
   */
  private static long charonRestarts(Site site) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://"
                                  + site.podAddress()
                                  + ":"
                                  + GatewayDefaults.DEFAULT_AGENT_METRICS_PORT
                                  + "/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      String series = AgentMetric.CHARON_RESTARTS.prometheusName() + " ";
      return response
          .body()
          .lines()
          .filter(line -> line.startsWith(series))
          .map(line -> (long) Double.parseDouble(line.substring(series.length()).strip()))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no " + series + "in " + response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Pod> pods() {
    Map<String, Pod> pods = new TreeMap<>();
    pods.put(HUB.gateway(), cluster.gatewayPod(HUB.gateway()));
    SPOKES.keySet().forEach(s -> pods.put(s.gateway(), cluster.gatewayPod(s.gateway())));
    return pods;
  }

  private Deployment hubDeployment() {
    return cluster
        .client()
        .apps()
        .deployments()
        .inNamespace(cluster.namespace())
        .withName(HUB.gateway() + "-gateway")
        .get();
  }

  private String json(Object o) {
    return cluster.client().getKubernetesSerialization().asJson(o);
  }

  /** Waits (bounded) until the gateway's pod runs and its agent reports ready. */
  private void awaitPodReady(String gateway) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      List<Pod> pods =
          cluster
              .client()
              .pods()
              .inNamespace(cluster.namespace())
              .withLabel(Labels.GATEWAY, gateway)
              .list()
              .getItems();
      if (pods.size() == 1
          && pods.get(0).getStatus() != null
          && pods.get(0).getStatus().getConditions() != null
          && pods.get(0).getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(
        "the pod of gateway " + gateway + " did not become Ready within " + READY_TIMEOUT);
  }

  /** Up, with every tunnel's install time reported too. */
  private static boolean up(IpsecPeer peer) {
    return PeerTable.isUp(peer)
        && peer.getStatus().getTunnels().stream()
            .map(ChildSaStatus::getInstalledAt)
            .allMatch(Objects::nonNull);
  }

  private static String hubPeer(Site spoke) {
    return "hub-to-" + spoke.gateway();
  }

  private Path manifest(String name, String yaml) {
    Path file = manifests.resolve(name + ".yaml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static String hubManifest() {
    StringBuilder yaml = new StringBuilder(gateway(HUB.gateway()));
    for (Map.Entry<Site, String> spoke : SPOKES.entrySet()) {
      Site s = spoke.getKey();
      yaml.append(
          peer(
              hubPeer(s),
              HUB.gateway(),
              "initiate",
              "hub.example.org",
              s.gateway() + ".example.org",
              HUB.podAddress(),
              s.podAddress(),
              HUB_PREFIX,
              spoke.getValue(),
              "psk-" + s.gateway()));
    }
    return yaml.toString();
  }

  private static String spokeManifest(Site spoke, String prefix) {
    return gateway(spoke.gateway())
        + peer(
            spoke.gateway() + "-to-hub",
            spoke.gateway(),
            "respond",
            spoke.gateway() + ".example.org",
            "hub.example.org",
            spoke.podAddress(),
            HUB.podAddress(),
            prefix,
            HUB_PREFIX,
            "psk-" + spoke.gateway());
  }

  private static String gateway(String name) {
    return """
    apiVersion: ipsec.dev/v1alpha1
    kind: IpsecGlobal
    metadata:
      name: %s
    spec:
      log:
        level: 1
      gateway:
        replicas: 1
        userSpaceEsp: true
    """
        .formatted(name);
  }

  /**
   * A PSK peer with one tunnel, and the Secret it uses (one Secret object per gateway and pair).
   */
  private static String peer(
      String name,
      String gateway,
      String connectionType,
      String localId,
      String remoteId,
      String localAddress,
      String remoteAddress,
      String localPrefix,
      String remotePrefix,
      String secret) {
    return """
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: %1$s
    type: Opaque
    stringData:
      psk: e2e-hot-change-%8$s
    ---
    apiVersion: ipsec.dev/v1alpha1
    kind: IpsecPeer
    metadata:
      name: %2$s
    spec:
      gateway: %3$s
      authentication:
        mode: pre-shared-secret
        localId: %4$s
        remoteId: %5$s
        preSharedSecret:
          secretRef:
            name: %1$s
            key: psk
      ikeGroup: ike-aes256-modp2048
      defaultEspGroup: esp-aes256
      connectionType: %9$s
      localAddress: %6$s
      remoteAddresses:
        - %7$s
      tunnels:
        - id: 1
          local:
            prefixes: [%10$s]
          remote:
            prefixes: [%11$s]
    """
        .formatted(
            name + "-psk",
            name,
            gateway,
            localId,
            remoteId,
            localAddress,
            remoteAddress,
            secret,
            connectionType,
            localPrefix,
            remotePrefix);
  }
}
