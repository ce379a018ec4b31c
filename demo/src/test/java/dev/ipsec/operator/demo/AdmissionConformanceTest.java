package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every create, update and patch of a custom resource goes through the CRD's structural schema, its
 * defaults and its CEL rules, as on kube-apiserver. References: "Extend the Kubernetes API with
 * CustomResourceDefinitions" (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/
 * custom-resource-definitions/), sections Validation, Validation rules (a failed rule is 422 with
 * the rule's message and reason) and Defaulting ("defaulting happens on the object ... when reading
 * from etcd, on create and update requests"); the 422 body is a Status with reason Invalid and
 * details.causes (API conventions, "Response Status Kind",
 * https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md).
 */
class AdmissionConformanceTest {
  private static final String PEERS = "/apis/ipsec.dev/v1alpha1/namespaces/admission/ipsecpeers";
  private static final String IKE_GROUPS =
      "/apis/ipsec.dev/v1alpha1/namespaces/admission/ikegroups";

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
  void aCreateThatBreaksACelRuleIsRefusedWithTheRulesMessage() {
    ApiCalls.Answer created = api.post(PEERS, peer("no-local").replace(LOCAL_ADDRESS, ""));

    assertThat(created.code()).isEqualTo(422);
    JsonNode status = created.body();
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("status").asText()).isEqualTo("Failure");
    assertThat(status.path("reason").asText()).isEqualTo("Invalid");
    assertThat(status.path("code").asInt()).isEqualTo(422);
    assertThat(status.path("message").asText())
        .isEqualTo(
            "IpsecPeer.ipsec.dev \"no-local\" is invalid: spec.localAddress: Required value:"
                + " missing localAddress or dhcpInterface");
    assertThat(status.at("/details/kind").asText()).isEqualTo("IpsecPeer");
    assertThat(status.at("/details/group").asText()).isEqualTo("ipsec.dev");
    assertThat(status.at("/details/name").asText()).isEqualTo("no-local");
    JsonNode cause = status.at("/details/causes/0");
    assertThat(cause.path("reason").asText()).isEqualTo("FieldValueRequired");
    assertThat(cause.path("field").asText()).isEqualTo("spec.localAddress");
    assertThat(cause.path("message").asText())
        .isEqualTo("Required value: missing localAddress or dhcpInterface");
    assertThat(api.get(PEERS + "/no-local").code()).isEqualTo(404);
  }

  @Test
  void aStructurallyInvalidCreateListsEachCause() {
    ApiCalls.Answer created =
        api.post(
            PEERS,
            peer("two-errors")
                .replace("\"gateway\":\"gw\",", "")
                .replace("\"id\":1", "\"id\":\"one\""));

    assertThat(created.code()).isEqualTo(422);
    List<String> fields = new ArrayList<>();
    created.body().at("/details/causes").forEach(c -> fields.add(c.path("field").asText()));
    assertThat(fields).contains("spec.gateway", "spec.tunnels[0].id");
    assertThat(created.body().path("message").asText())
        .startsWith("IpsecPeer.ipsec.dev \"two-errors\" is invalid: [")
        .contains("spec.gateway: Required value");
  }

  @Test
  void aMergePatchThatBreaksARuleIsRefusedAndChangesNothing() {
    assertThat(api.post(PEERS, peer("patched")).code()).isEqualTo(201);

    ApiCalls.Answer patched =
        api.patch(
            PEERS + "/patched",
            "application/merge-patch+json",
            "{\"spec\":{\"tunnels\":[" + TUNNEL + "," + TUNNEL + "]}}");

    assertThat(patched.code()).isEqualTo(422);
    JsonNode cause = patched.body().at("/details/causes/0");
    // tunnels are a list-map keyed on id: the second item with one id is the duplicate
    assertThat(cause.path("field").asText()).isEqualTo("spec.tunnels[1]");
    assertThat(cause.path("reason").asText()).isEqualTo("FieldValueDuplicate");
    assertThat(cause.path("message").asText())
        .matches("Duplicate value: map\\[string]interface \\{}\\{\"id\":\\d+}");
    assertThat(api.get(PEERS + "/patched").body().at("/spec/tunnels")).hasSize(1);
  }

  @Test
  void anUpdateThatBreaksTheSchemaIsRefused() {
    assertThat(api.post(PEERS, peer("updated")).code()).isEqualTo(201);
    String object = api.get(PEERS + "/updated").body().toString();

    ApiCalls.Answer updated =
        api.put(
            PEERS + "/updated", object.replace("\"gw\"", "\"gw\",\"connectionType\":\"bogus\""));

    assertThat(updated.code()).isEqualTo(422);
    JsonNode cause = updated.body().at("/details/causes/0");
    assertThat(cause.path("field").asText()).isEqualTo("spec.connectionType");
    assertThat(cause.path("reason").asText()).isEqualTo("FieldValueNotSupported");
    assertThat(cause.path("message").asText()).startsWith("Unsupported value: \"bogus\"");
  }

  @Test
  void defaultsAreFilledInOnCreate() {
    ApiCalls.Answer created =
        api.post(
            IKE_GROUPS,
            """
            {"apiVersion":"ipsec.dev/v1alpha1","kind":"IkeGroup",
             "metadata":{"name":"ike","namespace":"admission"},
             "spec":{"proposals":[{"encryption":"aes256","hash":"sha256","dhGroup":14}],
                     "deadPeerDetection":{}}}
            """);

    assertThat(created.code()).as(created.body().toString()).isEqualTo(201);
    JsonNode spec = api.get(IKE_GROUPS + "/ike").body().path("spec");
    assertThat(spec.path("lifetime").asInt()).isEqualTo(28800);
    assertThat(spec.path("mode").asText()).isEqualTo("main");
    assertThat(spec.at("/deadPeerDetection/interval").asInt()).isEqualTo(30);
    assertThat(spec.at("/deadPeerDetection/action").asText()).isEqualTo("clear");
    assertThat(created.body().at("/spec/lifetime").asInt())
        .as("the create's answer is the stored object")
        .isEqualTo(28800);
  }

  private static final String LOCAL_ADDRESS = "\"localAddress\":\"192.0.2.1\",";
  private static final String TUNNEL =
      """
      {"id":1,"local":{"prefixes":["198.51.100.0/24"]},"remote":{"prefixes":["203.0.113.0/24"]}}\
      """;

  private static String peer(String name) {
    return """
    {"apiVersion":"ipsec.dev/v1alpha1","kind":"IpsecPeer",
     "metadata":{"name":"%s","namespace":"admission"},
     "spec":{"gateway":"gw","ikeGroup":"ike","defaultEspGroup":"esp",
             %s"remoteAddresses":["192.0.2.2"],
             "authentication":{"mode":"pre-shared-secret",
                               "preSharedSecret":{"secretRef":{"name":"psk","key":"secret"}}},
             "tunnels":[%s]}}
    """
        .formatted(name, LOCAL_ADDRESS, TUNNEL);
  }
}
