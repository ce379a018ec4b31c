package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ipsec.operator.agent.AgentMetric;
import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard only queries metrics that exist: the agent's (the {@link AgentMetric} list
 * the agent registers from) and the operator's (JOSDK's, as really scraped).
 */
class ChartDashboardTest {
  private static final Pattern GROUP_BY = Pattern.compile("by \\(([^)]*)\\)");

  @Test
  void everyQueriedMetricIsExportedByTheAgentOrTheOperator() throws IOException {
    Set<String> exported = new HashSet<>(OperatorMetricNames.exported());
    Arrays.stream(AgentMetric.values()).map(AgentMetric::prometheusName).forEach(exported::add);

    Set<String> queried = queriedMetrics(dashboard());

    assertThat(queried).isNotEmpty();
    assertThat(queried)
        .as("metrics the dashboard queries but nothing exports")
        .isSubsetOf(exported);
  }

  @Test
  void operatorMetricsAreReallyJosdkNames() {
    assertThat(OperatorMetricNames.exported())
        .contains(
            "operator_sdk_reconciliations_success_total",
            "operator_sdk_reconciliations_failed_total")
        .allMatch(name -> name.startsWith("operator_sdk_"));
  }

  @Test
  void showsPeersTunnelsDpdRekeysAndTrafficPerPeer() throws IOException {
    Set<String> queried = queriedMetrics(dashboard());

    assertThat(queried)
        .contains(
            AgentMetric.IKE_SA_UP.prometheusName(),
            AgentMetric.CHILD_SA_UP.prometheusName(),
            AgentMetric.DPD_PEER_DEAD.prometheusName(),
            AgentMetric.IKE_REKEYS.prometheusName(),
            AgentMetric.CHILD_REKEYS.prometheusName(),
            AgentMetric.CHILD_SA_BYTES.prometheusName());
    List<String> trafficQueries =
        expressions(dashboard()).stream()
            .filter(e -> e.contains(AgentMetric.CHILD_SA_BYTES.prometheusName()))
            .toList();
    assertThat(trafficQueries)
        .hasSize(2)
        .allMatch(e -> e.contains("by (cluster, namespace, connection)"), "per peer")
        .anyMatch(e -> e.contains("direction=\"in\""))
        .anyMatch(e -> e.contains("direction=\"out\""));
  }

  @Test
  void groupingLabelsAreLabelsOfTheAgentMetrics() throws IOException {
    Set<String> known =
        new TreeSet<>(List.of("cluster", "namespace", "pod", "instance", "job", "gateway"));
    Arrays.stream(AgentMetric.values()).flatMap(m -> m.labels().stream()).forEach(known::add);
    Set<String> grouped =
        expressions(dashboard()).stream()
            .flatMap(e -> GROUP_BY.matcher(e).results())
            .flatMap(m -> Arrays.stream(m.group(1).split(",")).map(String::trim))
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(grouped).isNotEmpty().isSubsetOf(known);
  }

  /**
   * One dashboard for many clusters and gateways: the variables narrow each other (cluster, then
   * namespace, then gateway, then peer), and every query of an agent metric honours all of them,
   * the operator's JOSDK metrics the cluster.
   */
  @Test
  void everyQueryFiltersByClusterAndGateway() throws IOException {
    List<String> variables = new ArrayList<>();
    dashboard()
        .path("templating")
        .path("list")
        .forEach(v -> variables.add(v.path("name").asText()));
    assertThat(variables).containsExactly("datasource", "cluster", "namespace", "gateway", "peer");

    for (String expression : expressions(dashboard())) {
      if (expression.startsWith("label_values(")) {
        continue;
      }
      assertThat(expression).as(expression).contains("cluster=~\"$cluster\"");
      if (expression.contains("ipsec_agent_")) {
        assertThat(expression)
            .as(expression)
            .contains("namespace=~\"$namespace\"", "gateway=~\"$gateway\"");
      }
    }
  }

  /**
   * The {@code gateway} label the dashboard filters on is the PodMonitor's copy of the label the
   * operator puts on every gateway pod, under the name Prometheus' Kubernetes discovery gives it.
   */
  @Test
  void thePodMonitorLabelsEachAgentWithItsGateway() {
    GenericKubernetesResource podMonitor =
        (GenericKubernetesResource)
            HelmChart.render("serviceMonitor: {enabled: true}").ofKind("PodMonitor").get(0);
    String discovered =
        "__meta_kubernetes_pod_label_" + Labels.GATEWAY.replaceAll("[^a-zA-Z0-9_]", "_");

    assertThat(Labels.podSelector("gw")).containsEntry(Labels.GATEWAY, "gw");
    assertThat(
            podMonitor.<List<String>>get(
                "spec", "podMetricsEndpoints", 0, "relabelings", 0, "sourceLabels"))
        .containsExactly(discovered);
    assertThat(
            podMonitor.<String>get(
                "spec", "podMetricsEndpoints", 0, "relabelings", 0, "targetLabel"))
        .isEqualTo("gateway");
  }

  @Test
  void panelsHaveUniqueIdsAndAQueryEach() throws IOException {
    JsonNode panels = dashboard().path("panels");
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : panels) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique id %s", panel.path("id")).isTrue();
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
    }
    assertThat(dashboard().path("uid").asText()).isNotBlank();
  }

  @Test
  void theMetricNameParserFindsMetricsOnly() {
    assertThat(
            PromQl.metricNames(
                "sum by (namespace, connection) (rate(foo_total{namespace=~\"$namespace\","
                    + " x=\"a{b}\"}[$__rate_interval])) or on (pod) vector(0) + bar offset 5m"))
        .containsExactly("foo_total", "bar");
    assertThat(PromQl.metricNames("count(up == 0) or vector(0)")).containsExactly("up");
    assertThat(PromQl.metricNames("label_values(baz{a=\"b\"}, connection)")).containsExactly("baz");
  }

  private static Set<String> queriedMetrics(JsonNode dashboard) {
    return expressions(dashboard).stream()
        .flatMap(e -> PromQl.metricNames(e).stream())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Panel targets' expressions and the template variables' queries. */
  private static List<String> expressions(JsonNode dashboard) {
    List<String> expressions = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(
            panel ->
                panel
                    .path("targets")
                    .forEach(target -> expressions.add(target.path("expr").asText())));
    dashboard
        .path("templating")
        .path("list")
        .forEach(
            variable -> {
              JsonNode query = variable.path("query");
              String text = query.isObject() ? query.path("query").asText() : query.asText();
              if (variable.path("type").asText().equals("query")) {
                expressions.add(text);
              }
            });
    return expressions;
  }

  private static JsonNode dashboard() throws IOException {
    return Serialization.jsonMapper()
        .readTree(HelmChart.file("files/dashboards/ipsec-overview.json").toFile());
  }
}
