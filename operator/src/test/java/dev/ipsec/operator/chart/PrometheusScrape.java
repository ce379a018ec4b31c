package dev.ipsec.operator.chart;

import java.util.Set;
import java.util.TreeSet;

/** Reads a Prometheus text exposition. */
final class PrometheusScrape {

  private PrometheusScrape() {}

  /** Names of the sample lines (the series names PromQL selects), without comments. */
  static Set<String> metricNames(String exposition) {
    Set<String> names = new TreeSet<>();
    exposition
        .lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> line.split("[{ ]", 2)[0])
        .forEach(names::add);
    return names;
  }
}
