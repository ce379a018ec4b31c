package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ipsec.operator.api.schema.ResourceValidator;
import dev.ipsec.operator.api.schema.SchemaViolation;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the API server does with a custom resource before storing it: validation against the CRD's
 * structural schema and CEL rules, refused with 422 Invalid, and the schema's defaults filled in
 * (Kubernetes docs, "Extend the Kubernetes API with CustomResourceDefinitions": Validation,
 * Defaulting, Validation rules). The checks are the ones {@code ipsec-operator validate} runs.
 */
final class Admission {
  private static final Pattern INDEXED_STEP = Pattern.compile("([^\\[]*)((?:\\[\\d+\\])*)");
  private static final Pattern MISSING_PROPERTY =
      Pattern.compile("required property '([^']+)' not found");

  private final ResourceValidator validator;
  private final CelRuleReasons ruleReasons;
  private final ApiStatus statuses;

  Admission(ResourceValidator validator, CelRuleReasons ruleReasons, ApiStatus statuses) {
    this.validator = validator;
    this.ruleReasons = ruleReasons;
    this.statuses = statuses;
  }

  boolean handles(String kind) {
    return validator.handles(kind);
  }

  /** The 422 Status that refuses the object, or empty when it is valid. */
  Optional<ObjectNode> refusal(ServedResource resource, JsonNode object) {
    List<SchemaViolation> violations =
        validator.validate(object).stream().map(Admission::atMissingField).toList();
    if (violations.isEmpty()) {
      return Optional.empty();
    }
    String name = object.at("/metadata/name").asText("");
    List<String> details =
        violations.stream().map(v -> v.path() + ": " + causeMessage(object, v)).toList();
    // kube-apiserver's field.ErrorList: one error bare, several in brackets
    String summary =
        details.size() == 1
            ? details.get(0)
            : details.stream().collect(Collectors.joining(", ", "[", "]"));
    ObjectNode status =
        statuses.failure(
            422,
            "Invalid",
            "%s.%s \"%s\" is invalid: %s"
                .formatted(resource.kind(), resource.group(), name, summary));
    ObjectNode statusDetails =
        status
            .putObject("details")
            .put("name", name)
            .put("group", resource.group())
            .put("kind", resource.kind());
    ArrayNode causes = statusDetails.putArray("causes");
    for (SchemaViolation violation : violations) {
      causes
          .addObject()
          .put("reason", causeReason(violation))
          .put("message", causeMessage(object, violation))
          .put("field", violation.path());
    }
    return Optional.of(status);
  }

  /** The object as the server stores it: with the schema's defaults. */
  ObjectNode defaulted(JsonNode object) {
    return validator.withDefaults(object);
  }

  /**
   * A missing required property is reported on the object that lacks it; kube-apiserver reports it
   * on the field itself: {@code spec.ikeGroup: Required value}.
   */
  private static SchemaViolation atMissingField(SchemaViolation violation) {
    Matcher missing = MISSING_PROPERTY.matcher(violation.message());
    if (!missing.matches()) {
      return violation;
    }
    String field =
        violation.path().isEmpty() ? missing.group(1) : violation.path() + "." + missing.group(1);
    return new SchemaViolation(field, "Required value");
  }

  private String causeReason(SchemaViolation violation) {
    Optional<String> declared = ruleReasons.of(violation.message());
    if (declared.isPresent()) {
      return declared.get();
    }
    String message = violation.message().toLowerCase();
    if (message.equals("required value")) {
      return "FieldValueRequired";
    }
    if (message.contains("enum")) {
      return "FieldValueNotSupported";
    }
    return "FieldValueInvalid";
  }

  private String causeMessage(JsonNode object, SchemaViolation violation) {
    String reason = causeReason(violation);
    if (reason.equals("FieldValueRequired")) {
      // field.Required: "Required value", then the rule's message if there is one
      return violation.message().equals("Required value")
          ? "Required value"
          : "Required value: " + violation.message();
    }
    if (reason.equals("FieldValueDuplicate")) {
      return "Duplicate value: " + violation.message();
    }
    if (reason.equals("FieldValueNotSupported")) {
      return "Unsupported value: %s: %s"
          .formatted(shownValue(valueAt(object, violation.path())), violation.message());
    }
    return "Invalid value: %s: %s"
        .formatted(shownValue(valueAt(object, violation.path())), violation.message());
  }

  /** How field.Invalid shows a value: scalars as JSON, objects and lists by their type. */
  private static String shownValue(JsonNode value) {
    if (value.isObject()) {
      return "\"object\"";
    }
    if (value.isArray()) {
      return "\"array\"";
    }
    if (value.isMissingNode()) {
      return "\"null\"";
    }
    return value.toString();
  }

  /** The value at a field path such as {@code spec.tunnels[1].local.port}. */
  private static JsonNode valueAt(JsonNode object, String path) {
    JsonNode node = object;
    for (String step : path.split("\\.")) {
      Matcher matcher = INDEXED_STEP.matcher(step);
      if (!matcher.matches()) {
        return object.path("\0missing");
      }
      node = node.path(matcher.group(1));
      for (String index : matcher.group(2).replace("[", "").split("]")) {
        if (!index.isEmpty()) {
          node = node.path(Integer.parseInt(index));
        }
      }
    }
    return node;
  }
}
