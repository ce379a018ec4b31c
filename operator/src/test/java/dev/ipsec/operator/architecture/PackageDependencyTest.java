package dev.ipsec.operator.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dependency directions of docs/architecture.md, checked on the imports of the main sources:
 * the parts that run in the gateway pod or hold the wire formats never reach Kubernetes, and no
 * package reaches one that sits above it.
 */
class PackageDependencyTest {

  private static final Path SOURCES = Path.of("src/main/java/dev/ipsec/operator");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?([a-zA-Z0-9_.]+)\\.[a-zA-Z0-9_*]+;", Pattern.MULTILINE);

  @ParameterizedTest(name = "{0} does not import {1}")
  @CsvSource({
    "render, io.fabric8|io.javaoperatorsdk|dev.ipsec.operator.(vici|agent|reconcile|cli)",
    "settings, io.fabric8|io.javaoperatorsdk|dev.ipsec.operator",
    "manifest, io.fabric8|io.javaoperatorsdk|dev.ipsec.operator",
    "volume, io.fabric8|io.javaoperatorsdk|dev.ipsec.operator.(?!render|manifest)",
    "vici, io.fabric8|io.javaoperatorsdk|dev.ipsec.operator.(?!vici)",
    "threads, io.fabric8|io.javaoperatorsdk|dev.ipsec.operator",
    "metrics, io.fabric8|io.javaoperatorsdk|dev.ipsec.operator.(?!version)",
    "version, io.fabric8|io.javaoperatorsdk|dev.ipsec.operator",
    "pki, io.fabric8|io.javaoperatorsdk|dev.ipsec.operator",
    "agent, io.fabric8|io.javaoperatorsdk|dev.ipsec.operator.(render|reconcile|cli)",
    "api, dev.ipsec.operator.(?!api)",
    "vyos,"
        + " io.fabric8.kubernetes.client|io.javaoperatorsdk|dev.ipsec.operator.(?!api.v1alpha1|render)",
    "reconcile, dev.ipsec.operator.(cli|agent.(?!wire))",
  })
  void packageDoesNotReachForbiddenOnes(String pkg, String forbidden) {
    Pattern refused = Pattern.compile("^(" + forbidden + ")");
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        // the package itself is allowed: `settings` may import `dev.ipsec.operator.settings`
        String own = "dev.ipsec.operator." + pkg;
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String imported = m.group(1);
          if (!imported.startsWith(own) && refused.matcher(imported).find()) {
            violations.add(SOURCES.relativize(file) + " imports " + imported);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(violations).as("imports of %s", pkg).isEmpty();
  }
}
