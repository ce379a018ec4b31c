package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl get} and {@code kubectl describe} read from a real API server. References:
 * "Receiving resources as Tables" (https://kubernetes.io/docs/reference/using-api/api-concepts/
 * #receiving-resources-as-tables): the server computes the columns and cells, ages already
 * human-readable; "Field Selectors"
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/ field-selectors/): Events
 * select on involvedObject.*, which {@code kubectl describe} uses.
 */
class ServerSidePrintingConformanceTest {
  private static final String TABLE =
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

  private static EmbeddedApiServer server;
  private static ApiCalls api;

  @BeforeAll
  static void start() {
    server = new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0);
    api = new ApiCalls(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void eventsAreSelectedByTheirInvolvedObject() {
    api.post(
        "/api/v1/namespaces/printing/events", event("about-b", "site-b", "uid-b", "Established"));
    api.post(
        "/api/v1/namespaces/printing/events", event("about-c", "site-c", "uid-c", "Established"));
    String selector =
        "involvedObject.namespace=printing,involvedObject.kind=IpsecPeer,involvedObject.uid=uid-b,involvedObject.name=site-b";

    JsonNode list =
        api.get(
                "/api/v1/namespaces/printing/events?fieldSelector="
                    + URLEncoder.encode(selector, StandardCharsets.UTF_8)
                    + "&limit=500")
            .body();

    assertThat(list.path("items")).hasSize(1);
    assertThat(list.at("/items/0/metadata/name").asText()).isEqualTo("about-b");
  }

  @Test
  void eventsPrintLastSeenTypeReasonObjectAndMessage() {
    api.post(
        "/api/v1/namespaces/events-table/events",
        event("e1", "site-b", "uid-b", "Established").replace("printing", "events-table"));

    JsonNode table = table("/api/v1/namespaces/events-table/events");

    assertThat(shownColumns(table))
        .containsExactly("Last Seen", "Type", "Reason", "Object", "Message");
    JsonNode cells = table.at("/rows/0/cells");
    assertThat(cells.get(0).asText()).matches("\\d+[sm]");
    assertThat(cells.get(1).asText()).isEqualTo("Normal");
    assertThat(cells.get(2).asText()).isEqualTo("Established");
    assertThat(cells.get(3).asText()).isEqualTo("ipsecpeer/site-b");
    assertThat(cells.get(4).asText()).isEqualTo("IKE SA established");
  }

  @Test
  void podsPrintReadyStatusRestartsAndAge() {
    api.post(
        "/api/v1/namespaces/pods-table/pods",
        """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"gw-0","namespace":"pods-table"},
         "spec":{"containers":[{"name":"charon","image":"x"},{"name":"agent","image":"x"}]}}
        """);
    JsonNode pod = api.get("/api/v1/namespaces/pods-table/pods/gw-0").body();
    ((com.fasterxml.jackson.databind.node.ObjectNode) pod)
        .set(
            "status",
            api.json(
                """
                {"phase":"Running","containerStatuses":[
                  {"name":"charon","ready":true,"restartCount":2},
                  {"name":"agent","ready":false,"restartCount":1}]}
                """));
    api.put("/api/v1/namespaces/pods-table/pods/gw-0/status", pod.toString());

    JsonNode table = table("/api/v1/namespaces/pods-table/pods");

    assertThat(shownColumns(table)).containsExactly("Name", "Ready", "Status", "Restarts", "Age");
    JsonNode cells = table.at("/rows/0/cells");
    assertThat(cells.get(1).asText()).isEqualTo("1/2");
    assertThat(cells.get(2).asText()).isEqualTo("Running");
    assertThat(cells.get(3).asText()).isEqualTo("3");
    assertThat(cells.get(4).asText()).matches("\\d+s");
  }

  @Test
  void deploymentsPrintReadyUpToDateAvailableAndAge() {
    api.post(
        "/apis/apps/v1/namespaces/deploy-table/deployments",
        """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"gw","namespace":"deploy-table"},
         "spec":{"replicas":2,"selector":{"matchLabels":{"a":"b"}},
                 "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"x"}]}}},
         "status":{"readyReplicas":1,"updatedReplicas":2,"availableReplicas":1}}
        """);

    JsonNode table = table("/apis/apps/v1/namespaces/deploy-table/deployments");

    assertThat(shownColumns(table))
        .containsExactly("Name", "Ready", "Up-to-date", "Available", "Age");
    assertThat(table.at("/rows/0/cells/1").asText()).isEqualTo("1/2");
  }

  @Test
  void customResourceAgesAreDurationsAndListsAreCommaSeparated() {
    String peers = "/apis/ipsec.dev/v1alpha1/namespaces/crd-table/ipsecpeers";
    api.post(
        peers,
        """
        {"apiVersion":"ipsec.dev/v1alpha1","kind":"IpsecPeer",
         "metadata":{"name":"site-b","namespace":"crd-table"},
         "spec":{"gateway":"gw","ikeGroup":"ike","defaultEspGroup":"esp","localAddress":"192.0.2.1",
                 "remoteAddresses":["203.0.113.10","203.0.113.11"],
                 "authentication":{"mode":"pre-shared-secret",
                                   "preSharedSecret":{"secretRef":{"name":"psk","key":"secret"}}},
                 "tunnels":[{"id":1,"local":{"prefixes":["10.1.0.0/16"]},"remote":{"prefixes":["10.2.0.0/16"]}}]}}
        """);

    JsonNode table = table(peers);

    List<String> columns = new ArrayList<>();
    table.path("columnDefinitions").forEach(c -> columns.add(c.path("name").asText()));
    JsonNode cells = table.at("/rows/0/cells");
    assertThat(cells.get(columns.indexOf("Age")).asText()).matches("\\d+s");
    assertThat(cells.get(columns.indexOf("Remote")).asText())
        .isEqualTo("203.0.113.10,203.0.113.11");
  }

  @Test
  void humanDurationsRoundAsKubectlShowsThem() {
    assertThat(HumanDuration.of(Duration.ofSeconds(6))).isEqualTo("6s");
    assertThat(HumanDuration.of(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(HumanDuration.of(Duration.ofSeconds(150))).isEqualTo("2m30s");
    assertThat(HumanDuration.of(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(HumanDuration.of(Duration.ofMinutes(190))).isEqualTo("3h10m");
    assertThat(HumanDuration.of(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(HumanDuration.of(Duration.ofHours(50))).isEqualTo("2d2h");
    assertThat(HumanDuration.of(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(HumanDuration.since(Instant.EPOCH.toString(), Instant.EPOCH.plusSeconds(6)))
        .isEqualTo("6s");
  }

  private static JsonNode table(String path) {
    ApiCalls.Answer answer = api.send("GET", path, null, null, TABLE);
    assertThat(answer.body().path("kind").asText()).as(answer.body().toString()).isEqualTo("Table");
    return answer.body();
  }

  private static List<String> shownColumns(JsonNode table) {
    List<String> names = new ArrayList<>();
    table
        .path("columnDefinitions")
        .forEach(
            c -> {
              if (c.path("priority").asInt() == 0) {
                names.add(c.path("name").asText());
              }
            });
    return names;
  }

  private static String event(String name, String peer, String uid, String reason) {
    return """
    {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s","namespace":"printing"},
     "involvedObject":{"apiVersion":"ipsec.dev/v1alpha1","kind":"IpsecPeer","namespace":"printing",
                       "name":"%s","uid":"%s"},
     "reason":"%s","message":"IKE SA established","type":"Normal","count":1,
     "firstTimestamp":"%s","lastTimestamp":"%s","source":{"component":"ipsec-operator"}}
    """
        .formatted(name, peer, uid, reason, Instant.now(), Instant.now());
  }
}
