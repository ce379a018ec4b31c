package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One resource type the embedded API server serves, as discovery documents describe it.
 *
 * @param printerColumns the CRD's additionalPrinterColumns (empty for built-in kinds)
 */
record ServedResource(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    boolean hasStatus,
    List<JsonNode> printerColumns) {

  static ServedResource builtIn(
      String group,
      String version,
      String plural,
      String kind,
      boolean namespaced,
      String... shortNames) {
    return new ServedResource(
        group,
        version,
        plural,
        kind.toLowerCase(),
        kind,
        namespaced,
        List.of(shortNames),
        List.of(),
        false,
        List.of());
  }

  /** Reads names, scope, subresources and printer columns from a CRD (its first version). */
  static ServedResource fromCrd(JsonNode crd) {
    JsonNode names = crd.at("/spec/names");
    JsonNode version = crd.at("/spec/versions/0");
    List<JsonNode> columns = new ArrayList<>();
    version.path("additionalPrinterColumns").forEach(columns::add);
    return new ServedResource(
        crd.at("/spec/group").asText(),
        version.path("name").asText(),
        names.path("plural").asText(),
        names.path("singular").asText(),
        names.path("kind").asText(),
        "Namespaced".equals(crd.at("/spec/scope").asText()),
        texts(names.path("shortNames")),
        texts(names.path("categories")),
        version.at("/subresources/status").isObject(),
        columns);
  }

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
