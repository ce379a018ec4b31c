package dev.ipsec.operator.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the YAML a user would {@code kubectl apply}: files or directories (recursively, {@code
 * .yaml}/{@code .yml}/{@code .json}), several documents per file. Kinds of this API, Secrets and
 * ConfigMaps are kept; other kinds are ignored. Unknown fields in this API's kinds are errors, so a
 * typo does not silently drop a setting.
 */
final class ResourceFiles {

  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "IkeGroup", IkeGroup.class,
          "EspGroup", EspGroup.class,
          "IpsecPeer", IpsecPeer.class,
          "IpsecGlobal", IpsecGlobal.class,
          "Secret", Secret.class,
          "ConfigMap", ConfigMap.class);

  private final ObjectMapper yaml = new YAMLMapper(new YAMLFactory());
  private final ObjectMapper strict;
  private final ObjectMapper lenient;

  ResourceFiles() {
    // KubernetesSerialization registers fabric8's modules on the mapper it is given
    this.lenient = new ObjectMapper();
    new KubernetesSerialization(lenient, true);
    this.strict = lenient.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** One parsed document and where it came from ({@code file#index}, 1-based). */
  record Document(String source, HasMetadata resource) {}

  record Loaded(List<Document> documents, List<String> errors) {}

  Loaded load(List<Path> paths) {
    List<Document> documents = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Path path : paths) {
      for (Path file : files(path, errors)) {
        read(file, documents, errors);
      }
    }
    return new Loaded(documents, errors);
  }

  private static List<Path> files(Path path, List<String> errors) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      errors.add(path + ": no such file or directory");
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
          .sorted()
          .toList();
    } catch (IOException e) {
      errors.add(path + ": " + e.getMessage());
      return List.of();
    }
  }

  private void read(Path file, List<Document> documents, List<String> errors) {
    try (MappingIterator<JsonNode> docs =
        yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
      int index = 0;
      while (docs.hasNext()) {
        JsonNode node = docs.next();
        index++;
        if (node == null || node.isNull() || node.isEmpty()) {
          continue;
        }
        String source = file + "#" + index;
        String kind = node.path("kind").asText("");
        Class<? extends HasMetadata> type = KINDS.get(kind);
        if (type == null) {
          continue;
        }
        try {
          ObjectMapper mapper = type == Secret.class || type == ConfigMap.class ? lenient : strict;
          documents.add(new Document(source, mapper.treeToValue(node, type)));
        } catch (IOException | IllegalArgumentException e) {
          errors.add(source + " (" + kind + "): " + firstLine(e.getMessage()));
        }
      }
    } catch (IOException | RuntimeException e) {
      errors.add(file + ": not valid YAML: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
