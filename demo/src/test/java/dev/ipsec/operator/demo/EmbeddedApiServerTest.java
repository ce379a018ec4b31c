package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What kubectl and the operator need from the embedded API server. */
class EmbeddedApiServerTest {
  private static EmbeddedApiServer server;
  private static KubernetesClient client;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0);
    client = server.client();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aStrategicMergePatchOfABuiltInKindIsAppliedAsAMergePatch() {
    client
        .secrets()
        .inNamespace("smp")
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("psk")
                .withNamespace("smp")
                .endMetadata()
                .addToData("psk", "c2VjcmV0")
                .build())
        .create();

    // what kubectl apply sends for a Secret it did not create
    client
        .secrets()
        .inNamespace("smp")
        .withName("psk")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.STRATEGIC_MERGE),
            "{\"metadata\":{\"annotations\":{\"applied\":\"yes\"}}}");

    var secret = client.secrets().inNamespace("smp").withName("psk").get();
    assertThat(secret.getMetadata().getAnnotations()).containsEntry("applied", "yes");
    assertThat(secret.getData()).containsEntry("psk", "c2VjcmV0");
  }

  /**
   * As a real kube-apiserver's watch cache does: an object that comes to match a label-selected
   * watch is ADDED to it, one that stops matching is DELETED from it. The operator caches
   * referenced Secrets by such a selector and relies on both.
   */
  @Test
  void aLabelSelectedWatchSeesAnObjectEnterAndLeaveTheSelection() throws Exception {
    var seen = new LinkedBlockingQueue<String>();
    var secrets = client.secrets().inNamespace("watch");
    secrets
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("psk")
                .withNamespace("watch")
                .endMetadata()
                .addToData("psk", "c2VjcmV0")
                .build())
        .create();
    try (var watch =
        secrets
            .withLabel("ipsec.dev/referenced", "true")
            .watch(
                new Watcher<io.fabric8.kubernetes.api.model.Secret>() {
                  @Override
                  public void eventReceived(Action action, Secret resource) {
                    seen.add(action + " " + resource.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      var merge = PatchContext.of(PatchType.JSON_MERGE);
      secrets
          .withName("psk")
          .patch(merge, "{\"metadata\":{\"labels\":{\"ipsec.dev/referenced\":\"true\"}}}");
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED psk");
      secrets.withName("psk").patch(merge, "{\"metadata\":{\"labels\":{\"other\":\"x\"}}}");
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("MODIFIED psk");
      secrets
          .withName("psk")
          .patch(merge, "{\"metadata\":{\"labels\":{\"ipsec.dev/referenced\":null}}}");
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("DELETED psk");
    }
  }

  @Test
  void discoveryListsTheGroupAndItsResourcesWithShortNamesAndCategories() {
    assertThat(client.getApiGroups().getGroups())
        .anySatisfy(g -> assertThat(g.getName()).isEqualTo("ipsec.dev"));
    APIResourceList resources = client.getApiResources("ipsec.dev/v1alpha1");
    assertThat(resources.getResources())
        .extracting(APIResource::getName)
        .contains("ipsecpeers", "ipsecpeers/status", "ikegroups", "espgroups", "ipsecglobals");
    APIResource peers =
        resources.getResources().stream()
            .filter(r -> r.getName().equals("ipsecpeers"))
            .findFirst()
            .orElseThrow();
    assertThat(peers.getShortNames()).containsExactly("ipp");
    assertThat(peers.getCategories()).containsExactly("ipsec");
    assertThat(peers.getNamespaced()).isTrue();
    assertThat(client.getApiResources("v1").getResources())
        .extracting(APIResource::getName)
        .contains("pods", "configmaps", "secrets");
  }

  @Test
  void aSecretsStringDataIsMergedIntoItsDataAndNeverStored() {
    client
        .secrets()
        .inNamespace("sd")
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("psk")
                .withNamespace("sd")
                .endMetadata()
                .addToData("psk", "b2xk")
                .addToData("other", "a2VwdA==")
                .addToStringData("psk", "new")
                .build())
        .create();

    var stored = client.secrets().inNamespace("sd").withName("psk").get();
    assertThat(stored.getStringData()).isNullOrEmpty();
    assertThat(stored.getData()).containsEntry("psk", "bmV3").containsEntry("other", "a2VwdA==");
  }

  @Test
  void aSelfSubjectRulesReviewIsAnsweredAsARealServerAnswersAnAdmin() {
    // JOSDK asks one before it runs leader election; a real server answers every user
    var review =
        client
            .authorization()
            .v1()
            .selfSubjectRulesReview()
            .create(
                new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
                    .withNewSpec()
                    .withNamespace("leases")
                    .endSpec()
                    .build());

    assertThat(review.getSpec().getNamespace()).isEqualTo("leases");
    assertThat(review.getStatus().getIncomplete()).isFalse();
    assertThat(review.getStatus().getResourceRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getVerbs()).containsExactly("*");
              assertThat(r.getResources()).containsExactly("*");
            });
    var access =
        client
            .authorization()
            .v1()
            .selfSubjectAccessReview()
            .create(
                new io.fabric8.kubernetes.api.model.authorization.v1
                        .SelfSubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withNewResourceAttributes()
                    .withVerb("get")
                    .withResource("leases")
                    .endResourceAttributes()
                    .endSpec()
                    .build());
    assertThat(access.getStatus().getAllowed()).isTrue();
  }

  @Test
  void crudAndStatusSubresourceWork() throws Exception {
    IpsecPeer peer = read("peer.yaml");
    IpsecPeer created = client.resource(peer).inNamespace("default").create();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    IpsecPeerStatus status = new IpsecPeerStatus();
    status.setObservedGeneration(1L);
    IkeSaStatus ike = new IkeSaStatus();
    ike.setState("ESTABLISHED");
    status.setIkeSa(ike);
    status.setTunnelSummary("1/1");
    status.setConditions(List.of(condition("Ready", "True", "TunnelsUp", "all up")));
    created.setStatus(status);
    client.resource(created).inNamespace("default").patchStatus();

    IpsecPeer fetched =
        client.resources(IpsecPeer.class).inNamespace("default").withName("branch").get();
    assertThat(fetched.getStatus().getIkeSa().getState()).isEqualTo("ESTABLISHED");
    assertThat(fetched.getMetadata().getGeneration())
        .as("status writes keep the generation")
        .isEqualTo(1L);
  }

  @Test
  void tableResponsesCarryThePrinterColumns() throws Exception {
    IpsecPeer peer = read("peer.yaml");
    peer.getMetadata().setName("table-peer");
    IpsecPeer created = client.resource(peer).inNamespace("default").create();
    IpsecPeerStatus status = new IpsecPeerStatus();
    status.setTunnelSummary("0/1");
    status.setConditions(List.of(condition("Ready", "False", "Connecting", "IKE SA connecting")));
    created.setStatus(status);
    client.resource(created).inNamespace("default").patchStatus();

    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        server.url() + "apis/ipsec.dev/v1alpha1/namespaces/default/ipsecpeers"))
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode table = JSON.readTree(response.body());
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    List<String> columns = table.path("columnDefinitions").findValuesAsText("name");
    assertThat(columns.get(0)).isEqualTo("Name");
    assertThat(columns)
        .containsExactlyInAnyOrder(
            "Name",
            "Age",
            "Gateway",
            "Ready",
            "Remote",
            "State",
            "Tunnels",
            "Valid",
            "Loaded",
            "Generation",
            "Running");
    JsonNode row = null;
    for (JsonNode r : table.path("rows")) {
      if (r.path("cells").get(0).asText().equals("table-peer")) {
        row = r;
      }
    }
    assertThat(row).isNotNull();
    assertThat(row.path("cells").get(columns.indexOf("Gateway")).asText()).isEqualTo("gw");
    assertThat(row.path("cells").get(columns.indexOf("Ready")).asText()).isEqualTo("False");
    assertThat(row.path("cells").get(columns.indexOf("Tunnels")).asText()).isEqualTo("0/1");
  }

  @Test
  void writesAKubeconfigThatPointsAtTheServer(@TempDir Path dir) throws Exception {
    Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
    assertThat(Files.readString(kubeconfig))
        .contains("server: " + server.url().replaceAll("/$", ""));
  }

  private static IpsecPeer read(String resource) throws Exception {
    try (InputStream in = EmbeddedApiServerTest.class.getResourceAsStream(resource)) {
      return client.getKubernetesSerialization().unmarshal(in, IpsecPeer.class);
    }
  }

  /** A condition as metav1.Condition's schema wants it, with its transition time. */
  private static Condition condition(String type, String status, String reason, String message) {
    Condition condition = new Condition(type, status, reason, message);
    condition.setLastTransitionTime("2026-12-06T10:00:00Z");
    return condition;
  }
}
