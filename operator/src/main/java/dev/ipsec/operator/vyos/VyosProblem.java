package dev.ipsec.operator.vyos;

/**
 * Something the import could not carry over: an error (the line is malformed or unknown, the import
 * fails) or a warning (the line is understood but has no equivalent and is left out).
 *
 * @param line the 1-based line number in the input
 */
public record VyosProblem(int line, Severity severity, String message) {

  /** Whether the import can go on. */
  public enum Severity {
    WARNING,
    ERROR
  }

  public static VyosProblem error(int line, String message) {
    return new VyosProblem(line, Severity.ERROR, message);
  }

  public static VyosProblem warning(int line, String message) {
    return new VyosProblem(line, Severity.WARNING, message);
  }

  @Override
  public String toString() {
    return "line "
        + line
        + ": "
        + severity.name().toLowerCase(java.util.Locale.ROOT)
        + ": "
        + message;
  }
}
