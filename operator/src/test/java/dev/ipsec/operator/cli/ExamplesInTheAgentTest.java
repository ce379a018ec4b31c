package dev.ipsec.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.swanctl.ConfigDirectory;
import dev.ipsec.operator.agent.swanctl.DesiredConfig;
import dev.ipsec.operator.agent.volume.ManifestVerifier;
import dev.ipsec.operator.agent.volume.VolumeCheck;
import dev.ipsec.operator.api.OutOfBandSecrets;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.render.GatewayRenderer;
import dev.ipsec.operator.render.RenderedGateway;
import dev.ipsec.operator.testing.AgentAcceptance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every gateway of every example under {@code examples/} reaches the agent whole: the volume that
 * {@code ipsec-operator render --volume-dir} writes, byte for byte what the operator stores, and
 * the nested directory of {@code render --out} are each a complete revision for the agent's
 * verifier with no file left unlisted, and the agent reads every rendered connection from them
 * without an error (each key passes its list of rendered keys; see {@code render.RenderedKeysTest}
 * for every option).
 */
class ExamplesInTheAgentTest {

  @TempDir Path tmp;

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
  void everyGatewayOfTheExampleReachesTheAgentWhole(Path example) throws IOException {
    // the keys the example's README creates out of band, as the user would
    Path secrets = tmp.resolve("out-of-band-secrets.yaml");
    Files.writeString(
        secrets,
        OutOfBandSecrets.of(example).stream()
            .map(s -> s.yaml("a-key-created-out-of-band"))
            .collect(Collectors.joining("---\n")));
    List<Path> files = List.of(example, secrets);
    ResourceFiles.Loaded loaded = new ResourceFiles(InputStream.nullInputStream()).load(files);
    assertThat(loaded.errors()).isEmpty();
    assertThat(loaded.documents()).allSatisfy(d -> assertThat(d.bindingProblems()).isEmpty());
    GatewayInputs inputs =
        new GatewayInputs(
            loaded.documents().stream().map(ResourceFiles.Document::resource).toList());
    assertThat(inputs.gateways()).as("gateways of " + example).isNotEmpty();
    for (IpsecGlobal gateway : inputs.gateways()) {
      String name = gateway.getMetadata().getName();
      String what = example.getFileName() + "/" + name;
      RenderedGateway rendered = new GatewayRenderer().render(inputs.inputFor(gateway));
      assertThat(rendered.peerErrors()).isEmpty();
      assertThat(rendered.connections()).isNotEmpty();
      AgentAcceptance.assertAgentTakesAll(what, rendered);

      // two examples may hold gateways of the same name (in other namespaces)
      Path flat = Files.createTempDirectory(tmp, name).resolve("volume");
      render(files, name, "--volume-dir", flat);
      assertAgentTakesWhole(what + " --volume-dir", rendered, flat);
      Path out = Files.createTempDirectory(tmp, name).resolve("out");
      render(files, name, "--out", out);
      assertAgentTakesWhole(what + " --out", rendered, out.resolve("swanctl"));
    }
  }

  /** {@code ipsec-operator render -f <file> ... --gateway <name> <option> <dir>}. */
  private static void render(List<Path> files, String name, String option, Path dir) {
    List<String> args = new ArrayList<>(List.of("render"));
    files.forEach(f -> args.addAll(List.of("-f", f.toString())));
    args.addAll(List.of("--gateway", name, option, dir.toString()));
    RenderAndValidateCommandTest.Run r =
        RenderAndValidateCommandTest.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  private static void assertAgentTakesWhole(String what, RenderedGateway rendered, Path volume)
      throws IOException {
    VolumeCheck check = new ManifestVerifier(volume).check();
    assertThat(check.problem()).as("check of %s", what).isNull();
    assertThat(check.unlistedFiles()).as("unlisted files of %s", what).isEmpty();
    DesiredConfig config = new ConfigDirectory(volume).read(check.view());
    assertThat(config.connectionErrors()).as("connection errors of %s", what).isEmpty();
    assertThat(config.secretErrors()).as("secret errors of %s", what).isEmpty();
    assertThat(config.fileErrors()).as("file errors of %s", what).isEmpty();
    assertThat(config.connections()).hasSameSizeAs(rendered.connections());
    assertThat(config.revision()).isEqualTo(check.revision());
  }
}
