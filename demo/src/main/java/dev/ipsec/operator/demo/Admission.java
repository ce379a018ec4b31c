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

  /**
   * What admission made of a write: a refusal, or the object to store (pruned of unknown fields and
   * defaulted) with the warnings to answer with.
   */
  record Decision(Optional<ObjectNode> refusal, ObjectNode stored, List<String> warnings) {
    static Decision refused(ObjectNode status) {
      return new Decision(Optional.of(status), null, List.of());
    }
  }

  /**
   * Admits a create or update as kube-apiserver does: unknown fields first, as the decoder meets
   * them (refused with 400 under {@code Strict}, else pruned, with a warning under {@code Warn}),
   * then the schema and CEL rules of what is left (422 Invalid), then defaults.
   */
  Decision admit(ServedResource resource, ObjectNode object, FieldValidation fieldValidation) {
    List<SchemaViolation> violations =
        validator.validate(object).stream().map(Admission::atMissingField).toList();
    List<String> unknownFields =
        violations.stream()
            .filter(SchemaViolation::isUnknownField)
            .map(SchemaViolation::path)
            .toList();
    if (!unknownFields.isEmpty() && fieldValidation == FieldValidation.STRICT) {
      String errors =
          unknownFields.stream()
              .map(field -> "unknown field \"" + field + "\"")
              .collect(Collectors.joining(", "));
      return Decision.refused(
          statuses.failure(
              400,
              "BadRequest",
              "%s in version \"%s\" cannot be handled as a %s: strict decoding error: %s"
                  .formatted(resource.kind(), resource.version(), resource.kind(), errors)));
    }
    ObjectNode pruned = object.deepCopy();
    unknownFields.forEach(field -> remove(pruned, field));
    List<SchemaViolation> invalid =
        violations.stream().filter(violation -> !violation.isUnknownField()).toList();
    if (!invalid.isEmpty()) {
      return Decision.refused(invalidStatus(resource, pruned, invalid));
    }
    List<String> warnings =
        fieldValidation == FieldValidation.WARN
            ? unknownFields.stream().map(field -> "unknown field \"" + field + "\"").toList()
            : List.of();
    return new Decision(Optional.empty(), validator.withDefaults(pruned), warnings);
  }

  /** Removes the field at a path such as {@code spec.tunnels[0].remoteprefix}. */
  private static void remove(ObjectNode object, String path) {
    int dot = path.lastIndexOf('.');
    JsonNode parent = dot < 0 ? object : valueAt(object, path.substring(0, dot));
    if (parent instanceof ObjectNode fields) {
      fields.remove(path.substring(dot + 1));
    }
  }

  /** The 422 Status listing each violation as a cause, in the shape kubectl prints. */
  private ObjectNode invalidStatus(
      ServedResource resource, JsonNode object, List<SchemaViolation> violations) {
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
    return status;
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
    if (violation.message().startsWith("Duplicate value: ")) {
      return "FieldValueDuplicate"; // a list-map's key or a set's item given twice
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
      return violation.message().startsWith("Duplicate value: ")
          ? violation.message()
          : "Duplicate value: " + violation.message();
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
