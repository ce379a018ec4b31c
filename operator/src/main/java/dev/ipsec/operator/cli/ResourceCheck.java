package dev.ipsec.operator.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * A check of one resource before rendering, reported as {@code path: message} lines. {@code
 * validate} and {@code render} run every registered check ({@link CrdSchemaCheck}) on every
 * resource they read.
 */
@FunctionalInterface
interface ResourceCheck {

  List<String> check(HasMetadata resource);
}
