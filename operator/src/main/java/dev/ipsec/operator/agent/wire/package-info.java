/**
 * The agent's state document ({@code GET /v1/state}) as Java records: the one definition the
 * agent serialises and the operator binds, so writer and reader cannot drift apart.
 *
 * <ul>
 *   <li>{@link dev.ipsec.operator.agent.wire.LoaderStatus}: which configuration revision is loaded
 *       and what failed;
 *   <li>{@link dev.ipsec.operator.agent.wire.CharonStatus}: charon's version, reachability,
 *       restarts and algorithms;
 *   <li>{@link dev.ipsec.operator.agent.wire.StateSnapshot}: the SAs, with DPD and rekey history.
 * </ul>
 *
 * <p>Plain data and Jackson annotations only: the agent runs without Kubernetes, so nothing here
 * may depend on Kubernetes or on the operator.
 */
package dev.ipsec.operator.agent.wire;
