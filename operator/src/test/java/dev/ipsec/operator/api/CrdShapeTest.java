package dev.ipsec.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ipsec.operator.api.schema.CrdCatalog;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What kubectl users and the API server see of the generated CRDs. */
class CrdShapeTest {
  private final CrdCatalog catalog = CrdCatalog.bundled();

  @ParameterizedTest
  @CsvSource({
    "IkeGroup, ike, Valid|Used-By|Proposals*|Age",
    "EspGroup, esp, Valid|Used-By|Proposals*|Age",
    "IpsecPeer, ipp, Ready|Gateway|Remote|State|Tunnels|Valid*|Loaded*|Generation*|Running*|Age",
    "IpsecGlobal, ipg, Ready|Pods|Peers|Valid*|Age"
  })
  void kubectlErgonomics(String kind, String shortName, String columns) {
    JsonNode crd = catalog.crd(kind).orElseThrow();
    assertThat(crd.at("/spec/group").asText()).isEqualTo("ipsec.dev");
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
    assertThat(texts(crd.at("/spec/names/shortNames"))).containsExactly(shortName);
    assertThat(texts(crd.at("/spec/names/categories"))).containsExactly("ipsec");
    JsonNode version = crd.at("/spec/versions/0");
    assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
    assertThat(version.at("/subresources/status").isObject()).as("status subresource").isTrue();
    // in this order (kubectl's), a * marks a column of -o wide only (priority 1)
    List<String> shown = new ArrayList<>();
    version
        .path("additionalPrinterColumns")
        .forEach(
            c -> shown.add(c.path("name").asText() + (c.path("priority").asInt() > 0 ? "*" : "")));
    assertThat(shown).containsExactly(columns.split("\\|"));
    assertThat(crd.at("/spec/versions/0/schema/openAPIV3Schema/description").asText())
        .as("what kubectl explain %s says", kind)
        .isNotBlank();
  }

  /**
   * A refused pattern is quoted whole in the API server's answer: none is longer than a reader
   * reads. Addresses and prefixes are CEL rules with a sentence instead, with a maxLength that
   * bounds their cost.
   */
  @Test
  void noRefusalQuotesALongRegularExpression() {
    for (String kind : catalog.kinds()) {
      List<String> longPatterns = new ArrayList<>();
      collectPatterns(catalog.schema(kind).orElseThrow(), longPatterns);
      assertThat(longPatterns).as(kind).allSatisfy(p -> assertThat(p).hasSizeLessThan(120));
    }
    JsonNode remote =
        catalog
            .schema("IpsecPeer")
            .orElseThrow()
            .at("/properties/spec/properties/remoteAddresses/items");
    assertThat(remote.path("maxLength").asInt()).isEqualTo(253);
    assertThat(remote.at("/x-kubernetes-validations/0/message").asText())
        .isEqualTo("must be an IPv4 or IPv6 address, a host name, or any");
  }

  private static void collectPatterns(JsonNode schema, List<String> out) {
    if (!schema.isObject()) {
      return;
    }
    if (schema.has("pattern")) {
      out.add(schema.path("pattern").asText());
    }
    schema.path("properties").forEach(p -> collectPatterns(p, out));
    collectPatterns(schema.path("items"), out);
    collectPatterns(schema.path("additionalProperties"), out);
  }

  @Test
  void everyFieldHasADescription() {
    List<String> missing = new ArrayList<>();
    for (String kind : catalog.kinds()) {
      JsonNode schema = catalog.schema(kind).orElseThrow();
      collectUndocumented(kind, schema.path("properties"), missing);
    }
    assertThat(missing).as("fields without description (kubectl explain shows nothing)").isEmpty();
  }

