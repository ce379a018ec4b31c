package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.CryptoGroupStatus;
import dev.ipsec.operator.reconcile.peer.PeerInformers;
import dev.ipsec.operator.reconcile.peer.PeerReferences;
import dev.ipsec.operator.reconcile.status.CryptoGroupStatusBuilder;
import dev.ipsec.operator.reconcile.status.Statuses;
import dev.ipsec.operator.render.FieldError;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The reconcile step an IkeGroup and an EspGroup share: validate the spec, show its proposals when
 * it is valid, count the peers that name it and write the status when it changed. Only how the
 * proposals read and which index key the peers use differ between the two kinds.
 */
final class CryptoGroupReconciling {

  private CryptoGroupReconciling() {}

  /**
   * The peer informer, indexed so that a change of a peer reaches the groups {@code groups} says it
   * names (in the peer's namespace).
   */
  static <G extends HasMetadata> List<EventSource<?, G>> peerEventSources(
      EventSourceContext<G> context, Function<PeerReferences, Stream<String>> groups) {
    return List.of(
        PeerInformers.indexed(
            context,
            peer ->
                groups
                    .apply(PeerReferences.of(peer))
                    .map(g -> PeerInformers.id(g, peer.getMetadata().getNamespace()))
                    .collect(Collectors.toSet())));
  }

  /**
   * @param proposals the proposal string of a valid spec
   * @param peerKey the peer index key of a group from its namespace and name
   */
  static <S, G extends CustomResource<S, CryptoGroupStatus>> UpdateControl<G> reconcile(
      G group,
      Context<G> context,
      List<FieldError> errors,
      Function<S, String> proposals,
      BinaryOperator<String> peerKey,
      Clock clock) {
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
    return Statuses.writeIfChanged(group, status, context);
  }
}
