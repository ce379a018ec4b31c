package dev.ipsec.operator.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small independent reader of the settings format for assertions: sections, {@code key = value}
 * (quoted or bare) and includes, in file order, and whole-line comments (the provenance header of a
 * conf.d file, {@link RenderedFrom}), which it skips. Strict: anything else fails the test, so a
 * rendered file that a real parser would read differently cannot pass unnoticed.
 */
final class SettingsTree {

  final Map<String, String> values = new LinkedHashMap<>();
  final Map<String, SettingsTree> sections = new LinkedHashMap<>();
  final List<String> includes = new ArrayList<>();

  /** Keys and section names in the order they appear. */
  final List<String> order = new ArrayList<>();

  static SettingsTree parse(String text) {
    SettingsTree root = new SettingsTree();
    List<SettingsTree> stack = new ArrayList<>(List.of(root));
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      SettingsTree current = stack.get(stack.size() - 1);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.equals("}")) {
        if (stack.size() == 1) {
          throw new IllegalArgumentException("unbalanced }");
        }
        stack.remove(stack.size() - 1);
      } else if (line.endsWith(" {")) {
        String name = line.substring(0, line.length() - 2);
        requireName(name);
        if (current.sections.containsKey(name) || current.values.containsKey(name)) {
          throw new IllegalArgumentException("duplicate section " + name);
        }
        SettingsTree child = new SettingsTree();
        current.sections.put(name, child);
        current.order.add(name);
        stack.add(child);
      } else if (line.startsWith("include ")) {
        current.includes.add(line.substring("include ".length()));
      } else {
        int eq = line.indexOf(" = ");
        if (eq <= 0) {
          throw new IllegalArgumentException("not a key = value line: " + line);
        }
        String key = line.substring(0, eq);
        requireName(key);
        if (current.values.containsKey(key) || current.sections.containsKey(key)) {
          throw new IllegalArgumentException("duplicate key " + key);
        }
        current.values.put(key, unquote(line.substring(eq + 3)));
        current.order.add(key);
      }
    }
    if (stack.size() != 1) {
      throw new IllegalArgumentException("unclosed section");
    }
    return root;
  }

  /** The section at a path of section names, or null. */
  SettingsTree section(String... path) {
    SettingsTree t = this;
    for (String name : path) {
      t = t.sections.get(name);
      if (t == null) {
        return null;
      }
    }
    return t;
  }

  String value(String key) {
    return values.get(key);
  }

  private static void requireName(String name) {
    if (!name.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("bad name: " + name);
    }
  }

  private static String unquote(String v) {
    if (!v.startsWith("\"")) {
      return v;
    }
    StringBuilder sb = new StringBuilder();
    int i = 1;
    for (; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\\') {
        sb.append(v.charAt(++i));
      } else if (c == '"') {
        break;
      } else {
        sb.append(c);
      }
    }
    if (i != v.length() - 1) {
      throw new IllegalArgumentException("text after the closing quote: " + v);
    }
    return sb.toString();
  }
}
