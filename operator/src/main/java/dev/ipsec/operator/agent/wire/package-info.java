/**
 * The agent's state document ({@code GET /v1/state}) as Java records: the one definition the agent
 * serialises and the operator binds, so writer and reader cannot drift apart.
 *
 * <ul>
 *   <li>{@link dev.ipsec.operator.agent.wire.AgentStateDocument}: the whole answer, with its {@code
 *       schemaVersion} and the agent's {@code revision} for the long-poll;
 *   <li>{@link dev.ipsec.operator.agent.wire.AgentState}: the loader, charon and SA parts;
 *   <li>{@link dev.ipsec.operator.agent.wire.LoaderStatus}: which configuration revision is loaded
 *       and what failed;
 *   <li>{@link dev.ipsec.operator.agent.wire.CharonStatus}: charon's version, reachability,
 *       restarts and algorithms;
 *   <li>{@link dev.ipsec.operator.agent.wire.StateSnapshot}: the SAs, with DPD and rekey history,
 *       under the names of the IpsecPeer status fields they become;
 *   <li>{@link dev.ipsec.operator.agent.wire.AgentStateJson}: the JSON codec both sides use; its
 *       reader refuses a document of another schema ({@link
 *       dev.ipsec.operator.agent.wire.UnsupportedStateSchemaException}).
 * </ul>
 *
 * <p>Plain data and Jackson annotations only: the agent runs without Kubernetes, so nothing here
 * may depend on Kubernetes or on the operator.
 */
package dev.ipsec.operator.agent.wire;
