package dev.ipsec.operator.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = new CommandLine(new DemoCommand());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void helpSaysWhatItRunsAndHowToStopIt() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--once",
            "--chaos",
            "SIGKILL",
            "--timeout",
            "--manifests",
            "--name-prefix",
            "203.0.113.0/24",
            "Ctrl-C",
            "root");
  }

  @Test
  void refusesAMissingExampleDirectoryBeforeStartingAnything() {
    // (the demo itself runs end to end in e2e's DemoCommandE2eTest)
    int exit = run("--once", "-f", "/nonexistent/examples");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("no example directory at /nonexistent/examples");
  }
}
