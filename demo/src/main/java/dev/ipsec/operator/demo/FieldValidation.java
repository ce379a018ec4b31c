package dev.ipsec.operator.demo;

import java.util.Optional;

/**
 * The {@code fieldValidation} query parameter of a create, update or patch, which says what the
 * server does with fields the schema does not know (Kubernetes API concepts, "Field validation"):
 * {@code Strict} refuses the request with 400 BadRequest, {@code Warn} prunes them and answers with
 * a {@code Warning} header for each, {@code Ignore} prunes them silently. Without the parameter the
 * server warns (the default since Kubernetes 1.27); kubectl 1.27 and later asks for {@code Strict}.
 */
enum FieldValidation {
  STRICT,
  WARN,
  IGNORE;

  private static final String PARAMETER = "fieldValidation=";

  /** The directive's value as a query string carries it, empty when there is none. */
  static String valueIn(String query) {
    for (String parameter : query.split("&")) {
      if (parameter.startsWith(PARAMETER)) {
        return parameter.substring(PARAMETER.length());
      }
    }
    return "";
  }

  /**
   * The directive of a query string; empty for a value the server does not know (the values are
   * case-sensitive), which it refuses as an invalid option.
   */
  static Optional<FieldValidation> fromQuery(String query) {
    return switch (valueIn(query)) {
      case "Strict" -> Optional.of(STRICT);
      case "Warn", "" -> Optional.of(WARN);
      case "Ignore" -> Optional.of(IGNORE);
      default -> Optional.empty();
    };
  }

  /**
   * The cause kube-apiserver's option validation gives for a value it does not know, on the
   * request's options kind (CreateOptions, UpdateOptions, PatchOptions).
   */
  static String unsupportedValueMessage(String optionsKind, String query) {
    return "%s.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"%s\": supported values: \"Ignore\", \"Strict\", \"Warn\""
        .formatted(optionsKind, valueIn(query));
  }
}
