package dev.ipsec.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test class runs where it should. {@code bin/test} runs the classes surefire's default
 * includes match ({@code *Test}); {@code bin/bench} runs the classes named {@code *Benchmark} (the
 * benchmark profile's include) that carry the {@code benchmark} tag (its group). A test class named
 * otherwise, or a benchmark untagged, would silently run in no command at all, or time itself in
 * CI. The same holds in the e2e module, whose benchmark profile {@code bin/bench} runs too.
 */
class TestSelectionTest {

  private static final Pattern TEST_METHOD =
      Pattern.compile("@(Test|ParameterizedTest|Property|Example|TestFactory|RepeatedTest)\\b");
  private static final Path ROOT = ProjectFiles.root();
  private static final List<Path> TEST_DIRECTORIES =
      List.of(ROOT.resolve("operator/src/test/java"), ROOT.resolve("e2e/src/test/java"));

  @Test
  void everyClassWithTestsIsNamedSoThatBinTestOrBinBenchRunsIt() throws IOException {
    for (Path source : sources()) {
      String name = source.getFileName().toString();
      if (TEST_METHOD.matcher(Files.readString(source)).find()) {
        assertThat(name)
            .as("%s has tests", ROOT.relativize(source))
            .matches(".*(Test|Benchmark)\\.java");
      }
    }
  }

  @Test
  void everyBenchmarkIsNamedAndTaggedSoThatBinBenchRunsItAndBinTestDoesNot() throws IOException {
    List<Path> sources = sources();
    int benchmarks = 0;
    for (Path source : sources) {
      String name = source.getFileName().toString();
      boolean tagged = Files.readString(source).contains("@Tag(\"benchmark\")");
      boolean named = name.endsWith("Benchmark.java");
      assertThat(named)
          .as("%s: tagged benchmark iff named *Benchmark", ROOT.relativize(source))
          .isEqualTo(tagged);
      benchmarks += tagged ? 1 : 0;
    }
    assertThat(benchmarks).as("benchmarks found").isGreaterThanOrEqualTo(3);
  }

  private static List<Path> sources() throws IOException {
    List<Path> sources = new ArrayList<>();
    for (Path directory : TEST_DIRECTORIES) {
      try (Stream<Path> files = Files.walk(directory)) {
        files.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
      }
    }
    return sources;
  }
}
