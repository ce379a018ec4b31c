package dev.ipsec.operator.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ipsec.operator.agent.wire.StateJson;
import dev.ipsec.operator.agent.wire.StateSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The JSON snapshots in {@code src/test/resources/fixtures/agent-state/}, taken from real charon
 * runs ({@link SaStateCharonTest}) for the operator's status mapper tests.
 *
 * <p>Normally a charon test <em>verifies</em> that the snapshot it just produced still matches
 * its fixture once the values that differ from run to run (times, unique ids, SPIs, revision,
 * rekey counts) are masked: a code change that alters the state format makes it fail. With the
 * environment variable {@code IPSEC_RECORD_FIXTURES=1} it rewrites the fixture instead.
 */
final class AgentStateFixtures {

  static final Set<String> RUN_SPECIFIC =
      Set.of("revision", "changedAt", "uniqueId", "initiatorSpi", "responderSpi", "spiIn", "spiOut",
          "establishedAt", "nextRekeyAt", "nextReauthAt", "installedAt", "expiresAt", "lastDetectedAt", "at",
          "lastIkeRekeyAt", "lastChildRekeyAt", "ikeRekeys", "childRekeys");

  private AgentStateFixtures() {}

  static Path file(String name) {
    String root = System.getProperty("project.root", "..");
    return Path.of(root, "operator", "src", "test", "resources", "fixtures", "agent-state", name + ".json");
  }

  static void recordOrVerify(String name, StateSnapshot snapshot) {
    try {
      String json = StateJson.mapper().writeValueAsString(snapshot) + "\n";
      Path file = file(name);
      if ("1".equals(System.getenv("IPSEC_RECORD_FIXTURES"))) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return;
      }
      assertThat(file).as("fixture %s (record it with IPSEC_RECORD_FIXTURES=1)", name).exists();
      JsonNode expected = mask(StateJson.mapper().readTree(Files.readString(file)));
      JsonNode actual = mask(StateJson.mapper().readTree(json));
      assertThat(actual.toPrettyString()).as("snapshot vs fixture %s, run-specific values masked", name)
          .isEqualTo(expected.toPrettyString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static StateSnapshot read(String name) {
    try {
      return StateJson.mapper().readValue(Files.readString(file(name)), StateSnapshot.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces every run-specific value with a placeholder (keeps whether it was present). */
  static JsonNode mask(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (RUN_SPECIFIC.contains(field.getKey()) && !field.getValue().isNull()) {
          field.setValue(TextNode.valueOf("<run-specific>"));
        } else {
          mask(field.getValue());
        }
      }
    } else if (node.isArray()) {
      node.forEach(AgentStateFixtures::mask);
    }
    return node;
  }
}
