package dev.ipsec.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Files of the repository that tests check: committed CRDs and examples. */
public final class ProjectFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ProjectFiles() {}

  public static Path root() {
    String configured = System.getProperty("project.root");
    Path root = configured != null ? Path.of(configured) : Path.of("..");
    return root.toAbsolutePath().normalize();
  }

  /** Every YAML document of every .yaml/.yml file under a directory, with its file. */
  public static List<Document> yamlDocuments(Path directory) {
    List<Document> documents = new ArrayList<>();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(ProjectFiles::isYaml).sorted().toList()) {
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
          for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
            if (node != null && !node.isNull() && !node.isEmpty()) {
              documents.add(new Document(file, node));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }

  public static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isYaml(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  /** One YAML document and where it came from. */
  public record Document(Path file, JsonNode node) {
    public String kind() {
      return node.path("kind").asText();
    }

    public String name() {
      return node.path("metadata").path("name").asText();
    }

    @Override
    public String toString() {
      return root().relativize(file) + " " + kind() + "/" + name();
    }
  }
}
