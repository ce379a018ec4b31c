package dev.ipsec.operator.chart;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (as Grafana stores it) selects. Enough of PromQL for
 * dashboards: string literals, label matchers, grouping clauses, range and offset durations and
 * Grafana variables are removed; every identifier left that is not a function call or a keyword
 * names a metric.
 */
final class PromQl {
  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((?:([a-zA-Z_:][\\w:]*)\\s*,)?\\s*\\w+\\s*\\)\\s*$");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w.])([a-zA-Z_:][\\w:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan");

  private PromQl() {}

  static Set<String> metricNames(String expression) {
    Set<String> names = new LinkedHashSet<>();
    String withoutSelectors =
        STRING.matcher(MATCHERS.matcher(expression).replaceAll(" ")).replaceAll(" ");
    Matcher labelValues = LABEL_VALUES.matcher(withoutSelectors);
    if (labelValues.matches()) { // Grafana's variable query, not PromQL
      if (labelValues.group(1) != null) {
        names.add(labelValues.group(1));
      }
      return names;
    }
    String bare =
        VARIABLE
            .matcher(
                RANGE.matcher(GROUPING.matcher(withoutSelectors).replaceAll(" ")).replaceAll(" "))
            .replaceAll(" ");
    Matcher identifiers = IDENTIFIER.matcher(bare);
    while (identifiers.find()) {
      boolean functionCall = identifiers.group(2) != null;
      String name = identifiers.group(1);
      if (!functionCall && !KEYWORDS.contains(name.toLowerCase())) {
        names.add(name);
      }
    }
    return names;
  }
}
