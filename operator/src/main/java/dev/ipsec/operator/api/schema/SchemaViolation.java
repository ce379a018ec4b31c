package dev.ipsec.operator.api.schema;

/**
 * One reason a resource does not fit its CRD.
 *
 * @param path the field in dotted form with indexes, e.g. {@code spec.tunnels[1].local.port}
 * @param message what is wrong, for a human
 */
public record SchemaViolation(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
