package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;

/**
 * An IpsecPeer informer as a secondary source of another controller, indexed by
 * {@link PeerReferences}, so "which peers use X" is an index lookup and never a list.
 */
final class PeerInformers {

  static final String NAME = "ipsec-peers";

  private PeerInformers() {}

  static <P extends HasMetadata> InformerEventSource<IpsecPeer, P> indexed(
      EventSourceContext<P> context, SecondaryToPrimaryMapper<IpsecPeer> toPrimaries) {
    var config = InformerEventSourceConfiguration.from(IpsecPeer.class, context.getPrimaryResourceClass())
        .withName(NAME)
        .withSecondaryToPrimaryMapper(toPrimaries)
        // a peer's status changes often (tunnels up and down) and concerns no other resource:
        // only spec changes (a new generation) reach the groups and the gateway
        .withOnUpdateFilter((newPeer, oldPeer) -> !java.util.Objects.equals(
            newPeer.getMetadata().getGeneration(), oldPeer.getMetadata().getGeneration()))
        .withNamespacesInheritedFromController()
        .build();
    InformerEventSource<IpsecPeer, P> source = new InformerEventSource<>(config, context);
    source.addIndexers(Map.of(PeerReferences.INDEX, PeerReferences::indexKeys));
    return source;
  }

  @SuppressWarnings("unchecked")
  static <P extends HasMetadata> List<IpsecPeer> byKey(Context<P> context, String key) {
    var source = (InformerEventSource<IpsecPeer, P>)
        context.eventSourceRetriever().getEventSourceFor(IpsecPeer.class, NAME);
    return source.byIndex(PeerReferences.INDEX, key);
  }

  static ResourceID id(String name, String namespace) {
    return new ResourceID(name, namespace);
  }
}
