package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.ipsec.operator.api.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's Helm installation is two commands, and both point at things that exist. */
class ChartReadmeTest {
  private static final Pattern SECTION =
      Pattern.compile("(?s)## Install with Helm\\n\\n```sh\\n(.*?)\\n```");

  @Test
  void installIsTwoCommandsOnRealPaths() throws IOException {
    Path root = ProjectFiles.root();
    Matcher section = SECTION.matcher(Files.readString(root.resolve("README.md")));
    assertThat(section.find()).as("an 'Install with Helm' section with a sh block").isTrue();
    List<String> commands = section.group(1).lines().toList();

    assertThat(commands).hasSize(2);
    String[] helm = commands.get(0).split("\\s+");
    assertThat(helm[0] + " " + helm[1]).isEqualTo("helm install");
    assertThat(root.resolve(helm[3]).resolve("Chart.yaml")).isRegularFile();
    String[] kubectl = commands.get(1).split("\\s+");
    assertThat(List.of(kubectl).subList(0, 3)).containsExactly("kubectl", "apply", "-f");
    assertThat(kubectl[3]).startsWith("examples/");
    assertThat(root.resolve(kubectl[3])).isDirectory();
  }

  /**
   * {@code helm show readme} has the chart's own README: every top-level value named, the upgrade
   * of the CRDs that Helm does not do, and the Kubernetes floor of Chart.yaml.
   */
  @Test
  void chartReadmeDocumentsEveryValueAndTheCrdUpgrade() throws IOException {
    String readme = new Helm(HelmChart.directory()).show().readme().call();
    List<String> topLevelValues =
        Files.readString(HelmChart.file("values.yaml"))
            .lines()
            .filter(line -> line.matches("[a-zA-Z]+:.*"))
            .map(line -> line.substring(0, line.indexOf(':')))
            .toList();

    assertThat(topLevelValues).contains("replicas", "prometheusRule", "logging");
    assertThat(readme).contains(topLevelValues.stream().map(v -> "`" + v + "`").toList());
    assertThat(readme)
        .contains("`helm upgrade` never updates")
        .contains("kubectl apply --server-side --force-conflicts -f charts/ipsec-operator/crds/")
        .contains("Kubernetes 1.28 or later");
    assertThat(Files.readString(HelmChart.file("Chart.yaml")))
        .contains("kubeVersion: \">=1.28.0-0\"");
  }

  /** Every alert of the PrometheusRule is explained in the chart's README. */
  @Test
  void chartReadmeExplainsEveryAlert() throws IOException {
    String readme = Files.readString(HelmChart.file("README.md"));
    String rules = Files.readString(HelmChart.file("templates/prometheusrule.yaml"));
    Matcher alert = Pattern.compile("- alert: (\\w+)").matcher(rules);
    int count = 0;
    while (alert.find()) {
      assertThat(readme).contains("| `" + alert.group(1) + "` |");
      count++;
    }
    assertThat(count).isEqualTo(8);
  }
}
