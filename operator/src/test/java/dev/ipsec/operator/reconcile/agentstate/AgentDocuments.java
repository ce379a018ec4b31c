package dev.ipsec.operator.reconcile.agentstate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ipsec.operator.agent.wire.AgentState;
import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.agent.wire.AgentStateJson;
import dev.ipsec.operator.agent.wire.CharonStatus;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.agent.wire.StateSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Agent state documents for the operator's tests: the fixtures the agent's charon tests recorded
 * ({@code fixtures/agent-state/}), and documents built from the wire records for cases no charon
 * run produced (a refused key, a connection that did not parse).
 */
final class AgentDocuments {

  static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
  static final CharonStatus CHARON =
      new CharonStatus(true, NOW, "5.9.8", "Nov 26 23:30:00 2026", 0, true, Map.of());

  private AgentDocuments() {}

  /** A recorded fixture, the bytes the agent served. */
  static byte[] fixtureJson(String name) {
    try (InputStream in =
        AgentDocuments.class.getResourceAsStream("/fixtures/agent-state/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A recorded fixture, read as the operator reads it. */
  static AgentStateDocument fixture(String name) {
    try {
      return AgentStateJson.read(fixtureJson(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A document whose loader reports {@code loader} and whose charon holds no SA. */
  static AgentStateDocument withoutSas(long revision, LoaderStatus loader) {
    return AgentStateDocument.of(
        revision, new AgentState(loader, null, CHARON, new StateSnapshot(1, NOW, Map.of())));
  }

  static LoaderStatus loader(
      String configRevision,
      List<LoaderStatus.Connection> connections,
      Map<String, String> secretErrors,
      Map<String, String> credentialErrors) {
    int loaded = (int) connections.stream().filter(LoaderStatus.Connection::loaded).count();
    return new LoaderStatus(
        configRevision,
        NOW,
        loaded,
        connections,
        List.of(),
        secretErrors,
        credentialErrors,
        List.of(),
        List.of(),
        null,
        List.of());
  }

  static LoaderStatus.Connection loaded(String name) {
    return new LoaderStatus.Connection(
        name, true, Integer.toHexString(name.hashCode()), true, null);
  }

  static LoaderStatus.Connection refused(String name, String error) {
    return new LoaderStatus.Connection(name, false, null, false, error);
  }

  /** The document as the agent serves it. */
  static byte[] json(AgentStateDocument document) {
    try {
      return AgentStateJson.write(document).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document as an agent speaking state schema {@code version} would label it. */
  static byte[] labelledAsSchema(AgentStateDocument document, int version) {
    ObjectNode tree = AgentStateJson.mapper().valueToTree(document);
    tree.put("schemaVersion", version);
    return tree.toPrettyString().getBytes(StandardCharsets.UTF_8);
  }
}
