package dev.ipsec.operator.render;

import java.util.Objects;

/**
 * One validation failure, located by the path of the offending field inside the resource, for
 * example {@code spec.tunnels[1].remote.prefixes[0]}. Messages never contain secret material.
 *
 * @param reason what kind of problem it is, in the CamelCase of a condition's reason: {@link
 *     #INVALID} for a spec that does not render, a name of its own for a peer that renders but
 *     cannot be placed ({@code TooLarge}, {@code GatewayFull})
 */
public record FieldError(String path, String message, String reason) {

  /** The reason of every error that says the spec itself is wrong. */
  public static final String INVALID = "Invalid";

  public FieldError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(reason, "reason");
  }

  public FieldError(String path, String message) {
    this(path, message, INVALID);
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
