package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.CryptoGroupStatus;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.reconcile.peer.PeerInformers;
import dev.ipsec.operator.reconcile.peer.PeerReferences;
import dev.ipsec.operator.reconcile.status.CryptoGroupStatusBuilder;
import dev.ipsec.operator.reconcile.status.Statuses;
import dev.ipsec.operator.render.CryptoGroups;
import dev.ipsec.operator.render.FieldError;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Validates an IkeGroup and reports its proposal string and how many peers use it. */
@ControllerConfiguration(
    name = "ikegroup",
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public final class IkeGroupReconciler implements Reconciler<IkeGroup> {

  private final Clock clock;

  public IkeGroupReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, IkeGroup>> prepareEventSources(EventSourceContext<IkeGroup> context) {
    return List.of(
        PeerInformers.indexed(
            context,
            peer ->
                PeerReferences.of(peer)
                    .ikeGroup()
                    .map(g -> Set.of(PeerInformers.id(g, peer.getMetadata().getNamespace())))
                    .orElse(Set.of())));
  }

  @Override
  public UpdateControl<IkeGroup> reconcile(IkeGroup group, Context<IkeGroup> context) {
    List<FieldError> errors = CryptoGroups.validate(group.getSpec());
    String proposals = errors.isEmpty() ? CryptoGroups.ikeProposals(group.getSpec()) : null;
    int usedBy =
        PeerInformers.byKey(
                context,
                PeerReferences.ikeGroupKey(
                    group.getMetadata().getNamespace(), group.getMetadata().getName()))
            .size();
    CryptoGroupStatus status =
        CryptoGroupStatusBuilder.build(
            group.getStatus(),
            group.getMetadata().getGeneration(),
            errors,
            proposals,
            usedBy,
            clock);
    return Statuses.writeIfChanged(group, status, context);
  }
}
