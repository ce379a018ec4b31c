package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ipsec.operator.api.ProjectFiles;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json makes Helm refuse a wrong value before anything reaches the cluster. */
class ChartSchemaTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          misspelt top-level key         | replica: 2                                        | replica
          replicas not a number          | replicas: two                                     | replicas
          negative replicas              | replicas: -1                                      | replicas
          lease duration as a string     | leaderElection: {leaseDurationSeconds: 15s}       | leaseDurationSeconds
          retry period of zero           | leaderElection: {retryPeriodSeconds: 0}           | retryPeriodSeconds
          misspelt lease key             | leaderElection: {leaseDuration: 15}               | leaseDuration
          floating image tag             | image: {tag: latest}                              | tag
          image without tag or digest    | image: {tag: ""}                                  | image
          malformed digest               | image: {digest: "sha256:abc"}                     | digest
          unknown pull policy            | image: {pullPolicy: Sometimes}                    | pullPolicy
          unknown image key              | gateway: {image: {repo: x}}                       | repo
          agent port out of range        | agent: {port: 70000}                              | port
          invalid namespace name         | watchNamespaces: [Site_A]                         | watchNamespaces
          namespaces not a list          | watchNamespaces: site-a                           | watchNamespaces
          boolean as string              | serviceMonitor: {enabled: "yes"}                  | enabled
          misspelt nested key            | networkPolicy: {enable: true}                     | enable
          bad scrape interval            | serviceMonitor: {interval: 30}                    | interval
          bad memory quantity            | resources: {limits: {memory: lots}}               | memory
          unknown resource               | resources: {limits: {gpu: 1}}                     | gpu
          metrics service type           | metrics: {service: {type: ExternalName}}          | type
          label values must be strings   | grafanaDashboard: {labels: {grafana_dashboard: 1}} | grafana_dashboard
          policy prefix without slash    | gatewayPolicy: {imagePrefixes: [registry.example.org]} | imagePrefixes
          policy prefix climbing out     | gatewayPolicy: {imagePrefixes: [r.example.org/a/../]} | imagePrefixes
          policy image with a space      | gatewayPolicy: {gatewayImages: ["a:1 --x"]}       | gatewayImages
          policy switch as string        | gatewayPolicy: {hostNetwork: {allowed: "yes"}}    | allowed
          policy namespace name          | gatewayPolicy: {tolerations: {allowed: true, namespaces: [Edge]}} | namespaces
          misspelt policy key            | gatewayPolicy: {hostnetwork: {allowed: true}}     | hostnetwork
          policy priority class name     | gatewayPolicy: {priorityClasses: [High]}          | priorityClasses
          gateway pull secret as string  | gateway: {imagePullSecrets: [regcred]}            | imagePullSecrets
          gateway pull secret name       | gateway: {imagePullSecrets: [{name: "a b"}]}      | name
          gateway priority class name    | gateway: {priorityClassName: "Critical!"}         | priorityClassName
          gateway spread without key     | gateway: {topologySpreadConstraints: [{maxSkew: 1, whenUnsatisfiable: DoNotSchedule}]} | topologyKey
          gateway node selector value    | gateway: {nodeSelector: {pool: 1}}                | pool
          misspelt gateway key           | gateway: {afinity: {}}                            | afinity
          unknown log level              | logging: {level: verbose}                         | level
          unknown log format             | logging: {format: xml}                            | format
          extra argument not a flag      | extraArgs: [foo]                                  | extraArgs
          extra env without a name       | extraEnv: [{value: x}]                            | name
          both disruption budget bounds  | podDisruptionBudget: {enabled: true, minAvailable: 1, maxUnavailable: 1} | podDisruptionBudget
          disruption budget percentage   | podDisruptionBudget: {maxUnavailable: half}       | maxUnavailable
          bad scrape timeout             | serviceMonitor: {scrapeTimeout: 10}               | scrapeTimeout
          alert rule without expression  | prometheusRule: {additionalRules: [{alert: X}]}   | expr
          certificate warning days       | prometheusRule: {certificateExpiryDays: 0}        | certificateExpiryDays
          """)
  void rejectsAWrongValueNamingIt(String description, String values, String field) {
    assertThatThrownBy(() -> HelmChart.template(values))
        .as(description)
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(field);
  }

  @Test
  void acceptsTheDefaultsAndATypicalProductionSet() {
    assertThat(HelmChart.template("")).contains("kind: Deployment");
    assertThat(
            HelmChart.template(
                """
                replicas: 2
                image: {tag: "", digest: "sha256:%s"}
                watchNamespaces: [ipsec]
                resources: {requests: {cpu: 0.5, memory: 1Gi}, limits: {cpu: 2, memory: 2Gi}}
                """
                    .formatted("0".repeat(64))))
        .contains("--leader-election");
  }

  /** Every key that values.yaml documents is described by the schema (no key escapes checking). */
  @Test
  void everyDocumentedKeyIsInTheSchema() throws IOException {
    JsonNode values = ProjectFiles.readYaml(HelmChart.file("values.yaml"));
    JsonNode schema =
        Serialization.jsonMapper().readTree(HelmChart.file("values.schema.json").toFile());
    List<String> missing = new ArrayList<>();
    collectMissing(values, schema, schema, "", missing);
    assertThat(missing).isEmpty();
    assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
  }

  private static void collectMissing(
      JsonNode values, JsonNode schemaNode, JsonNode root, String path, List<String> missing) {
    JsonNode resolved = resolve(schemaNode, root);
    if (!values.isObject() || !resolved.has("properties")) {
      return; // free-form maps (labels, affinity) are typed by additionalProperties instead
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode property = resolved.path("properties").path(entry.getKey());
      if (property.isMissingNode()) {
        missing.add(path + entry.getKey());
      } else {
        collectMissing(entry.getValue(), property, root, path + entry.getKey() + ".", missing);
      }
    }
  }

  /**
   * Follows {@code $ref} and a single {@code allOf} wrapper, the only indirections the schema uses.
   */
  private static JsonNode resolve(JsonNode node, JsonNode root) {
    if (node.has("$ref")) {
      return resolve(root.at(node.get("$ref").asText().substring(1)), root);
    }
    if (node.has("allOf") && !node.has("properties")) {
      return resolve(node.get("allOf").get(0), root);
    }
    return node;
  }
}
