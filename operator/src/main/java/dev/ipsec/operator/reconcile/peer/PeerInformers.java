package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An IpsecPeer informer as a secondary source of another controller, indexed by {@link
 * PeerReferences}, so "which peers use X" is an index lookup and never a list. A spec change
 * reaches the objects the peer names now and also those it named before (see {@link
 * ReferenceFollowingInformer}).
 */
public final class PeerInformers {

  static final String NAME = "ipsec-peers";

  private PeerInformers() {}

  public static <P extends HasMetadata> InformerEventSource<IpsecPeer, P> indexed(
      EventSourceContext<P> context, SecondaryToPrimaryMapper<IpsecPeer> toPrimaries) {
    SpecOnlyPeerStore store = new SpecOnlyPeerStore();
    var config =
        InformerEventSourceConfiguration.from(IpsecPeer.class, context.getPrimaryResourceClass())
            .withName(NAME)
            .withSecondaryToPrimaryMapper(toPrimaries)
            // a peer's status changes often (tunnels up and down) and concerns no other resource:
            // only spec changes (a new generation) reach the groups and the gateway
            .withOnUpdateFilter((newPeer, oldPeer) -> specChanged(oldPeer, newPeer))
            .withNamespacesInheritedFromController()
            // no other controller reads a peer's status: its cache holds spec and metadata only,
            // indexed by what each peer names
            .withItemStore(store)
            .build();
    return new ReferenceFollowingInformer<>(config, context, toPrimaries, store);
  }

  @SuppressWarnings("unchecked")
  public static <P extends HasMetadata> List<IpsecPeer> byKey(Context<P> context, String key) {
    var source =
        (InformerEventSource<IpsecPeer, P>)
            context.eventSourceRetriever().getEventSourceFor(IpsecPeer.class, NAME);
    return source.byIndex(PeerReferences.INDEX, key);
  }

  public static ResourceID id(String name, String namespace) {
    return new ResourceID(name, namespace);
  }

  private static boolean specChanged(IpsecPeer oldPeer, IpsecPeer newPeer) {
    return !Objects.equals(
        newPeer.getMetadata().getGeneration(), oldPeer.getMetadata().getGeneration());
  }

  /**
   * JOSDK maps an update through the new object only: a peer moved from group A to group B (or from
   * one gateway to another) would reconcile B, and A would keep counting, or rendering, a peer it
   * lost until the next resync. The informer hands over the previous object with every update, so
   * it is the memory of the previous references: the primaries the old spec named and the new one
   * does not get an event too. Deletion needs nothing extra (the deleted object still names its
   * references, and the index no longer holds it).
   */
  private static final class ReferenceFollowingInformer<P extends HasMetadata>
      extends InformerEventSource<IpsecPeer, P> {

    private final SecondaryToPrimaryMapper<IpsecPeer> toPrimaries;
    private final SpecOnlyPeerStore store;

    ReferenceFollowingInformer(
        InformerEventSourceConfiguration<IpsecPeer> config,
        EventSourceContext<P> context,
        SecondaryToPrimaryMapper<IpsecPeer> toPrimaries,
        SpecOnlyPeerStore store) {
      super(config, context);
      this.toPrimaries = toPrimaries;
      this.store = store;
    }

    /**
     * {@link PeerReferences#INDEX} from the store's own index, which never loses a peer while the
     * informer replaces it; fabric8's would (see {@link PeerReferenceIndex}). The store holds the
     * peers of every namespace the informer watches.
     */
    @Override
    public List<IpsecPeer> byIndex(String indexName, String indexKey) {
      return PeerReferences.INDEX.equals(indexName)
          ? store.byReference(indexKey)
          : super.byIndex(indexName, indexKey);
    }

    @Override
    public void onUpdate(IpsecPeer oldPeer, IpsecPeer newPeer) {
      super.onUpdate(oldPeer, newPeer);
      if (!isRunning() || !specChanged(oldPeer, newPeer)) {
        return;
      }
      Set<ResourceID> left = new HashSet<>(toPrimaries.toPrimaryResourceIDs(oldPeer));
      left.removeAll(toPrimaries.toPrimaryResourceIDs(newPeer));
      left.forEach(primary -> getEventHandler().handleEvent(new Event(primary)));
    }
  }
}
