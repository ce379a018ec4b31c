package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.render.FieldError;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/**
 * Reconciles the peers whose room in their gateway changed ({@link LeftOutPeers}), so a peer left
 * out of a full gateway says so at once, and says so no longer once there is room again.
 */
public final class LeftOutPeersEventSource extends AbstractEventSource<FieldError, IpsecPeer> {

  public LeftOutPeersEventSource(LeftOutPeers leftOut) {
    super(FieldError.class, "left-out-peers");
    leftOut.addListener(this::onChange);
  }

  @Override
  public Set<FieldError> getSecondaryResources(IpsecPeer primary) {
    return Set.of(); // a trigger only: the reconciler asks the store
  }

  private void onChange(LeftOutPeers.Change change) {
    if (!isRunning()) {
      return;
    }
    for (String peer : change.peers()) {
      getEventHandler().handleEvent(new Event(new ResourceID(peer, change.gateway().namespace())));
    }
  }
}
