package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ipsec.operator.api.ProjectFiles;
import dev.ipsec.operator.chart.ArgoCdHealth.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ArgoCD health checks shipped with the chart, run by a Lua VM the way ArgoCD runs them, on
 * every case of ArgoCD's own test files ({@code resource_customizations/ipsec.dev/<Kind>/
 * health_test.yaml}), whose test data are statuses the operator's status builders made ({@link
 * ArgoCdHealthScenarios}).
 */
class ChartArgoCdHealthTest {

  private static final Path KINDS =
      ArgoCdHealthFiles.directory()
          .resolve(ArgoCdHealthFiles.CUSTOMIZATIONS)
          .resolve(ArgoCdHealthFiles.GROUP);

  @Test
  void oneDirectoryAndOneArgocdCmKeyForEachKindOfTheCrds() throws IOException {
    Set<String> kinds;
    try (Stream<Path> crds = Files.list(HelmChart.file("crds"))) {
      kinds =
          crds.map(ProjectFiles::readYaml)
              .filter(crd -> crd.at("/spec/group").asText().equals(ArgoCdHealthFiles.GROUP))
              .map(crd -> crd.at("/spec/names/kind").asText())
              .collect(Collectors.toSet());
    }
    assertThat(kinds).hasSize(4);
    try (Stream<Path> dirs = Files.list(KINDS)) {
      assertThat(dirs.map(d -> d.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(kinds);
    }
    assertThat(ArgoCdHealth.scripts().keySet())
        .containsExactlyInAnyOrderElementsOf(
            kinds.stream().map(k -> ArgoCdHealth.KEY_PREFIX + "ipsec.dev_" + k).toList());
  }

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(KINDS)) {
      for (Path dir : dirs.sorted().toList()) {
        for (JsonNode test : ProjectFiles.readYaml(dir.resolve("health_test.yaml")).path("tests")) {
          cases.add(
              Arguments.of(
                  dir.getFileName().toString(),
                  test.path("inputPath").asText(),
                  test.at("/healthStatus/status").asText(),
                  test.at("/healthStatus/message").asText()));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}: {3}")
  @MethodSource("cases")
  void theKindsHealthLuaGivesTheExpectedHealth(
      String kind, String input, String status, String message) throws IOException {
    Path dir = KINDS.resolve(kind);
    JsonNode resource = ProjectFiles.readYaml(dir.resolve(input));
    assertThat(resource.path("kind").asText()).isEqualTo(kind);

    Result result = ArgoCdHealth.evaluate(Files.readString(dir.resolve("health.lua")), resource);

    assertThat(result).isEqualTo(new Result(status, message));
  }

  @Test
  void everyKindHasTheCasesOfEachHealthItCanShowAndNoUntestedData() throws IOException {
    Set<String> seen = new HashSet<>();
    try (Stream<Path> dirs = Files.list(KINDS)) {
      for (Path dir : dirs.toList()) {
        JsonNode tests = ProjectFiles.readYaml(dir.resolve("health_test.yaml")).path("tests");
        Set<String> inputs = new HashSet<>();
        tests.forEach(
            t -> {
              inputs.add(t.path("inputPath").asText());
              seen.add(dir.getFileName() + " " + t.at("/healthStatus/status").asText());
            });
        try (Stream<Path> data = Files.list(dir.resolve("testdata"))) {
          assertThat(data.map(f -> "testdata/" + f.getFileName()))
              .as("testdata of %s without a test case", dir.getFileName())
              .containsExactlyInAnyOrderElementsOf(inputs);
        }
      }
    }
    assertThat(seen)
        .contains(
            "IkeGroup Healthy",
            "IkeGroup Degraded",
            "IkeGroup Progressing",
            "EspGroup Healthy",
            "EspGroup Degraded",
            "EspGroup Progressing",
            "IpsecPeer Healthy",
            "IpsecPeer Progressing",
            "IpsecPeer Degraded",
            "IpsecPeer Suspended",
            "IpsecGlobal Healthy",
            "IpsecGlobal Progressing",
            "IpsecGlobal Degraded",
            "IpsecGlobal Suspended");
  }

  @Test
  void everyShippedFormRunsTheOneSource() throws IOException {
    String source = ArgoCdHealthFiles.source();
    assertThat(source).contains("return result(");
    assertThat(ArgoCdHealth.scripts().values()).hasSize(4).allMatch(source::equals);
    assertThat(ArgoCdHealth.operatorChecks())
        .hasSize(4)
        .allSatisfy(
            check -> {
              assertThat(check.group()).isEqualTo("ipsec.dev");
              assertThat(check.check()).isEqualTo(source);
            });
    assertThat(ArgoCdHealth.operatorChecks().stream().map(ArgoCdHealth.Check::kind))
        .containsExactlyElementsOf(ArgoCdHealthFiles.KINDS);
    for (String kind : ArgoCdHealthFiles.KINDS) {
      assertThat(KINDS.resolve(kind).resolve("health.lua")).hasContent(source);
    }
  }
}
