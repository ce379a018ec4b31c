package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ipsec.operator.api.schema.ResourceValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The first IpsecGlobal and IpsecPeer that NOTES.txt tells users to apply are valid against the
 * CRDs (schema and CEL rules) and refer to each other correctly: copy-paste must work.
 */
class ChartNotesTest {
  private static final Pattern HEREDOC =
      Pattern.compile("<<'YAML'\\n(.*?)\\n\\s*YAML\\n", Pattern.DOTALL);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void theFirstResourcesInTheNotesAreValid() throws IOException {
    List<JsonNode> resources = resourcesInNotes();
    ResourceValidator validator = ResourceValidator.bundled();

    assertThat(resources)
        .extracting(r -> r.path("kind").asText())
        .containsExactly("IkeGroup", "EspGroup", "IpsecGlobal", "IpsecPeer");
    for (JsonNode resource : resources) {
      assertThat(validator.validate(resource)).as(resource.path("kind").asText()).isEmpty();
    }
    JsonNode peer = resources.get(3).path("spec");
    assertThat(peer.path("gateway").asText()).isEqualTo(name(resources.get(2)));
    assertThat(peer.path("ikeGroup").asText()).isEqualTo(name(resources.get(0)));
    assertThat(peer.path("defaultEspGroup").asText()).isEqualTo(name(resources.get(1)));
    String secret = peer.at("/authentication/preSharedSecret/secretRef/name").asText();
    assertThat(Files.readString(HelmChart.file("templates/NOTES.txt")))
        .as("the notes create the Secret the peer refers to")
        .contains("kubectl create secret generic " + secret + " ");
  }

  private static List<JsonNode> resourcesInNotes() throws IOException {
    String notes = Files.readString(HelmChart.file("templates/NOTES.txt"));
    assertThat(notes)
        .as("NOTES.txt resources must be plain YAML, not templated")
        .doesNotContain("<<'YAML'\n  {{");
    List<JsonNode> resources = new ArrayList<>();
    Matcher blocks = HEREDOC.matcher(notes);
    while (blocks.find()) {
      String block = blocks.group(1).replaceAll("(?m)^  ", "");
      resources.addAll(
          YAML.readValues(new YAMLFactory().createParser(block), JsonNode.class).readAll());
    }
    return resources;
  }

  private static String name(JsonNode resource) {
    return resource.path("metadata").path("name").asText();
  }
}
