package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.AgentMetric;
import dev.ipsec.operator.api.ProjectFiles;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's PrometheusRule: Prometheus' own promtool accepts its rules, and its unit tests
 * ({@code prometheus/alerts-test.yaml}: series in, alerts with their rendered labels and
 * annotations out) pass against the rules as Helm renders them. The rules query only metrics the
 * agents export.
 */
class PrometheusRuleTest {
  private static final String ENABLED = "prometheusRule:\n  enabled: true\n";

  @TempDir Path work;

  @Test
  void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
    Path rules = writeRules(ENABLED);

    assertThat(promtool("check", "rules", rules.toString())).startsWith("0:");

    Path tests = work.resolve("alerts-test.yaml");
    try (InputStream in = getClass().getResourceAsStream("/prometheus/alerts-test.yaml")) {
      Files.copy(in, tests);
    }
    String result = promtool("test", "rules", tests.toString());
    assertThat(result).as(result).startsWith("0:").contains("SUCCESS");
  }

  @Test
  void everyAlertQueriesOnlyMetricsTheAgentExports() {
    Set<String> exported =
        Arrays.stream(AgentMetric.values())
            .map(AgentMetric::prometheusName)
            .collect(Collectors.toSet());

    for (Map<String, Object> rule : rules(ENABLED)) {
      Set<String> queried = PromQl.metricNames((String) rule.get("expr"));
      queried.remove("up"); // Prometheus' own scrape health of the gateway PodMonitor
      queried.remove("time");
      assertThat(exported).as("metrics of %s", rule.get("alert")).containsAll(queried);
    }
  }

  @Test
  void coversTheFailuresOperatorsPageOn() {
    assertThat(rules(ENABLED))
        .extracting(rule -> rule.get("alert"))
        .containsExactly(
            "IpsecTunnelDown",
            "IpsecPeerDown",
            "IpsecDeadPeerDetectionStorm",
            "IpsecRekeyFailing",
            "IpsecConfigRejected",
            "IpsecAgentUnreachable",
            "IpsecCharonDown",
            "IpsecCertificateExpiring");
  }

  @Test
  void alertsCanBeLeftOutAndRulesAdded() {
    List<Map<String, Object>> rules =
        rules(
            ENABLED
                + "  disabledAlerts: [IpsecCertificateExpiring, IpsecDeadPeerDetectionStorm]\n"
                + "  additionalRules:\n"
                + "    - alert: MyGatewayAlert\n"
                + "      expr: ipsec_agent_connections_loaded == 0\n");

    assertThat(rules)
        .extracting(rule -> rule.get("alert"))
        .doesNotContain("IpsecCertificateExpiring", "IpsecDeadPeerDetectionStorm")
        .contains("IpsecTunnelDown", "MyGatewayAlert");
  }

  @Test
  void notRenderedUnlessEnabled() {
    assertThat(HelmChart.render("").ofKind("PrometheusRule")).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules(String values) {
    Map<String, Object> group = groups(values).get(0);
    return (List<Map<String, Object>>) group.get("rules");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> groups(String values) {
    List<HasMetadata> found = HelmChart.render(values).ofKind("PrometheusRule");
    assertThat(found).hasSize(1);
    GenericKubernetesResource rule = (GenericKubernetesResource) found.get(0);
    Map<String, Object> spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
    return (List<Map<String, Object>>) spec.get("groups");
  }

  /** The rendered rule's spec as a Prometheus rule file, where the unit tests expect it. */
  private Path writeRules(String values) throws IOException {
    return Files.writeString(
        work.resolve("rules.yaml"), Serialization.asYaml(Map.of("groups", groups(values))));
  }

  /** Runs promtool (installed by bin/setup); returns "exit code: output". */
  private String promtool(String... args) throws Exception {
    Path promtool = ProjectFiles.root().resolve(".tools/bin/promtool");
    assertThat(promtool)
        .as("promtool, installed by bin/setup (bin/install-promtool)")
        .isExecutable();
    List<String> command =
        java.util.stream.Stream.concat(
                Arrays.stream(new String[] {promtool.toString()}), Arrays.stream(args))
            .toList();
    Process process =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    return process.exitValue() + ": " + output;
  }
}
