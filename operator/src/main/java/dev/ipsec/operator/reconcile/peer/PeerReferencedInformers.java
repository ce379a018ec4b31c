package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Collection;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Informers of the kinds peers refer to (IpsecGlobals, IkeGroups, EspGroups; Secrets and ConfigMaps
 * through {@link ReferencedObjectCache} and {@link ReferencedObjectEvents}), for both controllers:
 * a change of such an object is mapped, through the peer index of {@link PeerReferences}, to the
 * peers that name it and from them to the controller's primaries (the peers themselves, or their
 * gateways). Never a list of all peers.
 */
public final class PeerReferencedInformers {

  private PeerReferencedInformers() {}

  /**
   * The configuration of one such informer, to which a controller may add more (a name, a
   * primary-to-secondary mapper) before building it.
   *
   * @param indexKey the peer index key of an object of {@code type} ({@code
   *     PeerReferences::secretKey})
   * @param peersByKey the peers under an index key
   * @param primariesOf the primaries a peer stands for
   */
  public static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> of(
      Class<R> type,
      Class<? extends HasMetadata> primary,
      BiFunction<String, String, String> indexKey,
      Function<String, Collection<IpsecPeer>> peersByKey,
      Function<IpsecPeer, Stream<ResourceID>> primariesOf) {
    if (type == Secret.class || type == ConfigMap.class) {
      // an informer per controller of every unlabelled Secret would cache the cluster's Secrets
      // twice: those kinds come from the shared, label-selected ReferencedObjectCache
      throw new IllegalArgumentException(
          type.getSimpleName() + " references are watched through ReferencedObjectCache");
    }
    return InformerEventSourceConfiguration.from(type, primary)
        .withSecondaryToPrimaryMapper(viaPeers(indexKey, peersByKey, primariesOf))
        .withNamespacesInheritedFromController();
  }

  /**
   * The mapping {@link #of} installs: an object to the primaries of the peers that name it. For a
   * controller that maps the same objects by something else as well.
   */
  public static <R extends HasMetadata> SecondaryToPrimaryMapper<R> viaPeers(
      BiFunction<String, String, String> indexKey,
      Function<String, Collection<IpsecPeer>> peersByKey,
      Function<IpsecPeer, Stream<ResourceID>> primariesOf) {
    return r -> {
      String key = indexKey.apply(r.getMetadata().getNamespace(), r.getMetadata().getName());
      return peersByKey.apply(key).stream().flatMap(primariesOf).collect(Collectors.toSet());
    };
  }

  /** An object that is not being deleted: one on its way out counts as gone already. */
  public static boolean notDeleting(HasMetadata r) {
    return r.getMetadata().getDeletionTimestamp() == null;
  }

  /** The gateway a peer is served by, as the primary of the IpsecGlobal controller. */
  public static Stream<ResourceID> gatewayOf(IpsecPeer peer) {
    return PeerReferences.of(peer).gateway().stream()
        .map(g -> new ResourceID(g, peer.getMetadata().getNamespace()));
  }

  /** A peer itself, as the primary of the IpsecPeer controller. */
  public static Stream<ResourceID> itself(IpsecPeer peer) {
    return Stream.of(ResourceID.fromResource(peer));
  }

  /** The objects of one kind a peer names, by name: for a peer that appears before them. */
  public static Set<ResourceID> named(
      IpsecPeer peer, Function<PeerReferences, Collection<String>> names) {
    PeerReferences refs = PeerReferences.of(peer);
    return names.apply(refs).stream()
        .map(n -> new ResourceID(n, refs.namespace()))
        .collect(Collectors.toSet());
  }
}
