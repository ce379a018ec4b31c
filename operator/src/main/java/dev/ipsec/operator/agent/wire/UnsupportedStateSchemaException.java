package dev.ipsec.operator.agent.wire;

import java.io.IOException;

/**
 * A state document of a schema this code does not know (see {@link
 * AgentStateDocument#SCHEMA_VERSION}).
 */
public final class UnsupportedStateSchemaException extends IOException {

  private final int found;

  UnsupportedStateSchemaException(int found) {
    super(
        (found == AgentStateJson.NO_SCHEMA
                ? "the state document has no schema version"
                : "the state document is of schema " + found)
            + "; this code reads schema "
            + AgentStateDocument.SCHEMA_VERSION);
    this.found = found;
  }

  /** The document's schema version; {@link AgentStateJson#NO_SCHEMA} when it has none. */
  public int found() {
    return found;
  }
}
