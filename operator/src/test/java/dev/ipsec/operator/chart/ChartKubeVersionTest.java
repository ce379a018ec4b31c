package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import dev.ipsec.operator.api.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's {@code kubeVersion} is the oldest Kubernetes whose API server understands every
 * schema feature the CRDs use: derived from the CRDs, so a newer feature cannot slip in without the
 * floor moving with it.
 */
class ChartKubeVersionTest {

  /** Schema features and the Kubernetes minor that first serves them by default. */
  private static final Map<String, Integer> SINCE =
      Map.of(
          "x-kubernetes-validations", 25, // CustomResourceValidationExpressions beta, on
          "messageExpression", 27,
          "reason", 28,
          "fieldPath", 28,
          "optionalOldSelf", 30);

  @Test
  void kubeVersionIsTheFloorOfTheFeaturesTheCrdsUse() throws IOException {
    int floor = 16; // apiextensions.k8s.io/v1
    List<String> used = new ArrayList<>();
    for (ProjectFiles.Document crd :
        ProjectFiles.yamlDocuments(HelmChart.directory().resolve("crds"))) {
      for (JsonNode rule : rules(crd.node())) {
        for (Map.Entry<String, Integer> feature : SINCE.entrySet()) {
          if (feature.getKey().equals("x-kubernetes-validations") || rule.has(feature.getKey())) {
            used.add(feature.getKey());
            floor = Math.max(floor, feature.getValue());
          }
        }
      }
    }

    Matcher declared =
        Pattern.compile("(?m)^kubeVersion: \">=1\\.(\\d+)\\.0-0\"$")
            .matcher(Files.readString(HelmChart.file("Chart.yaml")));
    assertThat(declared.find()).as("kubeVersion: \">=1.N.0-0\" in Chart.yaml").isTrue();
    assertThat(Integer.parseInt(declared.group(1)))
        .as("the floor of %s", used.stream().distinct().toList())
        .isEqualTo(floor);
  }

  @Test
  void helmRefusesAClusterBelowTheFloorAndRendersForOneAtIt() {
    assertThatThrownBy(() -> template("v1.27.9"))
        .hasMessageContaining("chart requires kubeVersion: >=1.28.0-0")
        .hasMessageContaining("v1.27.9");
    assertThat(template("v1.28.0")).contains("kind: Deployment");
  }

  private static String template(String kubeVersion) {
    return new Helm(HelmChart.directory())
        .template()
        .withName(HelmChart.RELEASE)
        .withKubeVersion(kubeVersion)
        .call();
  }

  /** Every CEL rule anywhere in a CRD. */
  private static List<JsonNode> rules(JsonNode node) {
    List<JsonNode> found = new ArrayList<>();
    collect(node, found);
    return found;
  }

  private static void collect(JsonNode node, List<JsonNode> found) {
    if (node.isObject()) {
      JsonNode rules = node.get("x-kubernetes-validations");
      if (rules != null) {
        rules.forEach(found::add);
      }
      node.forEach(child -> collect(child, found));
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, found));
    }
  }
}
