package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.agentstate.GatewayPoller;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Stops a gateway's pollers, and forgets what the operator remembers of it, when its IpsecGlobal is
 * deleted. JOSDK tells the event sources of a controller about a deleted primary (the way its
 * per-resource polling source stops its timers), so no finalizer is needed: the owned objects go by
 * garbage collection, and a deletion never waits for the operator. After a restart or a change of
 * leader nothing is left to stop, since pollers are started only by reconciling an IpsecGlobal that
 * exists. Emits no events.
 */
public final class GatewayDeletionListener
    extends AbstractEventSource<GatewayStateStore.GatewayId, IpsecGlobal>
    implements ResourceEventAware<IpsecGlobal> {

  private final GatewayPoller poller;
  private final Consumer<GatewayStateStore.GatewayId> forget;

  /**
   * @param forget forgets what the operator keeps in memory about the gateway: which peers had no
   *     room ({@link LeftOutPeers}), which files it keeps running ({@link LastKnownGood}), which
   *     generations it wrote ({@link PeerGenerations})
   */
  GatewayDeletionListener(GatewayPoller poller, Consumer<GatewayStateStore.GatewayId> forget) {
    super(GatewayStateStore.GatewayId.class, "gateway-deletion");
    this.poller = poller;
    this.forget = forget;
  }

  @Override
  public void onResourceDeleted(IpsecGlobal gateway) {
    var id =
        new GatewayStateStore.GatewayId(
            gateway.getMetadata().getNamespace(), gateway.getMetadata().getName());
    poller.retire(id, gateway.getMetadata().getUid());
    forget.accept(id);
  }

  @Override
  public Set<GatewayStateStore.GatewayId> getSecondaryResources(IpsecGlobal primary) {
    return Set.of();
  }
}
