package dev.ipsec.operator.agent.wire;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The JSON form of the state document: instants as ISO-8601 strings, maps in key order. The agent
 * writes with it and the operator reads with it, so both use the same records and settings.
 */
public final class AgentStateJson {

  /** The version of a document without {@code schemaVersion}: one from before versions existed. */
  public static final int NO_SCHEMA = 0;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          // a newer agent may add fields within the same schema version
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private AgentStateJson() {}

  /** A mapper configured for the document and its parts; do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static String write(AgentStateDocument document) throws IOException {
    return MAPPER.writeValueAsString(document);
  }

  /**
   * Binds a document of the current schema.
   *
   * @throws UnsupportedStateSchemaException when the document is of another schema (or of none)
   * @throws IOException when it is no JSON or lacks a part every document has
   */
  public static AgentStateDocument read(byte[] body) throws IOException {
    // the version decides how to read the rest, so it is looked at before anything is bound: a
    // document of another schema fails with its version, not with whatever binding it trips over
    JsonNode tree = MAPPER.readTree(body);
    JsonNode version = tree == null ? null : tree.get("schemaVersion");
    int schema = version != null && version.canConvertToInt() ? version.intValue() : NO_SCHEMA;
    if (schema != AgentStateDocument.SCHEMA_VERSION) {
      throw new UnsupportedStateSchemaException(schema);
    }
    return MAPPER.treeToValue(tree, AgentStateDocument.class);
  }
}
