package dev.ipsec.operator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What a value that does not bind is told, in the words of the API (kubectl explain's types), not
 * Java's: "expected a number", "must be one of ikev1, ikev2", "unknown field".
 */
final class BindingMessages {

  static final String UNKNOWN_FIELD = "unknown field";

  /** Up to this many allowed values are all listed; more are cut to the closest few. */
  static final int LIST_ALL_UP_TO = 12;

  static final int CLOSEST = 5;

  /** Names enum constants as they are written in YAML (their {@code @JsonProperty}). */
  private static final ObjectMapper NAMES = new ObjectMapper();

  private BindingMessages() {}

  /** A scalar of the right shape whose value the target cannot take. */
  static String forValue(Class<?> target, String given) {
    if (target.isEnum()) {
      return oneOf(enumNames(target), given);
    }
    return expected(target);
  }

  /** What a field of the target type must hold. */
  static String expected(Class<?> target) {
    if (target.isEnum() || target == String.class || target == Character.class) {
      return "expected a string";
    }
    if (target == Integer.class
        || target == int.class
        || target == Long.class
        || target == long.class
        || target == Short.class
        || target == short.class) {
      return "expected a whole number";
    }
    if (Number.class.isAssignableFrom(target) || target.isPrimitive() && target != boolean.class) {
      return "expected a number";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "expected true or false";
    }
    if (Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "expected a list";
    }
    if (Map.class.isAssignableFrom(target)) {
      return "expected a map of keys to values";
    }
    return "expected an object";
  }

  /**
   * "must be one of a, b, c", sorted; of a long list only the values closest to what was written,
   * so that a typo of one of 55 ciphers reads in one line.
   */
  static String oneOf(List<String> allowed, String given) {
    List<String> sorted = allowed.stream().sorted().toList();
    if (sorted.size() <= LIST_ALL_UP_TO) {
      return "must be one of " + String.join(", ", sorted);
    }
    List<String> closest =
        sorted.stream()
            .sorted(Comparator.comparingInt((String v) -> distance(v, given)))
            .limit(CLOSEST)
            .toList();
    return "must be one of "
        + sorted.size()
        + " values (kubectl explain lists them); the closest: "
        + String.join(", ", closest);
  }

  static List<String> enumNames(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants())
        .map(constant -> NAMES.valueToTree(constant).asText())
        .toList();
  }

  /** Levenshtein's edit distance, case-insensitive. */
  static int distance(String a, String b) {
    String s = a.toLowerCase(java.util.Locale.ROOT);
    String t = b.toLowerCase(java.util.Locale.ROOT);
    int[] previous = new int[t.length() + 1];
    int[] current = new int[t.length() + 1];
    for (int j = 0; j <= t.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= s.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= t.length(); j++) {
        int substitution = previous[j - 1] + (s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[t.length()];
  }
}
