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
    assertThat(out.toString()).contains("run", "agent", "render", "validate");
    // the demo and its mock API server live in their own jar (demo/, bin/demo)
    assertThat(out.toString()).doesNotContain("demo");
  }
}
