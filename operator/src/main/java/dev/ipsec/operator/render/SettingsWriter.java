package dev.ipsec.operator.render;

import java.util.regex.Pattern;

/**
 * Writes strongSwan's settings format (swanctl.conf, strongswan.conf) one key per line, with a
 * fixed two-space indentation, so that equal input always gives byte-identical text.
 *
 * <p>Every value is written as a double-quoted string. Inside quotes the settings lexer only
 * gives a meaning to {@code "} (end of value) and {@code \} (escape), which are escaped here; a
 * {@code #}, {@code {}, {@code }}, {@code =} or {@code ,} in a quoted value is plain text. Control
 * characters are refused outright: a newline is legal inside quotes but no valid option value
 * contains one, and refusing them keeps the files line-oriented for the agent's parser. Section
 * names and keys cannot be quoted in the format, so they must match {@link #NAME}; callers
 * validate user-supplied names with {@link Grammar} first, so a failure here is a bug.
 */
public final class SettingsWriter {

  /** What a section name or key may look like: no dot (the settings path separator), no space. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

  private static final Pattern INCLUDE_PATTERN = Pattern.compile("[A-Za-z0-9_./*-]+");

  private final StringBuilder out;
  private int depth;

  public SettingsWriter() {
    this(256);
  }

  public SettingsWriter(int capacity) {
    this.out = new StringBuilder(capacity);
  }

  /** Opens {@code name {}; every {@code section} needs a matching {@link #end()}. */
  public SettingsWriter section(String name) {
    requireName(name);
    indent().append(name).append(" {\n");
    depth++;
    return this;
  }

  public SettingsWriter end() {
    if (depth == 0) {
      throw new IllegalStateException("no open section");
    }
    depth--;
    indent().append("}\n");
    return this;
  }

  /** Writes {@code key = "value"} with the value quoted and escaped. */
  public SettingsWriter value(String key, String value) {
    requireName(key);
    indent().append(key).append(" = ");
    appendQuoted(out, value);
    out.append('\n');
    return this;
  }

  public SettingsWriter value(String key, long value) {
    return value(key, Long.toString(value));
  }

  public SettingsWriter value(String key, boolean value) {
    return value(key, value ? "yes" : "no");
  }

  /** Writes an {@code include} statement; only the project's own fixed glob paths are allowed. */
  public SettingsWriter include(String path) {
    if (!INCLUDE_PATTERN.matcher(path).matches()) {
      throw new IllegalArgumentException("include path has characters outside [A-Za-z0-9_./*-]");
    }
    indent().append("include ").append(path).append('\n');
    return this;
  }

  /** The text written so far; all sections must be closed. */
  public String text() {
    if (depth != 0) {
      throw new IllegalStateException(depth + " section(s) still open");
    }
    return out.toString();
  }

  /** Quotes one value for the settings format; exposed for tests and for the agent's round trip. */
  public static String quote(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2);
    appendQuoted(sb, value);
    return sb.toString();
  }

  private static void appendQuoted(StringBuilder sb, String value) {
    sb.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        // The message names the position only: the value may be secret material.
        throw new IllegalArgumentException("control character at position " + i + " of a value");
      }
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  private static void requireName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a valid settings section or key name: " + name);
    }
  }

  private StringBuilder indent() {
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
    return out;
  }
}
