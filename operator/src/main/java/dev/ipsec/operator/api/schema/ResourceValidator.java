package dev.ipsec.operator.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates resources of the API offline, in the API server's order: structural schema first, then
 * defaulting, then the CEL rules on the defaulted object.
 */
public final class ResourceValidator {
  private final CrdCatalog catalog;
  private final Map<String, StructuralValidator> structural = new ConcurrentHashMap<>();

  public ResourceValidator(CrdCatalog catalog) {
    this.catalog = catalog;
  }

  public static ResourceValidator bundled() {
    return new ResourceValidator(CrdCatalog.bundled());
  }

  /** Whether this validator knows the kind (only the four kinds of the API). */
  public boolean handles(String kind) {
    return catalog.crd(kind).isPresent();
  }

  /**
   * All violations of one resource; empty when the API server would accept it.
   *
   * @throws IllegalArgumentException for a kind that is not part of the API
   */
  public List<SchemaViolation> validate(JsonNode resource) {
    String kind = resource.path("kind").asText();
    JsonNode schema =
        catalog
            .schema(kind)
            .orElseThrow(() -> new IllegalArgumentException("not a kind of this API: " + kind));
    List<SchemaViolation> violations =
        new ArrayList<>(
            structural
                .computeIfAbsent(kind, k -> new StructuralValidator(schema))
                .validate(resource));
    // list-type uniqueness is part of the schema's validation, as kube-apiserver's
    violations.addAll(ListTypes.check(schema, resource));
    if (violations.stream().anyMatch(ResourceValidator::blocksRules)) {
      // as kube-apiserver: a value of the wrong type or outside its enum stops the CEL rules,
      // which could not evaluate it, and says so; any other violation lets them run
      violations.add(new SchemaViolation(RULES_NOT_CHECKED_PATH, RULES_NOT_CHECKED));
      return violations;
    }
    violations.addAll(CelRules.evaluate(schema, withDefaults(resource)));
    return violations;
  }

  /** kube-apiserver's words when a type or enum error keeps it from running the CEL rules. */
  public static final String RULES_NOT_CHECKED =
      "some validation rules were not checked because the object was invalid; correct the"
          + " existing errors to complete validation";

  /**
   * The field of {@link #RULES_NOT_CHECKED}: none, which kube-apiserver prints as {@code <nil>}.
   */
  public static final String RULES_NOT_CHECKED_PATH = "<nil>";

  /** A type mismatch or a value outside an enum: kube-apiserver's TypeInvalid and NotSupported. */
  private static boolean blocksRules(SchemaViolation violation) {
    String message = violation.message();
    return message.matches("\\w+ found, \\w+ expected")
        || message.contains("does not have a value in the enumeration");
  }

  /**
   * A copy of the resource with the schema's defaults filled in, as the API server stores it.
   *
   * @throws IllegalArgumentException for a kind that is not part of the API
   */
  public ObjectNode withDefaults(JsonNode resource) {
    String kind = resource.path("kind").asText();
    JsonNode schema =
        catalog
            .schema(kind)
            .orElseThrow(() -> new IllegalArgumentException("not a kind of this API: " + kind));
    ObjectNode defaulted = resource.deepCopy();
    SchemaDefaults.apply(schema, defaulted);
    return defaulted;
  }
}
