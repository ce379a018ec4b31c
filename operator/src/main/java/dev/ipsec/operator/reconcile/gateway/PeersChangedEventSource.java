package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reconciles the peers a store of gateway-wide verdicts announces ({@link PeersChanged}), so a peer
 * says at once what the gateway's last plan decided for it.
 */
public final class PeersChangedEventSource extends AbstractEventSource<PeersChanged, IpsecPeer> {

  private PeersChangedEventSource(String name, Consumer<Consumer<PeersChanged>> subscribe) {
    super(PeersChanged.class, name);
    subscribe.accept(this::onChange);
  }

  /** Peers whose room in their gateway changed: left out of a full gateway, or given room again. */
  public static PeersChangedEventSource of(LeftOutPeers leftOut) {
    return new PeersChangedEventSource("left-out-peers", leftOut::addListener);
  }

  /**
   * Peers whose written configuration changed: kept running on a previous generation, or revoked
   * with a deleted Secret.
   */
  public static PeersChangedEventSource of(PeerGenerations generations) {
    return new PeersChangedEventSource("peer-generations", generations::addListener);
  }

  @Override
  public Set<PeersChanged> getSecondaryResources(IpsecPeer primary) {
    return Set.of(); // a trigger only: the reconciler asks the store
  }

  private void onChange(PeersChanged change) {
    if (!isRunning()) {
      return;
    }
    for (String peer : change.peers()) {
      getEventHandler().handleEvent(new Event(new ResourceID(peer, change.gateway().namespace())));
    }
  }
}
