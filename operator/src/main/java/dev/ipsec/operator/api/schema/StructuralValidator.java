package dev.ipsec.operator.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks types, enums, ranges, patterns, sizes and required fields with a JSON Schema validator,
 * and rejects unknown fields (the API server would silently prune them, hiding a typo).
 */
final class StructuralValidator {
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          .pathType(PathType.JSON_PATH)
          .locale(Locale.ENGLISH)
          .typeLoose(false)
          .build();

  private final JsonSchema schema;

  StructuralValidator(JsonNode openApiSchema) {
    ObjectNode strict = openApiSchema.deepCopy();
    closeObjects(strict);
    // apiVersion, kind and metadata are checked by the API server itself, not by the CRD schema.
    for (String builtIn : List.of("apiVersion", "kind", "metadata")) {
      ((ObjectNode) strict.with("properties")).putObject(builtIn);
    }
    this.schema = FACTORY.getSchema(strict, CONFIG);
  }

  List<SchemaViolation> validate(JsonNode resource) {
    return schema.validate(resource).stream()
        .map(StructuralValidator::toViolation)
        .sorted(Comparator.comparing(SchemaViolation::path).thenComparing(SchemaViolation::message))
        .toList();
  }

  private static SchemaViolation toViolation(ValidationMessage message) {
    String path = FieldPaths.fromJsonPath(message.getInstanceLocation().toString());
    String text = message.getMessage();
    // The validator prefixes its message with the JSON path: keep only the explanation.
    int colon = text.indexOf(": ");
    String reason = colon >= 0 && text.startsWith("$") ? text.substring(colon + 2) : text;
    if ("additionalProperties".equals(message.getType())) {
      return new SchemaViolation(
          FieldPaths.child(path, String.valueOf(message.getProperty())), "unknown field");
    }
    return new SchemaViolation(path, reason);
  }

  /** Every object schema with declared properties refuses properties it does not declare. */
  private static void closeObjects(JsonNode schema) {
    if (!(schema instanceof ObjectNode object)) {
      return;
    }
    if (object.has("properties") && !object.has("additionalProperties")
        && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      object.put("additionalProperties", false);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.path("properties").fields();
        it.hasNext(); ) {
      closeObjects(it.next().getValue());
    }
    closeObjects(object.path("items"));
    JsonNode additional = object.path("additionalProperties");
    if (additional.isObject()) {
      closeObjects(additional);
    }
  }
}
