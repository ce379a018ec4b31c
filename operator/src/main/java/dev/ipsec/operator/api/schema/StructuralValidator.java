package dev.ipsec.operator.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
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
  /**
   * Kubernetes' schema extensions are checked elsewhere (CEL by {@link ResourceValidator}) or mean
   * nothing to a JSON Schema validator; declared here so it does not warn about each one.
   */
  private static final List<String> KUBERNETES_EXTENSIONS =
      List.of(
          "x-kubernetes-validations",
          "x-kubernetes-int-or-string",
          "x-kubernetes-preserve-unknown-fields",
          "x-kubernetes-embedded-resource",
          "x-kubernetes-list-type",
          "x-kubernetes-list-map-keys",
          "x-kubernetes-map-type");

  private static final JsonSchemaFactory FACTORY = factory();
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          .pathType(PathType.JSON_PATH)
          .locale(Locale.ENGLISH)
          .typeLoose(false)
          .build();

  private final JsonSchema schema;

  private static JsonSchemaFactory factory() {
    JsonMetaSchema v7 = JsonMetaSchema.getV7();
    JsonMetaSchema withExtensions =
        JsonMetaSchema.builder(v7.getIri(), v7)
            .keywords(KUBERNETES_EXTENSIONS.stream().map(NonValidationKeyword::new).toList())
            .build();
    return JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7))
        .metaSchema(withExtensions)
        .defaultMetaSchemaIri(withExtensions.getIri())
        .build();
  }

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
      return SchemaViolation.unknownField(
          FieldPaths.child(path, String.valueOf(message.getProperty())));
    }
    return new SchemaViolation(path, reason);
  }

  /** Every object schema with declared properties refuses properties it does not declare. */
  private static void closeObjects(JsonNode schema) {
    if (!(schema instanceof ObjectNode object)) {
      return;
    }
    if (object.has("properties")
        && !object.has("additionalProperties")
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
