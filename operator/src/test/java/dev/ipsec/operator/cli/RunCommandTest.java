package dev.ipsec.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {

  @Test
  void helpListsTheFlagsTheReadmeDocuments() {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.execute("run", "--help")).isZero();
    } finally {
      System.setOut(saved);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "--kubeconfig",
            "--namespace",
            "--leader-election",
            "--replicas",
            "--lease-name",
            "--lease-namespace",
            "--identity",
            "--http-listen",
            "--gateway-image",
            "--agent-image",
            "--agent-port");
  }

  @Test
  void listenAddressMustHaveAPort() {
    assertThat(RunCommand.address("127.0.0.1:8081").getPort()).isEqualTo(8081);
    assertThatThrownBy(() -> RunCommand.address("localhost"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("HOST:PORT");
  }
}
