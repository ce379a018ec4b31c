package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.reconcile.peer.PeerReferences;
import dev.ipsec.operator.render.CryptoGroups;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;

/** Validates an IkeGroup and reports its proposal string and how many peers use it. */
@ControllerConfiguration(name = "ikegroup")
public final class IkeGroupReconciler implements Reconciler<IkeGroup> {

  private final Clock clock;

  public IkeGroupReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, IkeGroup>> prepareEventSources(EventSourceContext<IkeGroup> context) {
    return CryptoGroupReconciling.peerEventSources(context, refs -> refs.ikeGroup().stream());
  }

  @Override
  public UpdateControl<IkeGroup> reconcile(IkeGroup group, Context<IkeGroup> context) {
    return CryptoGroupReconciling.reconcile(
        group,
        context,
        CryptoGroups.validate(group.getSpec()),
        CryptoGroups::ikeProposals,
        PeerReferences::ikeGroupKey,
        clock);
  }
}
