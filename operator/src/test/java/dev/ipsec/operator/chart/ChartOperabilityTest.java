package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The knobs a platform team turns when it runs the chart: logging, extra environment and arguments,
 * disruption budget and topology spread for the operator, scrape settings, and use as a dependency
 * of an umbrella chart.
 */
class ChartOperabilityTest {

  @Test
  void loggingLevelAndFormatReachTheOperatorsEnvironment() {
    Container operator = container(HelmChart.render("logging: {level: debug, format: json}"));

    assertThat(operator.getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(
            tuple("IPSEC_OPERATOR_LOG_LEVEL", "debug"), tuple("IPSEC_OPERATOR_LOG_FORMAT", "json"));
    assertThat(container(HelmChart.render("")).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(
            tuple("IPSEC_OPERATOR_LOG_LEVEL", "info"), tuple("IPSEC_OPERATOR_LOG_FORMAT", "text"));
  }

  @Test
  void extraEnvAndArgsAreAppendedAfterTheChartsOwn() {
    Container operator =
        container(
            HelmChart.render(
                """
                extraEnv:
                  - {name: HTTPS_PROXY, value: "http://proxy.example.org:3128"}
                  - name: FROM_SECRET
                    valueFrom: {secretKeyRef: {name: operator-extra, key: token}}
                extraArgs: ["--max-agent-state-bytes=2097152"]
                """));

    assertThat(operator.getArgs()).endsWith("--max-agent-state-bytes=2097152").startsWith("run");
    List<EnvVar> env = operator.getEnv();
    assertThat(env.get(env.size() - 2).getValue()).isEqualTo("http://proxy.example.org:3128");
    assertThat(env.get(env.size() - 1).getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("token");
  }

  @Test
  void disruptionBudgetSelectsTheOperatorPodsWithOneBound() {
    Rendered rendered =
        HelmChart.render("replicas: 2\npodDisruptionBudget: {enabled: true, maxUnavailable: 1}");
    PodDisruptionBudget budget = rendered.one(PodDisruptionBudget.class);
    Deployment deployment = rendered.one(Deployment.class);

    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getMinAvailable()).isNull();

    PodDisruptionBudget byMinimum =
        HelmChart.render(
                "podDisruptionBudget: {enabled: true, minAvailable: 50%, maxUnavailable: null}")
            .one(PodDisruptionBudget.class);
    assertThat(byMinimum.getSpec().getMinAvailable().getStrVal()).isEqualTo("50%");
    assertThat(byMinimum.getSpec().getMaxUnavailable()).isNull();

    assertThat(HelmChart.render("").all(PodDisruptionBudget.class)).isEmpty();
  }

  @Test
  void topologySpreadReachesThePodSpec() {
    Deployment deployment =
        HelmChart.render(
                """
                topologySpreadConstraints:
                  - maxSkew: 1
                    topologyKey: topology.kubernetes.io/zone
                    whenUnsatisfiable: ScheduleAnyway
                    labelSelector: {matchLabels: {app.kubernetes.io/name: ipsec-operator}}
                """)
            .one(Deployment.class);

    assertThat(deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
        .singleElement()
        .satisfies(c -> assertThat(c.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
  }

  @Test
  void scrapeTimeoutAndRelabelingsApplyToBothMonitors() {
    Rendered rendered =
        HelmChart.render(
            """
            serviceMonitor:
              enabled: true
              scrapeTimeout: 10s
              relabelings: [{sourceLabels: [__meta_kubernetes_pod_node_name], targetLabel: node}]
              metricRelabelings: [{action: drop, regex: jvm_.*, sourceLabels: [__name__]}]
            """);

    for (String kind : List.of("ServiceMonitor", "PodMonitor")) {
      GenericKubernetesResource monitor = (GenericKubernetesResource) rendered.ofKind(kind).get(0);
      String endpoints = kind.equals("ServiceMonitor") ? "endpoints" : "podMetricsEndpoints";
      assertThat(monitor.<String>get("spec", endpoints, 0, "scrapeTimeout")).isEqualTo("10s");
      List<Map<String, Object>> relabelings = monitor.get("spec", endpoints, 0, "relabelings");
      assertThat(relabelings)
          .as(kind)
          .last()
          .satisfies(r -> assertThat(r).containsEntry("targetLabel", "node"));
      assertThat(monitor.<String>get("spec", endpoints, 0, "metricRelabelings", 0, "action"))
          .as(kind)
          .isEqualTo("drop");
    }
  }

  /**
   * An umbrella chart that depends on this one and sets Helm's {@code global} values renders:
   * before, the schema refused {@code global} as an unknown key.
   */
  @Test
  void rendersAsADependencyOfAnUmbrellaChartWithGlobalValues(@TempDir Path umbrella)
      throws IOException {
    Files.writeString(
        umbrella.resolve("Chart.yaml"),
        """
        apiVersion: v2
        name: platform
        version: 1.0.0
        dependencies:
          - name: ipsec-operator
            version: "*"
            repository: "file://%s"
        """
            .formatted(HelmChart.directory()));
    Files.writeString(
        umbrella.resolve("values.yaml"),
        """
        global:
          imageRegistry: registry.example.org
          storageClass: fast
        ipsec-operator:
          replicas: 2
        """);

    String manifest =
        new Helm(umbrella)
            .template()
            .withName("platform")
            .withNamespace("platform")
            .withKubeVersion(HelmChart.KUBE_VERSION)
            .dependencyUpdate()
            .call();

    Deployment deployment = HelmChart.parse(manifest).one(Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
  }

  private static Container container(Rendered rendered) {
    return rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
  }
}
