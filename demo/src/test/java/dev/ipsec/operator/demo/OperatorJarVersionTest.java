package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shaded operator jar, as the image and {@code bin/ipsec-operator} run it, knows its version:
 * {@code java -jar ipsec-operator.jar --version} prints the project version, not "development
 * build". Reads the jar the reactor packaged before this module's tests ({@code mvn verify}).
 */
class OperatorJarVersionTest {

  private static final Path JAR =
      Path.of(System.getProperty("project.root", ".."))
          .resolve("operator/target/ipsec-operator.jar");

  @Test
  void theJarPrintsTheProjectVersion() throws IOException, InterruptedException {
    assertThat(JAR)
        .as("the shaded operator jar; build it first: mvn -pl operator package")
        .isRegularFile();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(java, "-jar", JAR.toString(), "--version")
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("java -jar ... --version ends").isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output)
        .isEqualTo("ipsec-operator " + System.getProperty("project.version") + "\n")
        .doesNotContain("development");
  }
}
