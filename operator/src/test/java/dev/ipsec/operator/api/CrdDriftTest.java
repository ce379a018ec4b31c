package dev.ipsec.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.schema.CrdCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRDs must be exactly what the build generates from the API classes. Run {@code
 * bin/update-crds} after changing the API and commit the result.
 */
class CrdDriftTest {
  static List<String> plurals() {
    return List.of("ikegroups", "espgroups", "ipsecpeers", "ipsecglobals");
  }

  @ParameterizedTest
  @MethodSource("plurals")
  void committedCrdEqualsGenerated(String plural) throws IOException {
    String generated = generated(plural);
    Path committed = ProjectFiles.root().resolve("crds").resolve(plural + ".ipsec.dev-v1.yml");
    assertThat(committed).as("committed CRD (run bin/update-crds)").exists();
    assertThat(Files.readString(committed))
        .as("crds/%s differs from the generated CRD: run bin/update-crds", committed.getFileName())
        .isEqualTo(generated);
  }

  @ParameterizedTest
  @MethodSource("plurals")
  void chartCopyEqualsGenerated(String plural) throws IOException {
    Path chartCrds = ProjectFiles.root().resolve("charts/ipsec-operator/crds");
    if (!Files.isDirectory(ProjectFiles.root().resolve("charts/ipsec-operator"))) {
      // The chart arrives with its own issue; until then there is no copy to check.
      assertThat(chartCrds).doesNotExist();
      return;
    }
    assertThat(Files.readString(chartCrds.resolve(plural + ".ipsec.dev-v1.yml")))
        .as("the chart's CRD copy differs: run bin/update-crds")
        .isEqualTo(generated(plural));
  }

  @org.junit.jupiter.api.Test
  void noStrayCrdFilesAreCommitted() throws IOException {
    try (Stream<Path> files = Files.list(ProjectFiles.root().resolve("crds"))) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted())
          .containsExactlyElementsOf(
              plurals().stream().map(p -> p + ".ipsec.dev-v1.yml").sorted().toList());
    }
  }

  private static String generated(String plural) throws IOException {
    try (InputStream in = CrdDriftTest.class.getResourceAsStream(CrdCatalog.resourceName(plural))) {
      assertThat(in).as("generated CRD for " + plural).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
