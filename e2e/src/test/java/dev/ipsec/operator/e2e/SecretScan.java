package dev.ipsec.operator.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Searches texts (a ConfigMap's value, a status, an Event, a log or metrics line) for secret
 * material: each secret value as it is and in base64, and the words {@code PRIVATE KEY}. A finding
 * names the secret by where it came from and the text by where it was, never the secret itself.
 */
final class SecretScan {
  static final String PRIVATE_KEY = "PRIVATE KEY";

  /** A value shorter than this matches by chance; none of the scenarios' secrets is. */
  static final int SHORTEST_SECRET = 8;

  private static final int SHORTEST_PEM_LINE = 20;

  private final Map<String, String> needles = new LinkedHashMap<>();
  private final Map<String, Integer> scanned = new TreeMap<>();
  private final List<String> findings = new ArrayList<>();

  /**
   * Adds a secret value to look for, named by its source (e.g. "Secret ns/name key psk"). A PEM is
   * looked for line by line (its base64 lines of 20 characters and more: 120 bits, which no other
   * text holds by chance; a JDK P-256 key's last line has 28), as a log may hold one line of it.
   */
  void secret(String source, String value) {
    if (value.contains("-----BEGIN")) {
      int n = 0;
      for (String line : value.split("\\R")) {
        String body = line.strip();
        if (!body.startsWith("-----") && body.length() >= SHORTEST_PEM_LINE) {
          needles.put(source + " (PEM line " + ++n + ")", body);
        }
      }
      return;
    }
    if (value.strip().length() < SHORTEST_SECRET) {
      return;
    }
    needles.put(source, value.strip());
    needles.put(
        source + " (base64)",
        Base64.getEncoder().encodeToString(value.strip().getBytes(StandardCharsets.UTF_8)));
  }

  int secrets() {
    return needles.size();
  }

  /** Where the secret values looked for come from (names, never values). */
  List<String> sources() {
    return List.copyOf(needles.keySet());
  }

  /** Searches one text of the given kind (counted per kind), found at {@code where}. */
  void scan(String kind, String where, String text) {
    scanned.merge(kind, 1, Integer::sum);
    if (text == null) {
      return;
    }
    if (text.contains(PRIVATE_KEY)) {
      findings.add("'" + PRIVATE_KEY + "' in " + where);
    }
    needles.forEach(
        (source, needle) -> {
          if (text.contains(needle)) {
            findings.add(source + " in " + where);
          }
        });
  }

  /** How many texts of each kind were searched. */
  Map<String, Integer> scanned() {
    return Map.copyOf(scanned);
  }

  List<String> findings() {
    return List.copyOf(findings);
  }
}
