package dev.ipsec.operator.api.schema;

/**
 * One reason a resource does not fit its CRD.
 *
 * @param path the field in dotted form with indexes, e.g. {@code spec.tunnels[1].local.port}
 * @param message what is wrong, for a human
 */
public record SchemaViolation(String path, String message) {
  /**
   * The message of a field the schema does not know. An API server prunes such a field or refuses
   * it, depending on the request's field validation, before any other check.
   */
  public static final String UNKNOWN_FIELD = "unknown field";

  public static SchemaViolation unknownField(String path) {
    return new SchemaViolation(path, UNKNOWN_FIELD);
  }

  public boolean isUnknownField() {
    return UNKNOWN_FIELD.equals(message);
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
