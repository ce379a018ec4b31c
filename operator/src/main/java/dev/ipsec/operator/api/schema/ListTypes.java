package dev.ipsec.operator.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The uniqueness that {@code x-kubernetes-list-type} declares, as kube-apiserver checks it: in a
 * {@code map} list no two items share their {@code x-kubernetes-list-map-keys}, in a {@code set} no
 * two items are equal. The later duplicate is reported, in the server's words: {@code
 * spec.tunnels[1]: Duplicate value: map[string]interface {}{"id":1}}.
 */
final class ListTypes {
  static final String DUPLICATE = "Duplicate value: ";

  private ListTypes() {}

  static List<SchemaViolation> check(JsonNode schema, JsonNode value) {
    List<SchemaViolation> violations = new ArrayList<>();
    SchemaWalk.visit(
        schema,
        value,
        (node, list, path) -> {
          if (list.isArray()) {
            duplicates(node, list, path, violations);
          }
        });
    return violations;
  }

  private static void duplicates(
      JsonNode schema, JsonNode list, String path, List<SchemaViolation> violations) {
    String type = schema.path("x-kubernetes-list-type").asText("atomic");
    if (type.equals("atomic")) {
      return;
    }
    List<String> keys = new ArrayList<>();
    schema.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      String identity = type.equals("map") ? goMap(item, keys) : goValue(item);
      if (!seen.add(identity)) {
        violations.add(new SchemaViolation(path + "[" + i + "]", DUPLICATE + identity));
      }
    }
  }

  /** The keys of a list-map item as Go's {@code %#v} prints a map[string]interface{}. */
  private static String goMap(JsonNode item, List<String> keys) {
    Map<String, JsonNode> present = new TreeMap<>();
    keys.forEach(k -> present.put(k, item.path(k)));
    return present.entrySet().stream()
        .filter(e -> !e.getValue().isMissingNode())
        .map(e -> "\"" + e.getKey() + "\":" + goValue(e.getValue()))
        .collect(Collectors.joining(", ", "map[string]interface {}{", "}"));
  }

  private static String goValue(JsonNode value) {
    return value.isTextual() ? "\"" + value.asText() + "\"" : value.toString();
  }
}
