package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

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
}
