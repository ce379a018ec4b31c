package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the JSONPath forms CRD printer columns use: {@code .a.b.c} and a filter step such as
 * {@code .status.conditions[?(@.type=="Ready")].status}.
 */
final class PrinterColumnPath {
  private static final Pattern STEP =
      Pattern.compile("\\.([A-Za-z0-9_-]+)(\\[\\?\\(@\\.([A-Za-z0-9_-]+)==\"([^\"]*)\"\\)\\])?");

  private PrinterColumnPath() {}

  /** The value at the path, or a missing node. */
  static JsonNode evaluate(JsonNode root, String path) {
    JsonNode node = root;
    Matcher step = STEP.matcher(path);
    int position = 0;
    while (position < path.length() && step.find(position) && step.start() == position) {
      node = node.path(step.group(1));
      if (step.group(2) != null) {
        node = firstMatching(node, step.group(3), step.group(4));
      }
      position = step.end();
    }
    return position == path.length() ? node : root.path("\0unsupported");
  }

  private static JsonNode firstMatching(JsonNode array, String field, String value) {
    for (JsonNode item : array) {
      if (value.equals(item.path(field).asText(null))) {
        return item;
      }
    }
    return array.path("\0none");
  }
}
