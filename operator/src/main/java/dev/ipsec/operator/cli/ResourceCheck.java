package dev.ipsec.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ipsec.operator.render.FieldError;
import java.util.List;

/**
 * A check of one resource before rendering, reported as errors located by field path. {@code
 * validate} and {@code render} run every registered check ({@link CrdSchemaCheck}) on every
 * resource they read.
 */
@FunctionalInterface
interface ResourceCheck {

  /** The problems of one document as written (not as bound: binding coerces some values). */
  List<FieldError> check(JsonNode document);
}
