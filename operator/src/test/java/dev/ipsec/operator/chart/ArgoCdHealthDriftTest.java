package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed ArgoCD health files (the per-kind copies in ArgoCD's layout with their tests and
 * builder-made test data, the argocd-cm and argocd-operator snippets) must be exactly what {@link
 * ArgoCdHealthFiles} makes from {@code argocd/health.lua} and the status builders. Run {@code
 * bin/update-argocd} after changing either and commit the result; it runs this test with {@code
 * -Dipsec.argocd.update=true}, which writes the files instead of comparing them.
 */
class ArgoCdHealthDriftTest {

  static final String UPDATE = "ipsec.argocd.update";

  @Test
  void committedFilesEqualGenerated() throws IOException {
    if (Boolean.getBoolean(UPDATE)) {
      ArgoCdHealthFiles.write();
    }
    Map<String, String> generated = ArgoCdHealthFiles.generate();
    for (Map.Entry<String, String> file : generated.entrySet()) {
      var committed = ArgoCdHealthFiles.directory().resolve(file.getKey());
      assertThat(committed).as("%s (run bin/update-argocd)", file.getKey()).exists();
      assertThat(Files.readString(committed))
          .as(
              "%s differs from what health.lua and the status builders make: run bin/update-argocd",
              file.getKey())
          .isEqualTo(file.getValue());
    }
    assertThat(ArgoCdHealthFiles.committedCustomizations())
        .as("files under resource_customizations that are not generated (run bin/update-argocd)")
        .allMatch(generated::containsKey);
  }
}
