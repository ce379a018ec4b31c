package dev.ipsec.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.render.GatewayRenderer;
import dev.ipsec.operator.render.RenderedGateway;
import dev.ipsec.operator.testing.AgentAcceptance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every gateway of every example under {@code examples/}, rendered as {@code ipsec-operator render}
 * renders it, is taken whole by the agent: each connection and secret passes its list of rendered
 * keys (see {@code render.RenderedKeysTest} for every option).
 */
class ExamplesInTheAgentTest {

  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.walk(RenderAndValidateCommandTest.EXAMPLES)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .map(Path::getParent)
          .distinct()
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyGatewayOfTheExampleLoadsWholeInTheAgent(Path example) {
    ResourceFiles.Loaded loaded = new ResourceFiles().load(List.of(example));
    assertThat(loaded.errors()).isEmpty();
    GatewayInputs inputs =
        new GatewayInputs(
            loaded.documents().stream().map(ResourceFiles.Document::resource).toList());
    assertThat(inputs.gateways()).as("gateways of " + example).isNotEmpty();
    for (IpsecGlobal gateway : inputs.gateways()) {
      RenderedGateway rendered = new GatewayRenderer().render(inputs.inputFor(gateway));
      assertThat(rendered.peerErrors()).isEmpty();
      assertThat(rendered.connections()).isNotEmpty();
      AgentAcceptance.assertAgentTakesAll(
          example.getFileName() + "/" + gateway.getMetadata().getName(), rendered);
    }
  }
}
