package dev.ipsec.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.cli.RenderAndValidateCommandTest.Run;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --version} of the command and of every sub-command prints the project version. */
class VersionOptionTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"--version", "-V", "run --version", "agent --version", "validate -V"})
  void printsTheProjectVersion(String args) {
    Run r = RenderAndValidateCommandTest.run(args.split(" "));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo("ipsec-operator " + System.getProperty("project.version") + "\n")
        .doesNotContain("development");
    assertThat(r.err()).isEmpty();
  }
}
