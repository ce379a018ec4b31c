package dev.ipsec.operator.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * A check of one resource before rendering, reported as {@code path: message} lines. This is the
 * seam through which {@code validate} adds the CRD schema check (a {@code CrdSchemaValidator}):
 * the command runs every registered check on every resource of this API.
 */
@FunctionalInterface
interface ResourceCheck {

  List<String> check(HasMetadata resource);
}
