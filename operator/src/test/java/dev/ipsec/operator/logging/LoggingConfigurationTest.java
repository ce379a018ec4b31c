package dev.ipsec.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The jar's log4j2.xml as the chart's {@code logging} values drive it, through the environment of a
 * fresh JVM (log4j reads it once, at start): the level of our loggers, and text or JSON lines on
 * stderr, with the reconciled resource from the MDC.
 */
class LoggingConfigurationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the child JVM logs: one info and one debug line, with a resource in the MDC. */
  public static final class LogTwoLines {
    public static void main(String[] args) {
      Logger log = LoggerFactory.getLogger("dev.ipsec.operator.reconcile.IpsecPeerReconciler");
      MDC.put("resource.namespace", "vpn");
      MDC.put("resource.name", "site-b");
      log.info("peer rendered");
      log.debug("details");
    }
  }

  @Test
  void textByDefaultAtInfo() throws Exception {
    List<String> lines = run(Map.of());

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\S+ INFO  \\[main] IpsecPeerReconciler \\[vpn/site-b]: peer"
                + " rendered");
  }

  @Test
  void jsonLinesCarryLevelLoggerMessageAndResource() throws Exception {
    List<String> lines = run(Map.of("IPSEC_OPERATOR_LOG_FORMAT", "json"));

    assertThat(lines).hasSize(1);
    JsonNode event = JSON.readTree(lines.get(0));
    // Elastic Common Schema, with the MDC flattened into the event
    assertThat(event.path("log.level").asText()).isEqualTo("INFO");
    assertThat(event.path("log.logger").asText())
        .isEqualTo("dev.ipsec.operator.reconcile.IpsecPeerReconciler");
    assertThat(event.path("message").asText()).isEqualTo("peer rendered");
    assertThat(event.path("resource.namespace").asText()).isEqualTo("vpn");
    assertThat(event.path("resource.name").asText()).isEqualTo("site-b");
    assertThat(Instant.parse(event.path("@timestamp").asText())).isBefore(Instant.now());
  }

  @Test
  void theLevelComesFromTheEnvironment() throws Exception {
    List<String> lines =
        run(Map.of("IPSEC_OPERATOR_LOG_FORMAT", "json", "IPSEC_OPERATOR_LOG_LEVEL", "debug"));

    assertThat(lines)
        .extracting(line -> JSON.readTree(line).path("message").asText())
        .containsExactly("peer rendered", "details");
  }

  /** Runs {@link LogTwoLines} in a JVM with this test's classpath; returns its stderr lines. */
  private static List<String> run(Map<String, String> environment) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // the jar's configuration, not the tests' log4j2-test.xml that the classpath prefers
            "-Dlog4j2.configurationFile="
                + LoggingConfigurationTest.class.getClassLoader().getResource("log4j2.xml"),
            "-cp",
            System.getProperty("java.class.path"),
            LogTwoLines.class.getName());
    builder.environment().remove("IPSEC_OPERATOR_LOG_FORMAT");
    builder.environment().remove("IPSEC_OPERATOR_LOG_LEVEL");
    builder.environment().putAll(environment);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(stderr).isZero();
    return stderr.lines().filter(line -> !line.isBlank()).toList();
  }
}
