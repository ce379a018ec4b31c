package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes of a custom resource as kube-apiserver does them. References: Kubernetes API concepts,
 * "Patch operations"
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#patch-and-apply), RFC 7386 and RFC
 * 6902 for the two patch types a custom resource accepts; "Update a custom resource: strategic
 * merge patch is not supported" (kubectl patch task page,
 * https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/);
 * optimistic concurrency (api-concepts, "Resource versions": a stale resourceVersion is 409
 * Conflict); and the status subresource (CustomResourceDefinitions, "Status subresource": PUT and
 * PATCH of /status change only status, writes to the main resource ignore status).
 */
class PatchSemanticsConformanceTest {
  private static final String PEERS = "/apis/ipsec.dev/v1alpha1/namespaces/patching/ipsecpeers";
  private static final String PEER = PEERS + "/site-b";

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

  @BeforeEach
  void freshPeer() {
    api.send("DELETE", PEER, null, null);
    ApiCalls.Answer created = api.post(PEERS, PEER_WITH_TWO_TUNNELS);
    assertThat(created.code()).as(created.body().toString()).isEqualTo(201);
  }

  @Test
  void aMergePatchReplacesAListInsteadOfAppendingToIt() {
    ApiCalls.Answer patched =
        api.patch(
            PEER,
            "application/merge-patch+json",
            """
            {"spec":{"tunnels":[{"id":1,"local":{"prefixes":["10.1.0.0/16"]},
                                 "remote":{"prefixes":["10.2.0.0/16"]}}]}}
            """);

    assertThat(patched.code()).as(patched.body().toString()).isEqualTo(200);
    JsonNode tunnels = api.get(PEER).body().at("/spec/tunnels");
    assertThat(tunnels).hasSize(1);
    assertThat(tunnels.at("/0/local/prefixes/0").asText()).isEqualTo("10.1.0.0/16");
  }

  @Test
  void aMergePatchDeletesAFieldSetToNull() {
    ApiCalls.Answer patched =
        api.patch(PEER, "application/merge-patch+json", "{\"spec\":{\"description\":null}}");

    assertThat(patched.code()).as(patched.body().toString()).isEqualTo(200);
    assertThat(api.get(PEER).body().at("/spec").has("description")).isFalse();
    assertThat(api.get(PEER).body().at("/spec/gateway").asText()).isEqualTo("gw");
  }

  @Test
  void aJsonPatchAppliesItsOperationsInOrder() {
    ApiCalls.Answer patched =
        api.patch(
            PEER,
            "application/json-patch+json",
            """
            [{"op":"remove","path":"/spec/tunnels/0"},
             {"op":"replace","path":"/spec/tunnels/0/id","value":7},
             {"op":"add","path":"/spec/remoteAddresses/-","value":"192.0.2.3"}]
            """);

    assertThat(patched.code()).as(patched.body().toString()).isEqualTo(200);
    JsonNode spec = api.get(PEER).body().path("spec");
    assertThat(spec.path("tunnels")).hasSize(1);
    assertThat(spec.at("/tunnels/0/id").asInt()).isEqualTo(7);
    assertThat(spec.path("remoteAddresses").toString()).isEqualTo("[\"192.0.2.2\",\"192.0.2.3\"]");
  }

  @Test
  void aJsonPatchWhoseTestFailsChangesNothing() {
    ApiCalls.Answer patched =
        api.patch(
            PEER,
            "application/json-patch+json",
            """
            [{"op":"replace","path":"/spec/gateway","value":"other"},
             {"op":"test","path":"/spec/ikeGroup","value":"not-this"}]
            """);

    assertThat(patched.code()).isEqualTo(422);
    assertThat(api.get(PEER).body().at("/spec/gateway").asText()).isEqualTo("gw");
  }

  @Test
  void aStrategicMergePatchOfACustomResourceIsRefusedWith415() {
    ApiCalls.Answer patched =
        api.patch(
            PEER, "application/strategic-merge-patch+json", "{\"spec\":{\"gateway\":\"other\"}}");

    assertThat(patched.code()).isEqualTo(415);
    assertThat(patched.body().path("kind").asText()).isEqualTo("Status");
    assertThat(patched.body().path("reason").asText()).isEqualTo("UnsupportedMediaType");
    assertThat(patched.body().path("message").asText())
        .isEqualTo(
            "the body of the request was in an unknown format - accepted media types include:"
                + " application/json-patch+json, application/merge-patch+json,"
                + " application/apply-patch+yaml");
    assertThat(api.get(PEER).body().at("/spec/gateway").asText()).isEqualTo("gw");
  }

