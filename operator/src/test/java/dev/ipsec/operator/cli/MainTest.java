package dev.ipsec.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void helpListsEverySubCommand() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("run", "agent", "render", "validate", "demo");
  }

  @Test
  void demoHelpSaysWhatItRunsAndHowToStopIt() {
    assertThat(run("demo", "--help")).isZero();
    assertThat(out.toString()).contains("--once", "--timeout", "--manifests", "--name-prefix",
        "203.0.113.0/24", "Ctrl-C", "root");
  }

  @Test
  void demoRefusesAMissingExampleDirectoryBeforeStartingAnything() {
    // (the demo itself runs end to end in e2e's DemoCommandE2eTest)
    int exit = run("demo", "--once", "-f", "/nonexistent/examples");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("no example directory at /nonexistent/examples");
  }
}
