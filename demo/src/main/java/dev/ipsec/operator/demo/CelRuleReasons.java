package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ipsec.operator.api.schema.CrdCatalog;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code reason} each CEL rule of the CRDs declares (FieldValueRequired, FieldValueDuplicate,
 * ...), found by the rule's message: kube-apiserver puts it in the 422's cause, where kubectl and
 * controllers read it.
 */
final class CelRuleReasons {
  private final Map<String, String> reasonByMessage = new HashMap<>();

  CelRuleReasons(CrdCatalog catalog) {
    for (String kind : catalog.kinds()) {
      catalog.schema(kind).ifPresent(this::collect);
    }
  }

  Optional<String> of(String message) {
    return Optional.ofNullable(reasonByMessage.get(message));
  }

  private void collect(JsonNode schema) {
    if (!schema.isObject()) {
      return;
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      if (rule.has("message") && rule.has("reason")) {
        reasonByMessage.put(rule.path("message").asText(), rule.path("reason").asText());
      }
    }
    schema.path("properties").forEach(this::collect);
    collect(schema.path("items"));
    if (schema.path("additionalProperties").isObject()) {
      collect(schema.path("additionalProperties"));
    }
  }
}
