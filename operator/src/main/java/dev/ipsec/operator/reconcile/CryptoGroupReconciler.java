package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.CryptoGroupStatus;
import dev.ipsec.operator.reconcile.peer.PeerInformers;
import dev.ipsec.operator.reconcile.peer.PeerReferences;
import dev.ipsec.operator.reconcile.status.CryptoGroupEvents;
import dev.ipsec.operator.reconcile.status.CryptoGroupStatusBuilder;
import dev.ipsec.operator.reconcile.status.EventRecorder;
import dev.ipsec.operator.reconcile.status.Statuses;
import dev.ipsec.operator.render.FieldError;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The reconciler an IkeGroup and an EspGroup share: validate the spec, show its proposals when it
 * is valid, count the peers that name it and write the status when it changed. Only how the spec
 * validates, how the proposals read and how peers name a group differ between the two kinds.
 *
 * <p>The group type comes first among the type parameters: JOSDK takes a reconciler's primary
 * resource class from the first type argument of its superclass.
 */
abstract class CryptoGroupReconciler<G extends CustomResource<S, CryptoGroupStatus>, S>
    implements Reconciler<G> {

  private final Clock clock;
  private final EventRecorder events;
  private final Function<PeerReferences, Stream<String>> groupsNamed;
  private final Function<S, List<FieldError>> validation;
  private final Function<S, String> proposals;
  private final BinaryOperator<String> peerKey;

  /**
   * @param events where the group's transitions are told
   * @param groupsNamed the groups of this kind a peer names
   * @param validation the errors of a spec
   * @param proposals the proposal string of a valid spec
   * @param peerKey the peer index key of a group from its namespace and name
   */
  CryptoGroupReconciler(
      Clock clock,
      EventRecorder events,
      Function<PeerReferences, Stream<String>> groupsNamed,
      Function<S, List<FieldError>> validation,
      Function<S, String> proposals,
      BinaryOperator<String> peerKey) {
    this.clock = clock;
    this.events = events;
    this.groupsNamed = groupsNamed;
    this.validation = validation;
    this.proposals = proposals;
    this.peerKey = peerKey;
  }

  /**
   * The peer informer, indexed so that a change of a peer reaches the groups it names (in the
   * peer's namespace).
   */
  @Override
  public List<EventSource<?, G>> prepareEventSources(EventSourceContext<G> context) {
    return List.of(
        PeerInformers.indexed(
            context,
            peer ->
                groupsNamed
                    .apply(PeerReferences.of(peer))
                    .map(g -> PeerInformers.id(g, peer.getMetadata().getNamespace()))
                    .collect(Collectors.toSet())));
  }

  @Override
  public UpdateControl<G> reconcile(G group, Context<G> context) {
    List<FieldError> errors = validation.apply(group.getSpec());
    int usedBy =
        PeerInformers.byKey(
                context,
                peerKey.apply(group.getMetadata().getNamespace(), group.getMetadata().getName()))
            .size();
    CryptoGroupStatus status =
        CryptoGroupStatusBuilder.build(
            group.getStatus(),
            group.getMetadata().getGeneration(),
            errors,
            errors.isEmpty() ? proposals.apply(group.getSpec()) : null,
            usedBy,
            clock);
    List<CryptoGroupEvents.GroupEvent> news = CryptoGroupEvents.between(group.getStatus(), status);
    UpdateControl<G> control = Statuses.writeIfChanged(group, status, context);
    // after the write, as for peers and gateways: a failed write must not tell its news twice
    news.forEach(e -> events.record(group, e.type(), e.reason(), e.message()));
    return control;
  }
}
