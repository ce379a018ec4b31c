package dev.ipsec.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad arguments are refused with a message naming the option, before anything starts. */
class AgentCommandTest {

  @TempDir Path dir;

  private static String run(int expectedExit, String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main()).setErr(new PrintWriter(err));
    assertThat(cli.execute(args)).isEqualTo(expectedExit);
    return err.toString();
  }

  @Test
  void refusesAMissingConfigDirectory() {
    assertThat(run(2, "agent", "--config-dir", dir.resolve("missing").toString()))
        .contains("--config-dir")
        .contains("not a directory");
    assertThat(run(2, "agent")).contains("--config-dir");
  }

  @Test
  void refusesBadViciListenAndDurations() {
    assertThat(run(2, "agent", "--config-dir", dir.toString(), "--vici", "tcp://127.0.0.1:4502"))
        .contains("--vici");
    assertThat(run(2, "agent", "--config-dir", dir.toString(), "--listen", "nope"))
        .contains("--listen");
    assertThat(run(2, "agent", "--config-dir", dir.toString(), "--debounce", "soon"))
        .contains("--debounce");
    assertThat(run(2, "agent", "--config-dir", dir.toString(), "--settle-time", "a while"))
        .contains("--settle-time");
  }

  @Test
  void servesStateOnlyOnLoopbackWithoutTls() {
    assertThat(run(2, "agent", "--config-dir", dir.toString(), "--listen", "0.0.0.0:9460"))
        .contains("--listen")
        .contains("only on a loopback address");
  }

  @Test
  void wantsAllThreeTlsFilesOrNone() {
    assertThat(
            run(
                2,
                "agent",
                "--config-dir",
                dir.toString(),
                "--tls-cert",
                dir.resolve("tls.crt").toString()))
        .contains("--tls-cert, --tls-key and --client-ca go together");
    assertThat(
            run(
                2,
                "agent",
                "--config-dir",
                dir.toString(),
                "--tls-cert",
                dir.resolve("tls.crt").toString(),
                "--tls-key",
                dir.resolve("tls.key").toString(),
                "--client-ca",
                dir.resolve("ca.crt").toString()))
        .contains("is not a readable file");
  }
}
