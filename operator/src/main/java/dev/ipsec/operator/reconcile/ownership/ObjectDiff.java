package dev.ipsec.operator.reconcile.ownership;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a live object's JSON departs from the desired object's: every field the desired object sets
 * must hold the same value in the live one, and every field only the live one has must be empty or
 * one the server fills in ({@link ServerDefaults}). Arrays compare element by element (containers,
 * volumes and ports keep their order on the server), so an extra element is drift.
 *
 * <p>Returns paths only, never values: the caller logs them, and a Secret's values must never reach
 * a log.
 */
final class ObjectDiff {

  /** Resource quantities: the server stores them canonically ({@code 0.5} becomes {@code 500m}). */
  private static final Pattern QUANTITY =
      Pattern.compile(".*\\.resources\\.(requests|limits)\\.[^.]+");

  private final ServerDefaults defaults;
  private final List<String> differences = new ArrayList<>();

  private ObjectDiff(ServerDefaults defaults) {
    this.defaults = defaults;
  }

  /**
   * The paths at which {@code live} differs from {@code desired}; empty when it holds what the
   * desired object says.
   */
  static List<String> between(JsonNode desired, JsonNode live, ServerDefaults defaults) {
    ObjectDiff diff = new ObjectDiff(defaults);
    diff.compare("", "", desired, live, null);
    return List.copyOf(diff.differences);
  }

  private void compare(String at, String rule, JsonNode desired, JsonNode live, JsonNode holder) {
    if (isEmpty(desired)) {
      if (!isEmpty(live) && !defaults.accepts(rule, live, holder)) {
        differences.add(at);
      }
      return;
    }
    if (isEmpty(live)) {
      differences.add(at);
      return;
    }
    if (desired.isObject() && live.isObject()) {
      compareFields(at, rule, desired, live);
    } else if (desired.isArray() && live.isArray()) {
      if (desired.size() != live.size()) {
        differences.add(at);
        return;
      }
      for (int i = 0; i < desired.size(); i++) {
        compare(at + "[" + i + "]", rule + "[*]", desired.get(i), live.get(i), live);
      }
    } else if (!(QUANTITY.matcher(rule).matches()
        ? sameQuantity(desired, live)
        : sameValue(desired, live))) {
      differences.add(at);
    }
  }

  private void compareFields(String at, String rule, JsonNode desired, JsonNode live) {
    String prefix = at.isEmpty() ? "" : at + ".";
    String rulePrefix = rule.isEmpty() ? "" : rule + ".";
    for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      compare(prefix + name, rulePrefix + name, field.getValue(), live.get(name), live);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = live.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (!desired.has(name)) {
        compare(prefix + name, rulePrefix + name, null, field.getValue(), live);
      }
    }
  }

  /** Scalars: numbers by value (an int and a long of the same value are the same). */
  static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return Objects.equals(a, b);
  }

  private static boolean sameQuantity(JsonNode desired, JsonNode live) {
    if (!desired.isTextual() || !live.isTextual()) {
      return sameValue(desired, live);
    }
    try {
      BigDecimal a = new Quantity(desired.textValue()).getNumericalAmount();
      BigDecimal b = new Quantity(live.textValue()).getNumericalAmount();
      return a.compareTo(b) == 0;
    } catch (IllegalArgumentException e) {
      return desired.equals(live);
    }
  }

  /**
   * Absent, null, an empty array, or an object with nothing but empty values in it: the API server
   * and the client drop such fields, or add them ({@code securityContext: {}}), without meaning.
   */
  static boolean isEmpty(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return true;
    }
    if (node.isArray()) {
      return node.isEmpty();
    }
    if (node.isObject()) {
      for (JsonNode child : node) {
        if (!isEmpty(child)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }
}
