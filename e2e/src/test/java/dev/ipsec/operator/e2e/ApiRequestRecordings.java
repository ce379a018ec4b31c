package dev.ipsec.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ipsec.operator.demo.ApiRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The operator's API requests of each scenario, one file per test under {@code target/api-requests}
 * ({@code <Scenario>.<test>.jsonl}, one request a line): written by {@link E2eCluster} when a test
 * ends, read by {@link OperatorRbacE2eTest} after all scenarios.
 */
final class ApiRequestRecordings {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiRequestRecordings() {}

  static Path directory() {
    return Path.of("target", "api-requests");
  }

  static void write(String scenario, List<ApiRequest> requests) {
    StringBuilder lines = new StringBuilder();
    try {
      for (ApiRequest request : requests) {
        lines.append(JSON.writeValueAsString(new TreeMap<>(request.fields()))).append('\n');
      }
      Files.createDirectories(directory());
      Files.writeString(directory().resolve(scenario + ".jsonl"), lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every recording there is, by scenario. */
  static Map<String, List<ApiRequest>> readAll() {
    Map<String, List<ApiRequest>> all = new TreeMap<>();
    if (!Files.isDirectory(directory())) {
      return all;
    }
    try (Stream<Path> files = Files.list(directory())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        String name = file.getFileName().toString();
        all.put(name.substring(0, name.length() - ".jsonl".length()), read(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }

  private static List<ApiRequest> read(Path file) throws IOException {
    List<ApiRequest> requests = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode f = JSON.readTree(line);
      requests.add(
          new ApiRequest(
              f.path("source").asText(),
              f.path("verb").asText(),
              f.path("group").asText(),
              f.path("resource").asText(),
              f.path("namespace").asText(),
              f.path("name").asText(),
              f.path("nonResourcePath").asText(),
              f.path("userAgent").asText()));
    }
    return requests;
  }
}
