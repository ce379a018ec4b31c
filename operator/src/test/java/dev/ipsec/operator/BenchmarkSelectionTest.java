package dev.ipsec.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/bench} runs the classes named {@code *Benchmark} (the benchmark profile's include)
 * that carry the {@code benchmark} tag (its group), and {@code bin/test} runs neither: a benchmark
 * named otherwise, or untagged, would silently run in no command at all, or time itself in CI.
 */
class BenchmarkSelectionTest {

  @Test
  void everyBenchmarkIsNamedAndTaggedSoThatBinBenchRunsItAndBinTestDoesNot() throws IOException {
    Path tests = ProjectFiles.root().resolve("operator/src/test/java");
    List<Path> sources;
    try (Stream<Path> files = Files.walk(tests)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    int benchmarks = 0;
    for (Path source : sources) {
      String name = source.getFileName().toString();
      boolean tagged = Files.readString(source).contains("@Tag(\"benchmark\")");
      boolean named = name.endsWith("Benchmark.java");
      assertThat(named).as("%s: tagged benchmark iff named *Benchmark", tests.relativize(source)).isEqualTo(tagged);
      benchmarks += tagged ? 1 : 0;
    }
    assertThat(benchmarks).as("benchmarks found").isGreaterThanOrEqualTo(3);
  }
}
