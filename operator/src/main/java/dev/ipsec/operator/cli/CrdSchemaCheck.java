package dev.ipsec.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ipsec.operator.api.schema.ResourceValidator;
import dev.ipsec.operator.render.FieldError;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/**
 * The API server's own checks, offline: the generated CRD schema with its defaults and CEL rules,
 * on every resource of this API (others, such as Secrets, are left to their own validation).
 */
final class CrdSchemaCheck implements ResourceCheck {
  private final ResourceValidator validator = ResourceValidator.bundled();

  @Override
  public List<FieldError> check(HasMetadata resource) {
    if (!validator.handles(resource.getKind())) {
      return List.of();
    }
    JsonNode json = Serialization.jsonMapper().valueToTree(resource);
    return validator.validate(json).stream()
        .map(v -> new FieldError(v.path(), v.message()))
        .toList();
  }
}
