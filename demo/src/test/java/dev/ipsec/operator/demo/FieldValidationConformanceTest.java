package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fields the CRD's schema does not know, as kube-apiserver treats them per the request's {@code
 * fieldValidation} parameter (Kubernetes API concepts, "Field validation",
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation): {@code Strict}
 * fails the request with 400 BadRequest ("strict decoding error: unknown field ..."), {@code Warn}
 * (the default when the parameter is absent) prunes the field and answers with a {@code Warning}
 * header, {@code Ignore} prunes it silently; pruning itself is the structural schema's ("Extend the
 * Kubernetes API with CustomResourceDefinitions", section "Field pruning"). Unknown fields are met
 * while decoding, before validation: a Strict request with both an unknown field and an invalid
 * value fails on the unknown field.
 */
class FieldValidationConformanceTest {
  private static final String PEERS =
      "/apis/ipsec.dev/v1alpha1/namespaces/field-validation/ipsecpeers";

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
  void strictRefusesAnUnknownFieldWithBadRequest() {
    ApiCalls.Answer created =
        api.post(PEERS + "?fieldValidation=Strict", peer("strict", "\"remotePrefix\":\"x\","));

    assertThat(created.code()).isEqualTo(400);
    assertThat(created.body().path("reason").asText()).isEqualTo("BadRequest");
    assertThat(created.body().path("message").asText())
        .isEqualTo(
            "IpsecPeer in version \"v1alpha1\" cannot be handled as a IpsecPeer: strict decoding"
                + " error: unknown field \"spec.remotePrefix\"");
    assertThat(api.get(PEERS + "/strict").code()).isEqualTo(404);
  }

  @Test
  void strictNamesEveryUnknownFieldBeforeAnyInvalidValue() {
    String body =
        peer("strict-two", "\"remotePrefix\":\"x\",\"mtu\":1,")
            .replace("\"192.0.2.2\"", "\"not an address\"");

    ApiCalls.Answer created = api.post(PEERS + "?fieldValidation=Strict", body);

    assertThat(created.code()).isEqualTo(400);
    assertThat(created.body().path("message").asText())
        .contains("strict decoding error: unknown field")
        .contains("unknown field \"spec.remotePrefix\"")
        .contains("unknown field \"spec.mtu\"")
        .doesNotContain("not an address");
  }

  @Test
  void withoutTheParameterAnUnknownFieldIsPrunedWithAWarning() {
    ApiCalls.Answer created = api.post(PEERS, peer("warn", "\"remotePrefix\":\"x\","));

    assertThat(created.code()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.warnings())
        .containsExactly("299 - \"unknown field \\\"spec.remotePrefix\\\"\"");
    JsonNode stored = api.get(PEERS + "/warn").body();
    assertThat(stored.path("spec").has("remotePrefix")).isFalse();
    assertThat(stored.at("/spec/remoteAddresses/0").asText()).isEqualTo("192.0.2.2");
  }

  @Test
  void ignorePrunesSilently() {
    ApiCalls.Answer created =
        api.post(PEERS + "?fieldValidation=Ignore", peer("ignore", "\"remotePrefix\":\"x\","));

    assertThat(created.code()).isEqualTo(201);
    assertThat(created.warnings()).isEmpty();
    assertThat(api.get(PEERS + "/ignore").body().path("spec").has("remotePrefix")).isFalse();
  }

  @Test
  void aMergePatchAddingAnUnknownNestedFieldIsRefusedUnderStrictAndPrunedOtherwise() {
    assertThat(api.post(PEERS, peer("patched", "")).code()).isEqualTo(201);
    String patch =
        "{\"spec\":{\"tunnels\":[" + TUNNEL.replace("{\"id\":1,", "{\"id\":1,\"mark\":7,") + "]}}";

    ApiCalls.Answer strict =
        api.patch(PEERS + "/patched?fieldValidation=Strict", "application/merge-patch+json", patch);
    ApiCalls.Answer warned = api.patch(PEERS + "/patched", "application/merge-patch+json", patch);

    assertThat(strict.code()).isEqualTo(400);
    assertThat(strict.body().path("message").asText())
        .contains("unknown field \"spec.tunnels[0].mark\"");
    assertThat(warned.code()).isEqualTo(200);
    assertThat(warned.warnings()).hasSize(1);
    assertThat(api.get(PEERS + "/patched").body().at("/spec/tunnels/0").has("mark")).isFalse();
  }

  @Test
  void anUnknownDirectiveIsRefused() {
    ApiCalls.Answer created = api.post(PEERS + "?fieldValidation=strict", peer("lower-case", ""));

    assertThat(created.code()).isEqualTo(422);
    assertThat(created.body().path("message").asText())
        .contains("fieldValidation: Unsupported value: \"strict\"");
    assertThat(api.get(PEERS + "/lower-case").code()).isEqualTo(404);
  }

  @Test
  void aBodyThatIsNotAnObjectIsABadRequest() {
    ApiCalls.Answer created = api.post(PEERS, "[1]");

    assertThat(created.code()).isEqualTo(400);
    assertThat(created.body().path("reason").asText()).isEqualTo("BadRequest");
    assertThat(created.body().path("message").asText())
        .startsWith("the object provided is unrecognized (must be of type IpsecPeer)");
  }

  private static final String TUNNEL =
      """
      {"id":1,"local":{"prefixes":["198.51.100.0/24"]},"remote":{"prefixes":["203.0.113.0/24"]}}\
      """;

  private static String peer(String name, String extraSpecFields) {
    return """
    {"apiVersion":"ipsec.dev/v1alpha1","kind":"IpsecPeer",
     "metadata":{"name":"%s","namespace":"field-validation"},
     "spec":{"gateway":"gw","ikeGroup":"ike","defaultEspGroup":"esp",%s
             "localAddress":"192.0.2.1","remoteAddresses":["192.0.2.2"],
             "authentication":{"mode":"pre-shared-secret",
                               "preSharedSecret":{"secretRef":{"name":"psk","key":"secret"}}},
             "tunnels":[%s]}}
    """
        .formatted(name, extraSpecFields, TUNNEL);
  }
}
