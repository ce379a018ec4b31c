package dev.ipsec.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads Kubernetes resources from YAML files or directories, as {@code kubectl apply -f} does. */
final class YamlResources {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private YamlResources() {}

  /** Every non-empty document of a file, or of every .yaml/.yml/.json file under a directory. */
  static List<JsonNode> read(Path fileOrDirectory) throws IOException {
    List<Path> files;
    if (Files.isDirectory(fileOrDirectory)) {
      try (Stream<Path> walk = Files.walk(fileOrDirectory)) {
        files = walk.filter(Files::isRegularFile).filter(YamlResources::isManifest).sorted().toList();
      }
    } else {
      files = List.of(fileOrDirectory);
    }
    List<JsonNode> documents = new ArrayList<>();
    for (Path file : files) {
      try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
        for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
          if (node != null && node.isObject() && !node.isEmpty()) {
            documents.add(node);
          }
        }
      }
    }
    return documents;
  }

  private static boolean isManifest(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }
}
