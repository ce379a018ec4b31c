package dev.ipsec.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.ProjectFiles;
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
  void demoChecksTheExamplesAndSucceeds() {
    int exit = run("demo", "--once", "--examples", ProjectFiles.root().resolve("examples").toString());
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("site-to-site", "IpsecPeer", "site-b", "valid")
        .contains(" 0 invalid.")
        .contains("What gateway site-a would load", "connections {", "site-b {",
            "198.51.100.0/25")
        .doesNotContain("demo-secret-change-me");
  }
}
