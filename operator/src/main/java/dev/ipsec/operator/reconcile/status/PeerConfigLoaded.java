package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.agentstate.PeerObservation;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a valid peer's generation is live: its {@code ConfigLoaded} condition and the {@code
 * status.observedGeneration} that goes with it. A peer's generation is observed once its gateway's
 * agents have loaded the revision that holds it (for a disabled peer: a revision without it), not
 * when the operator has read the spec; until then the status names the generation the agents run,
 * so that kstatus and ArgoCD show the change as in progress instead of healthy.
 *
 * <p>An invalid peer has no such condition: the operator has processed its generation and {@code
 * Valid} says why it does not run, so its generation is observed (as an invalid IpsecGlobal has no
 * {@code ConfigLoaded} either).
 */
final class PeerConfigLoaded {

  static final String TYPE = GatewayStatusBuilder.CONFIG_LOADED;
  static final String LOADED = "Loaded";
  static final String PROGRESSING = "Progressing";
  static final String AWAITING_GATEWAY = "AwaitingGateway";
  static final String AGENT_UNREACHABLE = "AgentUnreachable";

  /** {@code observedGeneration} while the agents run no generation of the peer. */
  static final long NONE_RUNS = 0L;

  private PeerConfigLoaded() {}

  /**
   * Sets {@code ConfigLoaded} for a valid peer.
   *
   * @param generation the peer's {@code metadata.generation}
   * @param disabled the spec switches the peer off: loaded means the agents run none of it
   * @param running the generation the agents run ({@code status.runningGeneration}), null for none
   * @param gatewayRefused why the gateway policy keeps the gateway's pods away, if it does
   * @return the {@code observedGeneration}: {@code generation} once loaded, else the one that runs
   */
  static long set(
      Conditions conditions,
      IpsecPeerStatus previous,
      long generation,
      boolean disabled,
      Long running,
      Optional<PeerObservation> observation,
      Optional<String> gatewayRefused) {
    boolean awaitingFirstReport =
        observation.map(PeerObservation::awaitingFirstReport).orElse(false);
    Condition before = previous == null ? null : Conditions.find(previous.getConditions(), TYPE);
    if (awaitingFirstReport
        && before != null
        && Objects.equals(before.getObservedGeneration(), generation)
        && previous.getObservedGeneration() != null) {
      // a new operator (or leader) has not heard from the agents: what they had loaded stands
      conditions.set(TYPE, before.getStatus(), before.getReason(), before.getMessage());
      return previous.getObservedGeneration();
    }
    if (observation.isEmpty() || awaitingFirstReport) {
      if (gatewayRefused.isPresent()) {
        conditions.set(
            TYPE,
            Conditions.UNKNOWN,
            PeerStatusBuilder.GATEWAY_POLICY_DENIED,
            "generation " + generation + " cannot be loaded: " + gatewayRefused.get());
      } else {
        conditions.set(
            TYPE,
            Conditions.UNKNOWN,
            AWAITING_GATEWAY,
            "no gateway agent has reported yet: generation "
                + generation
                + " is not known to be loaded");
      }
      return observed(running, generation);
    }
    if (!observation.get().reachable()) {
      conditions.set(
          TYPE,
          Conditions.UNKNOWN,
          AGENT_UNREACHABLE,
          "generation "
              + generation
              + " is not known to be loaded: "
              + observation.get().problem()
              + " (the agents ran "
              + runs(running)
              + " when last heard)");
      return observed(running, generation);
    }
    Long wanted = disabled ? null : generation;
    if (Objects.equals(running, wanted)) {
      conditions.set(
          TYPE,
          true,
          LOADED,
          disabled
              ? "the gateway's agents run no configuration of the peer, which generation "
                  + generation
                  + " disables"
              : "the gateway's agents run generation " + generation);
      return generation;
    }
    conditions.set(
        TYPE,
        false,
        PROGRESSING,
        (disabled
                ? "generation " + generation + " disables the peer and is not loaded yet"
                : "generation " + generation + " is not loaded yet")
            + "; the gateway's agents run "
            + runs(running));
    return observed(running, generation);
  }

  /**
   * The generation observed while {@code generation} is not loaded: the one that runs. A higher one
   * ran for an earlier object of the same name (deleted and created again), so none of this one.
   */
  private static long observed(Long running, long generation) {
    return running == null || running > generation ? NONE_RUNS : running;
  }

  private static String runs(Long running) {
    return running == null ? "no configuration of the peer" : "generation " + running;
  }
}
