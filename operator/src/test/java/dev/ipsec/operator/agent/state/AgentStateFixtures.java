package dev.ipsec.operator.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ipsec.operator.agent.swanctl.Fingerprint;
import dev.ipsec.operator.agent.wire.AgentState;
import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.agent.wire.AgentStateJson;
import dev.ipsec.operator.agent.wire.CharonStatus;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.agent.wire.StateSnapshot;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciCommands;
import dev.ipsec.operator.vici.ViciMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state documents in {@code src/test/resources/fixtures/agent-state/}, taken from real charon
 * runs ({@link SaStateCharonTest}) for the operator's status mapper tests: what the agent serves at
 * {@code GET /v1/state}, its SA state from the tracker, its charon part from the same charon.
 *
 * <p>Normally a charon test <em>verifies</em> that the document it just produced still matches its
 * fixture once the values that differ from run to run (times, unique ids, SPIs, revisions, rekey
 * counts, fingerprints) are masked: a code change that alters the state format makes it fail. With
 * the environment variable {@code IPSEC_RECORD_FIXTURES=1} it rewrites the fixture instead.
 */
final class AgentStateFixtures {

  static final Set<String> RUN_SPECIFIC =
      Set.of(
          "revision",
          "changedAt",
          "countingSince",
          "uniqueId",
          "initiatorSpi",
          "responderSpi",
          "spiIn",
          "spiOut",
          "establishedAt",
          "nextRekeyAt",
          "nextReauthAt",
          "installedAt",
          "expiresAt",
          "lastDetectedAt",
          "at",
          "lastIkeRekeyAt",
          "lastChildRekeyAt",
          "ikeRekeys",
          "childRekeys",
          // the loader's and charon's part: times, and a fingerprint over settings in map order
          "lastApplied",
          "fingerprint",
          "lastContact",
          "startedAt");

  /** The configuration revision the fixtures claim to run. */
  static final String CONFIG_REVISION = "r1";

  private AgentStateFixtures() {}

  static Path file(String name) {
    String root = System.getProperty("project.root", "..");
    return Path.of(
        root, "operator", "src", "test", "resources", "fixtures", "agent-state", name + ".json");
  }

  /**
   * The document an agent next to {@code charon} would serve, with {@code sas} from its tracker and
   * {@code loader} for what the test loaded.
   */
  static AgentStateDocument document(StateSnapshot sas, LoaderStatus loader, ViciClient charon) {
    ViciCommands commands = new ViciCommands(charon);
    CharonStatus charonStatus =
        new CharonStatus(
            true,
            Instant.now(),
            commands.version().version(),
            commands.stats().since(),
            0,
            true,
            commands.getAlgorithms());
    return AgentStateDocument.of(sas.revision(), new AgentState(loader, null, charonStatus, sas));
  }

  /**
   * The loader's report after loading one connection (its {@code load-conn} body) and its secret.
   */
  static LoaderStatus loaded(
      Instant at, String connection, ViciMessage connectionBody, String secretId) {
    String fingerprint = Fingerprint.of(ViciMessage.empty().putSection(connection, connectionBody));
    return new LoaderStatus(
        CONFIG_REVISION,
        at,
        1,
        List.of(new LoaderStatus.Connection(connection, true, fingerprint, true, null)),
        List.of(secretId),
        Map.of(),
        Map.of(),
        List.of(),
        List.of(),
        null,
        List.of());
  }

  static void recordOrVerify(String name, AgentStateDocument document) {
    try {
      String json = AgentStateJson.write(document) + "\n";
      Path file = file(name);
      if ("1".equals(System.getenv("IPSEC_RECORD_FIXTURES"))) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return;
      }
      assertThat(file).as("fixture %s (record it with IPSEC_RECORD_FIXTURES=1)", name).exists();
      JsonNode expected = mask(AgentStateJson.mapper().readTree(Files.readString(file)));
      JsonNode actual = mask(AgentStateJson.mapper().readTree(json));
      assertThat(actual.toPrettyString())
          .as("document vs fixture %s, run-specific values masked", name)
          .isEqualTo(expected.toPrettyString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture read the way the operator reads the agent's answer. */
  static AgentStateDocument read(String name) {
    try {
      return AgentStateJson.read(Files.readAllBytes(file(name)));
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