  @Test
  void aStaleResourceVersionIsAConflict() {
    String stale = api.get(PEER).body().at("/metadata/resourceVersion").asText();
    api.patch(PEER, "application/merge-patch+json", "{\"spec\":{\"gateway\":\"newer\"}}");

    ApiCalls.Answer patched =
        api.patch(
            PEER,
            "application/merge-patch+json",
            "{\"metadata\":{\"resourceVersion\":\"%s\"},\"spec\":{\"gateway\":\"stale\"}}"
                .formatted(stale));
    JsonNode object = api.get(PEER).body();
    ((com.fasterxml.jackson.databind.node.ObjectNode) object.get("metadata"))
        .put("resourceVersion", stale);
    ApiCalls.Answer put = api.put(PEER, object.toString());

    assertThat(patched.code()).isEqualTo(409);
    assertThat(put.code()).isEqualTo(409);
    assertThat(api.get(PEER).body().at("/spec/gateway").asText()).isEqualTo("newer");
  }

  @Test
  void aPatchWithoutResourceVersionNeverConflicts() {
    api.patch(PEER, "application/merge-patch+json", "{\"spec\":{\"gateway\":\"one\"}}");
    ApiCalls.Answer second =
        api.patch(PEER, "application/merge-patch+json", "{\"spec\":{\"gateway\":\"two\"}}");

    assertThat(second.code()).isEqualTo(200);
  }

  @Test
  void aStatusPatchNeverChangesTheSpecAndKeepsTheGeneration() {
    long generation = api.get(PEER).body().at("/metadata/generation").asLong();

    ApiCalls.Answer patched =
        api.patch(
            PEER + "/status",
            "application/merge-patch+json",
            "{\"spec\":{\"gateway\":\"sneaked\"},\"status\":{\"tunnelSummary\":\"0/2\"}}");

    assertThat(patched.code()).as(patched.body().toString()).isEqualTo(200);
    JsonNode stored = api.get(PEER).body();
    assertThat(stored.at("/spec/gateway").asText()).isEqualTo("gw");
    assertThat(stored.at("/status/tunnelSummary").asText()).isEqualTo("0/2");
    assertThat(stored.at("/metadata/generation").asLong()).isEqualTo(generation);
  }

  @Test
  void aSpecPatchNeverChangesTheStatusAndBumpsTheGeneration() {
    api.patch(
        PEER + "/status",
        "application/merge-patch+json",
        "{\"status\":{\"tunnelSummary\":\"0/2\"}}");
    long generation = api.get(PEER).body().at("/metadata/generation").asLong();

    api.patch(
        PEER,
        "application/merge-patch+json",
        "{\"spec\":{\"gateway\":\"other\"},\"status\":{\"tunnelSummary\":\"9/9\"}}");

    JsonNode stored = api.get(PEER).body();
    assertThat(stored.at("/spec/gateway").asText()).isEqualTo("other");
    assertThat(stored.at("/status/tunnelSummary").asText()).isEqualTo("0/2");
    assertThat(stored.at("/metadata/generation").asLong()).isEqualTo(generation + 1);
  }

  @Test
  void aCreateIgnoresStatus() {
    api.send("DELETE", PEERS + "/with-status", null, null);
    ApiCalls.Answer created =
        api.post(
            PEERS,
            PEER_WITH_TWO_TUNNELS
                .replace("\"site-b\"", "\"with-status\"")
                .replaceFirst("\\}\\s*$", ",\"status\":{\"tunnelSummary\":\"2/2\"}}"));

    assertThat(created.code()).as(created.body().toString()).isEqualTo(201);
    assertThat(api.get(PEERS + "/with-status").body().has("status")).isFalse();
  }

  private static final String PEER_WITH_TWO_TUNNELS =
      """
      {"apiVersion":"ipsec.dev/v1alpha1","kind":"IpsecPeer",
       "metadata":{"name":"site-b","namespace":"patching"},
       "spec":{"gateway":"gw","description":"the branch office","ikeGroup":"ike","defaultEspGroup":"esp",
               "localAddress":"192.0.2.1","remoteAddresses":["192.0.2.2"],
               "authentication":{"mode":"pre-shared-secret",
                                 "preSharedSecret":{"secretRef":{"name":"psk","key":"secret"}}},
               "tunnels":[{"id":1,"local":{"prefixes":["198.51.100.0/24"]},
                           "remote":{"prefixes":["203.0.113.0/24"]}},
                          {"id":2,"local":{"prefixes":["198.51.101.0/24"]},
                           "remote":{"prefixes":["203.0.114.0/24"]}}]}}
      """;
}
