package dev.ipsec.operator.agent.wire;

import java.util.Objects;

/**
 * The whole answer of the agent's {@code GET /v1/state}: the agent serialises it, the operator
 * binds it (both through {@link AgentStateJson}).
 *
 * @param schemaVersion the shape of this document; a reader refuses a version it does not know
 *     instead of misreading it
 * @param revision the agent's state revision, increased on every visible change; the long-poll
 *     ({@code ?since=N}) waits for a revision above N
 * @param state what the agent reports
 */
public record AgentStateDocument(int schemaVersion, long revision, AgentState state) {

  /**
   * The schema this code writes and reads. Raise it for every change that a reader of the previous
   * version would misread: a field renamed, removed, retyped or given another meaning. Adding a
   * field needs no new version, since readers ignore fields they do not know.
   */
  public static final int SCHEMA_VERSION = 1;

  public AgentStateDocument {
    Objects.requireNonNull(state, "state");
  }

  /** A document of the current schema. */
  public static AgentStateDocument of(long revision, AgentState state) {
    return new AgentStateDocument(SCHEMA_VERSION, revision, state);
  }
}