  @Test
  void algorithmsAndModesAreEnums() {
    JsonNode ike = catalog.schema("IkeGroup").orElseThrow().at("/properties/spec/properties");
    assertThat(texts(ike.at("/proposals/items/properties/encryption/enum")))
        .contains("aes128", "aes256gcm128", "chacha20poly1305", "3des", "null")
        .hasSize(55);
    assertThat(texts(ike.at("/proposals/items/properties/hash/enum")))
        .containsExactlyInAnyOrder(
            "md5",
            "md5_128",
            "sha1",
            "sha1_160",
            "sha256",
            "sha256_96",
            "sha384",
            "sha512",
            "aesxcbc",
            "aescmac",
            "aes128gmac",
            "aes192gmac",
            "aes256gmac");
    assertThat(texts(ike.at("/proposals/items/properties/prf/enum"))).hasSize(7);
    assertThat(texts(ike.at("/keyExchange/enum"))).containsExactlyInAnyOrder("ikev1", "ikev2");
    assertThat(texts(ike.at("/deadPeerDetection/properties/action/enum")))
        .contains("trap", "clear", "restart");
    JsonNode esp = catalog.schema("EspGroup").orElseThrow().at("/properties/spec/properties");
    assertThat(texts(esp.at("/mode/enum"))).containsExactlyInAnyOrder("tunnel", "transport");
    assertThat(texts(esp.at("/pfs/enum")))
        .contains("enable", "disable", "dh-group14", "dh-group32")
        .hasSize(2 + 3 + 19);
    JsonNode peer = catalog.schema("IpsecPeer").orElseThrow().at("/properties/spec/properties");
    assertThat(texts(peer.at("/authentication/properties/mode/enum")))
        .containsExactlyInAnyOrder("pre-shared-secret", "x509", "rsa");
    assertThat(texts(peer.at("/connectionType/enum")))
        .containsExactlyInAnyOrder("initiate", "respond", "none");
  }

  @Test
  void rangesFollowVyos() {
    JsonNode ike = catalog.schema("IkeGroup").orElseThrow().at("/properties/spec/properties");
    assertRange(ike.path("lifetime"), 0, 86400, 28800);
    assertRange(ike.at("/deadPeerDetection/properties/interval"), 2, 86400, 30);
    assertRange(ike.at("/deadPeerDetection/properties/timeout"), 2, 86400, 120);
    JsonNode esp = catalog.schema("EspGroup").orElseThrow().at("/properties/spec/properties");
    assertRange(esp.path("lifetime"), 30, 86400, 3600);
    JsonNode peer = catalog.schema("IpsecPeer").orElseThrow().at("/properties/spec/properties");
    assertRange(peer.path("replayWindow"), 0, 2040, 32);
    assertThat(peer.at("/tunnels/items/properties/priority/maximum").asInt()).isEqualTo(100);
    assertThat(peer.at("/tunnels/items/properties/local/properties/port/maximum").asInt())
        .isEqualTo(65535);
  }

  @Test
  void crossFieldRulesAreCel() {
    assertThat(rules("IkeGroup"))
        .anyMatch(r -> r.contains("aggressive"))
        .anyMatch(r -> r.contains("sha256_96"))
        .anyMatch(r -> r.contains("'null'"));
    assertThat(rules("EspGroup")).anyMatch(r -> r.contains("twofish"));
    assertThat(rules("IpsecPeer"))
        .anyMatch(r -> r.contains("pre-shared-secret") && r.contains("preSharedSecret"))
        .anyMatch(r -> r.contains("x509"))
        .anyMatch(r -> r.contains("rsa"))
        .anyMatch(r -> r.contains("tunnels") && r.contains("vti"));
  }

  private List<String> rules(String kind) {
    return catalog.schema(kind).orElseThrow().findValues("x-kubernetes-validations").stream()
        .flatMap(n -> StreamSupport.stream(n.spliterator(), false))
        .map(n -> n.path("rule").asText())
        .toList();
  }

  private static void assertRange(JsonNode field, int min, int max, int defaultValue) {
    assertThat(field.path("minimum").asInt()).isEqualTo(min);
    assertThat(field.path("maximum").asInt()).isEqualTo(max);
    assertThat(field.path("default").asInt()).isEqualTo(defaultValue);
  }

  private static void collectUndocumented(String path, JsonNode properties, List<String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      String here = path + "." + property.getKey();
      JsonNode schema = property.getValue();
      if (schema.path("description").asText("").isBlank()) {
        out.add(here);
      }
      collectUndocumented(here, schema.path("properties"), out);
      collectUndocumented(here + "[]", schema.path("items").path("properties"), out);
      collectUndocumented(here + "{}", schema.path("additionalProperties").path("properties"), out);
    }
  }

  private static JsonNode namesOf(JsonNode columns) {
    var array =
        new com.fasterxml.jackson.databind.node.ArrayNode(
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance);
    columns.forEach(c -> array.add(c.path("name").asText()));
    return array;
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> values.add(v.asText()));
    }
    return values;
  }
}
