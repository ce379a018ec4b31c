package dev.ipsec.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ipsec.operator.api.ProjectFiles.Document;
import dev.ipsec.operator.api.schema.ResourceValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example is valid against the generated CRDs, including their CEL rules. */
class ExamplesTest {
  private static final ResourceValidator VALIDATOR = ResourceValidator.bundled();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<Path> exampleDirectories() throws IOException {
    try (Stream<Path> dirs = Files.list(ProjectFiles.root().resolve("examples"))) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    }
  }

  /**
   * The two-clusters example applies no Secret: a key in Git would overwrite the real one created
   * out of band, the same public placeholder on both sides, and be reverted to under ArgoCD's
   * self-heal. Its README creates both keys instead.
   */
  @Test
  void theTwoClustersExampleCreatesItsKeysOutOfBand() {
    assertThat(OutOfBandSecrets.of(ProjectFiles.root().resolve("examples/two-clusters/cluster-a")))
        .extracting(OutOfBandSecrets.Created::name)
        .containsExactly("cluster-b-psk", "cluster-a-psk");
    assertThat(ProjectFiles.yamlDocuments(ProjectFiles.root().resolve("examples/two-clusters")))
        .noneMatch(d -> d.kind().equals("Secret"));
  }

  @Test
  void theDocumentedExamplesExist() throws IOException {
    assertThat(exampleDirectories())
        .extracting(p -> p.getFileName().toString())
        .contains("site-to-site", "x509", "rsa", "multi-tunnel");
  }

  @ParameterizedTest
  @MethodSource("exampleDirectories")
  void everyResourceIsValid(Path directory) {
    List<Document> documents = ProjectFiles.yamlDocuments(directory);
    List<Document> ours = documents.stream().filter(d -> VALIDATOR.handles(d.kind())).toList();
    assertThat(ours).as("resources of the API in " + directory).isNotEmpty();
    for (Document document : ours) {
      assertThat(VALIDATOR.validate(document.node())).as(document.toString()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("exampleDirectories")
  void everyReferenceResolvesWithinTheExample(Path directory) throws IOException {
    List<Document> documents = new ArrayList<>(ProjectFiles.yamlDocuments(directory));
    // a key is created out of band as the example's README says, never applied from Git
    for (OutOfBandSecrets.Created secret : OutOfBandSecrets.of(directory)) {
      documents.add(
          new Document(
              directory.resolve("README.md"), YAML.readTree(secret.yaml("from-the-readme"))));
    }
    List<String> dangling = new ArrayList<>();
    for (Document peer : documents.stream().filter(d -> d.kind().equals("IpsecPeer")).toList()) {
      JsonNode spec = peer.node().path("spec");
      expect(documents, "IpsecGlobal", spec.path("gateway").asText(), peer, dangling);
      expect(documents, "IkeGroup", spec.path("ikeGroup").asText(), peer, dangling);
      if (spec.has("defaultEspGroup")) {
        expect(documents, "EspGroup", spec.path("defaultEspGroup").asText(), peer, dangling);
      }
      spec.path("tunnels")
          .forEach(
              t -> {
                if (t.has("espGroup")) {
                  expect(documents, "EspGroup", t.path("espGroup").asText(), peer, dangling);
                }
              });
      spec.findValues("secretRef")
          .forEach(ref -> expect(documents, "Secret", ref.path("name").asText(), peer, dangling));
      JsonNode certificate = spec.at("/authentication/x509/certificate");
      if (!certificate.isMissingNode()) {
        expect(documents, "Secret", certificate.path("name").asText(), peer, dangling);
      }
      spec.findValues("configMapRef")
          .forEach(
              ref -> expect(documents, "ConfigMap", ref.path("name").asText(), peer, dangling));
    }
    assertThat(dangling).as("references to objects the example does not contain").isEmpty();
  }

  private static void expect(
      List<Document> documents, String kind, String name, Document from, List<String> dangling) {
    Set<String> names =
        documents.stream()
            .filter(d -> d.kind().equals(kind))
            .map(Document::name)
            .collect(Collectors.toSet());
    if (!names.contains(name)) {
      dangling.add(from + " -> " + kind + "/" + name);
    }
  }
}
