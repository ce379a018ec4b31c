package dev.ipsec.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ipsec.operator.api.schema.ResourceValidator;
import dev.ipsec.operator.render.FieldError;
import java.util.List;

/**
 * The API server's own checks, offline: the generated CRD schema with its defaults and CEL rules,
 * on every resource of this API as written (others, such as Secrets, are left to their own
 * validation). As written, not as bound: binding accepts {@code lifetime: "3600"}, which the API
 * server refuses.
 */
final class CrdSchemaCheck implements ResourceCheck {
  private final ResourceValidator validator = ResourceValidator.bundled();

  @Override
  public List<FieldError> check(JsonNode document) {
    if (!validator.handles(document.path("kind").asText())) {
      return List.of();
    }
    return validator.validate(document).stream()
        // the API server's note that its CEL rules wait for the type errors to be fixed: the
        // errors above it say what to fix, and the rules are checked in the next run
        .filter(v -> !v.message().equals(ResourceValidator.RULES_NOT_CHECKED))
        .map(v -> new FieldError(v.path(), v.message()))
        .toList();
  }
}
