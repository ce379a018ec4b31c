package dev.ipsec.operator.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Visits every value present in a resource together with the schema node that governs it, as the
 * API server's structural checks do: declared {@code properties}, the values of {@code
 * additionalProperties} maps, and list {@code items}. Absent and null values are not visited, so a
 * check only ever runs where its node is set.
 */
final class SchemaWalk {

  /** What to do at one value. */
  @FunctionalInterface
  interface Visitor {
    void visit(JsonNode schema, JsonNode value, String path);
  }

  private SchemaWalk() {}

  static void visit(JsonNode schema, JsonNode value, Visitor visitor) {
    walk(schema, value, "", visitor);
  }

  private static void walk(JsonNode schema, JsonNode value, String path, Visitor visitor) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return;
    }
    visitor.visit(schema, value, path);
    if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        walk(
            property.getValue(),
            value.get(property.getKey()),
            FieldPaths.child(path, property.getKey()),
            visitor);
      }
      JsonNode additional = schema.path("additionalProperties");
      if (additional.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          walk(additional, entry.getValue(), FieldPaths.child(path, entry.getKey()), visitor);
        }
      }
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        walk(schema.get("items"), value.get(i), FieldPaths.index(path, i), visitor);
      }
    }
  }
}
