package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/**
 * Reconciles the peers whose written configuration changed ({@link PeerGenerations}): a peer kept
 * running on a previous generation, or revoked with a deleted Secret, says so at once.
 */
public final class PeerGenerationsEventSource
    extends AbstractEventSource<PeerGenerations.Written, IpsecPeer> {

  public PeerGenerationsEventSource(PeerGenerations generations) {
    super(PeerGenerations.Written.class, "peer-generations");
    generations.addListener(this::onChange);
  }

  @Override
  public Set<PeerGenerations.Written> getSecondaryResources(IpsecPeer primary) {
    return Set.of(); // a trigger only: the reconciler asks the store
  }

  private void onChange(PeerGenerations.Change change) {
    if (!isRunning()) {
      return;
    }
    for (String peer : change.peers()) {
      getEventHandler().handleEvent(new Event(new ResourceID(peer, change.gateway().namespace())));
    }
  }
}
