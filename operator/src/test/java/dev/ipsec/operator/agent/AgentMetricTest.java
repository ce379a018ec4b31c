package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Registering each {@link AgentMetric} under its {@link AgentMetric#meterName()} really yields its
 * {@link AgentMetric#prometheusName()} on /metrics, with its labels: the agent can register from
 * this list and the dashboard can trust it.
 */
class AgentMetricTest {

  @Test
  void meterNamesBecomeThePrometheusNamesWithTheirLabels() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (AgentMetric metric : AgentMetric.values()) {
      String[] tags =
          metric.labels().stream().flatMap(l -> Stream.of(l, "x")).toArray(String[]::new);
      switch (metric.type()) {
        case COUNTER ->
            Counter.builder(metric.meterName())
                .description(metric.help())
                .tags(tags)
                .register(registry)
                .increment();
        case GAUGE ->
            Gauge.builder(metric.meterName(), () -> 1)
                .description(metric.help())
                .tags(tags)
                .register(registry);
      }
    }
    String scrape = registry.scrape();

    for (AgentMetric metric : AgentMetric.values()) {
      // the exposition lists labels in alphabetical order
      String labels =
          metric.labels().stream().sorted().map(l -> l + "=\"x\"").collect(Collectors.joining(","));
      String series =
          labels.isEmpty()
              ? metric.prometheusName() + " "
              : metric.prometheusName() + "{" + labels + "}";
      assertThat(scrape).as(metric.name()).contains(series);
      assertThat(scrape)
          .contains("# TYPE " + metric.prometheusName() + " " + metric.type().name().toLowerCase());
    }
  }

  @Test
  void namesArePrefixedUniqueAndCountersEndInTotal() {
    assertThat(Arrays.stream(AgentMetric.values()).map(AgentMetric::prometheusName))
        .doesNotHaveDuplicates()
        .allMatch(name -> name.matches("ipsec_agent_[a-z_]+"));
    assertThat(AgentMetric.values())
        .allSatisfy(
            metric ->
                assertThat(metric.prometheusName().endsWith("_total"))
                    .as(metric.name())
                    .isEqualTo(metric.type() == AgentMetric.Type.COUNTER));
    assertThat(AgentMetric.values())
        .allSatisfy(
            metric ->
                assertThat(metric.labels())
                    .as("bounded labels only")
                    .isSubsetOf(
                        "connection",
                        "child",
                        "direction",
                        "kind",
                        "command",
                        "file",
                        "version",
                        "java_version"));
  }
}
