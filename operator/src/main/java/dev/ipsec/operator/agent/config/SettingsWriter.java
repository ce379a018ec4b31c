package dev.ipsec.operator.agent.config;

import java.util.Map;

/**
 * Renders a {@link SettingsSection} in the settings format, every value double-quoted and escaped
 * so that any string survives a round trip through {@link SettingsParser}.
 */
public final class SettingsWriter {

  private SettingsWriter() {}

  public static String render(SettingsSection section) {
    StringBuilder out = new StringBuilder();
    write(section, 0, out);
    return out.toString();
  }

  private static void write(SettingsSection section, int indent, StringBuilder out) {
    String pad = "  ".repeat(indent);
    for (Map.Entry<String, String> e : section.values().entrySet()) {
      out.append(pad).append(e.getKey()).append(" = ").append(quote(e.getValue())).append('\n');
    }
    for (Map.Entry<String, SettingsSection> e : section.sections().entrySet()) {
      out.append(pad).append(e.getKey()).append(" {\n");
      write(e.getValue(), indent + 1, out);
      out.append(pad).append("}\n");
    }
  }

  /** Quotes a value; a newline is written as {@code \n} so each setting stays on one line. */
  public static String quote(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** Whether {@code name} can be written unquoted as a section or key name. */
  public static boolean isValidName(String name) {
    if (name.isEmpty() || name.equals("include")) {
      return false;
    }
    for (char c : name.toCharArray()) {
      if (" \t\r\n#{}=\"".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }
}
