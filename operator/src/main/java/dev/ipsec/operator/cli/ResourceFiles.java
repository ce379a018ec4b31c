package dev.ipsec.operator.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.render.FieldError;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the YAML a user would {@code kubectl apply}: files or directories (recursively, {@code
 * .yaml}/{@code .yml}/{@code .json}), or standard input ({@code -}), several documents per file.
 * Kinds of this API, Secrets and ConfigMaps are kept; other kinds are ignored. Unknown fields in
 * this API's kinds are errors, so a typo does not silently drop a setting; they and every other
 * value that does not bind are reported per document ({@link BindingProblems}), not as an exception
 * that ends the reading.
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

  /** How {@code -f} names standard input, as kubectl does. */
  static final String STDIN = "-";

  private final ObjectMapper yaml = new YAMLMapper(new YAMLFactory());
  private final ObjectMapper mapper;
  private final InputStream stdin;

  ResourceFiles(InputStream stdin) {
    // KubernetesSerialization registers fabric8's modules on the mapper it is given. Unknown
    // fields are left to BindingProblems, and so are numbers written for enum values, which the
    // API server refuses too.
    this.mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    new KubernetesSerialization(mapper, true);
    this.stdin = stdin;
  }

  /**
   * One parsed document and where it came from ({@code file#index}, 1-based): as written ({@code
   * written}, what the API server would check) and bound, with what did not bind (those fields are
   * unset in {@code resource}).
   */
  record Document(
      String source, JsonNode written, HasMetadata resource, List<FieldError> bindingProblems) {}

  record Loaded(List<Document> documents, List<String> errors) {}

  Loaded load(List<Path> paths) {
    List<Document> documents = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Path path : paths) {
      if (path.toString().equals(STDIN)) {
        read("<stdin>", () -> yaml.readerFor(JsonNode.class).readValues(stdin), documents, errors);
        continue;
      }
      for (Path file : files(path, errors)) {
        read(
            file.toString(),
            () -> yaml.readerFor(JsonNode.class).readValues(file.toFile()),
            documents,
            errors);
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

  /** Opens the documents of one file or of standard input. */
  @FunctionalInterface
  private interface DocumentSource {
    MappingIterator<JsonNode> open() throws IOException;
  }

  private void read(
      String name, DocumentSource source, List<Document> documents, List<String> errors) {
    try (MappingIterator<JsonNode> docs = source.open()) {
      int index = 0;
      while (docs.hasNext()) {
        JsonNode node = docs.next();
        index++;
        if (node == null || node.isNull() || node.isEmpty()) {
          continue;
        }
        String kind = node.path("kind").asText("");
        Class<? extends HasMetadata> type = KINDS.get(kind);
        if (type != null) {
          bind(name + "#" + index, node, type, documents, errors);
        }
      }
    } catch (IOException | RuntimeException e) {
      errors.add(name + ": not valid YAML: " + firstLine(e.getMessage()));
    }
  }

  private void bind(
      String source,
      JsonNode node,
      Class<? extends HasMetadata> type,
      List<Document> documents,
      List<String> errors) {
    BindingProblems problems = new BindingProblems(type != Secret.class && type != ConfigMap.class);
    try {
      HasMetadata resource = mapper.readerFor(type).withHandler(problems).readValue(node);
      documents.add(new Document(source, node, resource, problems.problems()));
    } catch (JsonMappingException e) {
      // what BindingProblems cannot step over (a value that fits no constructor): the document is
      // left out, with its first problem in the API's words
      errors.add(
          node.path("kind").asText()
              + "/"
              + node.path("metadata").path("name").asText(source)
              + ": "
              + new FieldError(path(e), unreadable(e)));
    } catch (IOException | IllegalArgumentException e) {
      errors.add(source + " (" + node.path("kind").asText() + "): " + firstLine(e.getMessage()));
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String unreadable(JsonMappingException e) {
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return BindingMessages.expected(mismatch.getTargetType());
    }
    return "cannot be read";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
