package dev.ipsec.operator.cli;

import dev.ipsec.operator.render.FieldError;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * A check of one resource before rendering, reported as errors located by field path. {@code
 * validate} and {@code render} run every registered check ({@link CrdSchemaCheck}) on every
 * resource they read.
 */
@FunctionalInterface
interface ResourceCheck {

  List<FieldError> check(HasMetadata resource);
}
