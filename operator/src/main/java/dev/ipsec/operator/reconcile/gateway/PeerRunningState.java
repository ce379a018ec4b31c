package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.agentstate.AgentReport;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import dev.ipsec.operator.reconcile.peer.PeerReferences;
import dev.ipsec.operator.reconcile.status.Conditions;
import dev.ipsec.operator.reconcile.status.RunningConfig;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.RenderedGateway.RenderedConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a peer's status says about the configuration that runs for it: from {@link PeerGenerations}
 * (which rendering the gateway's volume holds, which generation the agents run), and, for a peer
 * whose configuration a deleted Secret revoked, the revocation as its first error.
 */
public final class PeerRunningState {

  /** A revocation as the Valid condition shows it: {@code path: Secret "name", ...}. */
  private static final Pattern REVOKED = Pattern.compile("^([^:;]+): (Secret \"([^\"]+)\"[^;]*)");

  /**
   * @param running for the status builder
   * @param errors the peer's errors, a revocation first
   */
  public record Outcome(RunningConfig running, List<FieldError> errors) {}

  private PeerRunningState() {}

  /**
   * @param errors the spec's own errors (empty when it renders and fits)
   * @param connection the spec's rendered connection
   * @param gateway the peer's gateway, empty when it has none
   * @param reports the gateway's agents' reports
   */
  public static Outcome of(
      IpsecPeer peer,
      List<FieldError> errors,
      RenderedConnection connection,
      Optional<GatewayId> gateway,
      PeerGenerations generations,
      List<AgentReport> reports) {
    Long previousRunning =
        peer.getStatus() == null ? null : peer.getStatus().getRunningGeneration();
    if (gateway.isEmpty()) {
      // no gateway, nothing runs anywhere
      return new Outcome(
          new RunningConfig(
              errors.isEmpty() ? RunningConfig.Kind.CURRENT : RunningConfig.Kind.NONE,
              connection,
              null,
              null),
          errors);
    }
    PeerGenerations.View view =
        generations.view(
            gateway.get(),
            peer.getMetadata().getName(),
            reports,
            // a valid spec's status takes only the running generation from the view
            errors.isEmpty()
                ? new PeerGenerations.Reads(true, previousRunning)
                : PeerGenerations.Reads.WHOLE);
    Long running = view.runningKnown() ? view.running() : previousRunning;
    if (errors.isEmpty()) {
      return new Outcome(RunningConfig.current(connection, running), errors);
    }
    List<FieldError> all = new ArrayList<>();
    Optional.ofNullable(view.revoked())
        .or(() -> view.written() == null ? stillRevoked(peer) : Optional.empty())
        .ifPresent(all::add);
    all.addAll(errors);
    if (!view.planned()) {
      return new Outcome(
          new RunningConfig(RunningConfig.Kind.UNKNOWN, connection, null, running), all);
    }
    PeerGenerations.Written written = view.written();
    if (written != null && written.previous()) {
      return new Outcome(
          new RunningConfig(
              RunningConfig.Kind.KEPT, written.connection(), written.generation(), running),
          all);
    }
    return new Outcome(new RunningConfig(RunningConfig.Kind.NONE, connection, null, running), all);
  }

  /**
   * A revocation the status already shows stays while nothing of the peer runs and its spec still
   * names that Secret: the gateway forgets revocations on a restart (the revoked files are gone),
   * the status does not.
   */
  private static Optional<FieldError> stillRevoked(IpsecPeer peer) {
    Condition valid =
        peer.getStatus() == null
            ? null
            : Conditions.find(peer.getStatus().getConditions(), Conditions.VALID);
    if (valid == null
        || !LastKnownGood.SECRET_DELETED.equals(valid.getReason())
        || valid.getMessage() == null) {
      return Optional.empty();
    }
    Matcher m = REVOKED.matcher(valid.getMessage());
    if (!m.find() || !PeerReferences.of(peer).secrets().contains(m.group(3))) {
      return Optional.empty();
    }
    return Optional.of(new FieldError(m.group(1), m.group(2), LastKnownGood.SECRET_DELETED));
  }
}
