package dev.ipsec.operator.vyos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code set pki} tree of the input, by entry: {@code ca NAME}, {@code certificate NAME} and
 * {@code key-pair NAME}, each with its lines by path ({@code certificate}, {@code private key},
 * {@code public key}, ...). Nothing is judged here: the {@code pki} tree serves every subsystem of
 * the router (OpenVPN, the HTTPS API, ...), so only the entries an imported peer names are read, by
 * {@link PkiMaterial}, and the others stay where they are, like the lines of other subsystems.
 */
final class VyosPki {

  /** The kinds of entry a peer can name. */
  enum Kind {
    CA("ca"),
    CERTIFICATE("certificate"),
    KEY_PAIR("key-pair");

    final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  /** One {@code pki KIND NAME} entry: its lines by path below the name. */
  record Entry(Kind kind, String name, Map<String, List<VyosLine>> lines) {

    /** The single value at {@code path}, with its line. */
    Optional<VyosLine> line(String path) {
      List<VyosLine> found = lines.getOrDefault(path, List.of());
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }

    /** The value of a line found by {@link #line}: its last word. */
    static String value(VyosLine line) {
      return line.word(line.size() - 1);
    }

    /** The whole command of the entry, for messages: {@code pki certificate NAME}. */
    String describe() {
      return "pki " + kind.word + " " + name;
    }
  }

  private final Map<String, Entry> entries = new HashMap<>();

  VyosPki(List<VyosLine> pkiLines) {
    for (VyosLine line : pkiLines) {
      if (line.size() < 2) {
        continue;
      }
      for (Kind kind : Kind.values()) {
        if (kind.word.equals(line.word(0))) {
          Entry entry =
              entries.computeIfAbsent(
                  key(kind, line.word(1)),
                  k -> new Entry(kind, line.word(1), new java.util.LinkedHashMap<>()));
          entry.lines().computeIfAbsent(path(line), p -> new ArrayList<>()).add(line);
        }
      }
    }
  }

  Optional<Entry> entry(Kind kind, String name) {
    return Optional.ofNullable(entries.get(key(kind, name)));
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * The words below the entry's name without the value: {@code certificate}, {@code private key},
   * {@code private password-protected} (valueless, so its last word is part of the path).
   */
  private static String path(VyosLine line) {
    List<String> below = line.words().subList(2, line.size());
    if (below.isEmpty()) {
      return "";
    }
    boolean valueless =
        below.get(below.size() - 1).equals("password-protected")
            || below.get(below.size() - 1).equals("revoke");
    return String.join(" ", valueless ? below : below.subList(0, below.size() - 1));
  }

  private static String key(Kind kind, String name) {
    return kind.word + "\u0000" + name;
  }
}
