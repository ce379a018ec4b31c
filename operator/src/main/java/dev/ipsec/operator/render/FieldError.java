package dev.ipsec.operator.render;

import java.util.Objects;

/**
 * One validation failure, located by the path of the offending field inside the resource, for
 * example {@code spec.tunnels[1].remote.prefixes[0]}. Messages never contain secret material.
 */
public record FieldError(String path, String message) {

  public FieldError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
