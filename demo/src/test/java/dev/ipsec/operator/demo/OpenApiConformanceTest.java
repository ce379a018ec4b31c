package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI documents kubectl reads. References: "Kubernetes API: OpenAPI V3"
 * (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#openapi-v3): {@code /openapi/v3}
 * lists each group-version with its serverRelativeURL; CRD schemas are published there (CRD docs,
 * "Publish Validation Schema in OpenAPI"), tagged with x-kubernetes-group-version-kind; server-side
 * field validation is advertised by the {@code fieldValidation} query parameter of each kind's
 * PATCH operation ("Field validation", api-concepts).
 */
class OpenApiConformanceTest {
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
  void theIndexPointsAtEachGroupVersion() {
    JsonNode paths = api.get("/openapi/v3").body().path("paths");

    assertThat(paths.at("/apis~1ipsec.dev~1v1alpha1/serverRelativeURL").asText())
        .startsWith("/openapi/v3/apis/ipsec.dev/v1alpha1?hash=");
    assertThat(paths.at("/api~1v1/serverRelativeURL").asText())
        .startsWith("/openapi/v3/api/v1?hash=");
  }

  @Test
  void theGroupDocumentPublishesEachCrdSchemaTaggedWithItsKind() {
    String url =
        api.get("/openapi/v3")
            .body()
            .at("/paths/apis~1ipsec.dev~1v1alpha1/serverRelativeURL")
            .asText();
    JsonNode document = api.get(url).body();

    JsonNode peer = document.at("/components/schemas/dev.ipsec.v1alpha1.IpsecPeer");
    assertThat(peer.at("/x-kubernetes-group-version-kind/0/kind").asText()).isEqualTo("IpsecPeer");
    assertThat(peer.at("/properties/spec/properties/tunnels/type").asText()).isEqualTo("array");
    assertThat(peer.at("/properties/metadata/type").asText()).isEqualTo("object");
  }

  @Test
  void everyKindAdvertisesServerSideFieldValidationOnPatch() {
    JsonNode core = api.get("/openapi/v3/api/v1").body();
    JsonNode secretPatch =
        core.at("/paths/~1api~1v1~1namespaces~1{namespace}~1secrets~1{name}/patch");
    assertThat(secretPatch.at("/x-kubernetes-group-version-kind/kind").asText())
        .isEqualTo("Secret");
    assertThat(secretPatch.at("/parameters/0/name").asText()).isEqualTo("fieldValidation");
    assertThat(secretPatch.at("/parameters/0/in").asText()).isEqualTo("query");

    JsonNode ipsec = api.get("/openapi/v3/apis/ipsec.dev/v1alpha1").body();
    assertThat(
            ipsec
                .at(
                    "/paths/~1apis~1ipsec.dev~1v1alpha1~1namespaces~1{namespace}~1ipsecpeers~1{name}/patch/parameters/0/name")
                .asText())
        .isEqualTo("fieldValidation");
  }

  @Test
  void openApiV2IsAValidDocumentSoOlderKubectlLeavesValidationToTheServer() {
    ApiCalls.Answer json = api.get("/openapi/v2");
    assertThat(json.code()).isEqualTo(200);
    assertThat(json.body().path("swagger").asText()).isEqualTo("2.0");

    ApiCalls.Answer protobuf =
        api.send(
            "GET",
            "/openapi/v2",
            null,
            null,
            "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
    assertThat(protobuf.code()).isEqualTo(200);
  }
}
