package dev.ipsec.operator.settings;

import java.util.regex.Pattern;

/**
 * Writes strongSwan's settings format (swanctl.conf, strongswan.conf) one key per line, with a
 * fixed two-space indentation, so that equal input always gives byte-identical text. It is the only
 * writer of the format; {@link SettingsParser} reads back exactly what it writes.
 *
 * <p>Every value is written as a double-quoted string. Inside quotes the settings lexer only gives
 * a meaning to {@code "} (end of value) and {@code \} (escape), which are escaped here; a {@code
 * #}, {@code {}, {@code }}, {@code =} or {@code ,} in a quoted value is plain text, so no value can
 * add, close or reopen a section. Control characters are refused rather than escaped: the lexer
 * would take {@code \n}, but no valid option value contains a newline, and refusing them keeps
 * every setting on one line of its own for the agent, for diffs and for people. Section names and
 * keys cannot be quoted in the format, so they must be {@link #isName names}; callers validate
 * user-supplied names first, so a refused name here is a bug.
 */
public final class SettingsWriter {

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

  /** One value quoted and escaped as {@link #value(String, String)} writes it. */
  static String quote(String value) {
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
    if (!isName(name)) {
      throw new IllegalArgumentException("not a valid settings section or key name: " + name);
    }
  }

  /**
   * Whether a string can be written as a section name or key: {@code [A-Za-z0-9_-]+}, so no dot
   * (the settings path separator), no space and nothing the format treats as syntax. Checked by
   * hand, not by a regex: this runs for every key of every peer.
   */
  public static boolean isName(String name) {
    return isName(name, 0, name.length());
  }

  /**
   * Whether the characters of {@code s} from {@code start} to {@code end} are a name, without
   * copying them.
   */
  public static boolean isName(String s, int start, int end) {
    if (start >= end) {
      return false;
    }
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private StringBuilder indent() {
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
    return out;
  }
}
