package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.volume.PlacementErrors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The peers each gateway had to leave out for want of room ({@link PlacementErrors#GATEWAY_FULL}).
 * Only the IpsecGlobal reconciler can know them, since it plans all of a gateway's peers together;
 * the IpsecPeer reconciler reads a peer's verdict here for its Valid condition. Every change is
 * announced with the peers it concerns, so exactly those are reconciled again (as {@code
 * GatewayStateStore} does for what the agents report). A peer that is too large by itself is not
 * kept here: its own reconciler finds that out alone.
 */
public final class LeftOutPeers {

  private final Map<GatewayId, Map<String, FieldError>> byGateway = new HashMap<>();

  /** Peers that answered from their own status while their gateway was not planned yet. */
  private final Map<GatewayId, Set<String>> carriedOver = new HashMap<>();

  private final List<Consumer<PeersChanged>> listeners = new CopyOnWriteArrayList<>();

  public void addListener(Consumer<PeersChanged> listener) {
    listeners.add(listener);
  }

  /**
   * Records one written plan of {@code gateway}, with the peers it had no room for. Announces the
   * peers whose verdict changed; after the first plan since this operator started, those left out
   * and those that answered from their own status until then ({@link #verdict}).
   */
  public void put(GatewayId gateway, Map<String, FieldError> leftOut) {
    Map<String, FieldError> current = Map.copyOf(leftOut);
    Set<String> changed = new TreeSet<>();
    synchronized (this) {
      Map<String, FieldError> previous = byGateway.put(gateway, current);
      if (previous == null) {
        changed.addAll(current.keySet());
        changed.addAll(carriedOver.getOrDefault(gateway, Set.of()));
        carriedOver.remove(gateway);
      } else {
        Set<String> names = new TreeSet<>(previous.keySet());
        names.addAll(current.keySet());
        names.stream()
            .filter(p -> !Objects.equals(previous.get(p), current.get(p)))
            .forEach(changed::add);
      }
    }
    if (!changed.isEmpty()) {
      PeersChanged change = new PeersChanged(gateway, changed);
      listeners.forEach(l -> l.accept(change));
    }
  }

  /** Forgets a deleted gateway. Its peers learn of the deletion from the IpsecGlobal itself. */
  public synchronized void forget(GatewayId gateway) {
    byGateway.remove(gateway);
    carriedOver.remove(gateway);
  }

  /**
   * Why {@code peer} has no room in {@code gateway}, if it has none. Until the gateway is planned
   * for the first time since this operator started, the verdict its Valid condition already shows
   * stands: otherwise every restart would flip such a peer to valid and back, with an Event each
   * time. Such a peer is reconciled again once the first plan is there.
   */
  public synchronized Optional<FieldError> verdict(
      GatewayId gateway, String peer, Condition previousValid) {
    Map<String, FieldError> planned = byGateway.get(gateway);
    if (planned != null) {
      return Optional.ofNullable(planned.get(peer));
    }
    if (previousValid == null
        || !PlacementErrors.GATEWAY_FULL.equals(previousValid.getReason())
        || previousValid.getMessage() == null) {
      return Optional.empty();
    }
    carriedOver.computeIfAbsent(gateway, g -> new TreeSet<>()).add(peer);
    // the condition's message is the error as FieldError.toString() wrote it: "path: message"
    String shown = previousValid.getMessage();
    int colon = shown.indexOf(": ");
    return Optional.of(
        colon < 0
            ? new FieldError("spec.gateway", shown, PlacementErrors.GATEWAY_FULL)
            : new FieldError(
                shown.substring(0, colon),
                shown.substring(colon + 2),
                PlacementErrors.GATEWAY_FULL));
  }

  /** For tests and diagnostics: the left-out peers of one gateway as last planned. */
  public synchronized Map<String, FieldError> of(GatewayId gateway) {
    return new TreeMap<>(byGateway.getOrDefault(gateway, Map.of()));
  }
}
