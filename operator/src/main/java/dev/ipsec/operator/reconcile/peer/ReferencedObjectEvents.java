package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Collection;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One controller's events from the shared {@link ReferencedObjectCache}: a referenced Secret or
 * ConfigMap that appears (unless every peer already read it as it is, {@link FirstSight}), changes
 * what peers read of it, disappears or loses its label (it then leaves the cache, which an informer
 * reports as a deletion) reconciles the primaries {@code toPrimaries} maps it to. A trigger only:
 * reconcilers read the objects through {@link ReferenceLookup}.
 */
public final class ReferencedObjectEvents<R extends HasMetadata, P extends HasMetadata>
    extends AbstractEventSource<R, P> {

  private final SecondaryToPrimaryMapper<R> toPrimaries;
  private final ReferencedObjectCache cache;

  public ReferencedObjectEvents(
      String name,
      Class<R> kind,
      ReferencedObjectCache cache,
      SecondaryToPrimaryMapper<R> toPrimaries) {
    super(kind, name);
    this.toPrimaries = toPrimaries;
    this.cache = cache;
    // only what changes what peers read, see ReferencedObjectCache
    cache.addListener(kind, this::fire);
  }

  /**
   * Events of the referenced objects of one kind, to the primaries of the peers that name the
   * object: the wiring both controllers use, through {@link PeerReferencedInformers#viaPeers}.
   *
   * @param indexKey the peer index key of an object of {@code kind} ({@code
   *     PeerReferences::secretKey})
   * @param peersByKey the peers under an index key
   * @param primariesOf the primaries a peer stands for
   */
  public static <R extends HasMetadata, P extends HasMetadata>
      ReferencedObjectEvents<R, P> viaPeers(
          String name,
          Class<R> kind,
          ReferencedObjectCache cache,
          BiFunction<String, String, String> indexKey,
          Function<String, Collection<IpsecPeer>> peersByKey,
          Function<IpsecPeer, Stream<ResourceID>> primariesOf) {
    return new ReferencedObjectEvents<>(
        name, kind, cache, PeerReferencedInformers.viaPeers(indexKey, peersByKey, primariesOf));
  }

  /** The shared informers' health, so that {@code /readyz} counts them like JOSDK's own. */
  @Override
  public Status getStatus() {
    return cache.healthy() ? Status.HEALTHY : Status.UNHEALTHY;
  }

  @Override
  public Set<R> getSecondaryResources(P primary) {
    return Set.of();
  }

  private void fire(R object) {
    if (!isRunning()) {
      return; // JOSDK reconciles every primary when a controller starts
    }
    for (ResourceID id : toPrimaries.toPrimaryResourceIDs(object)) {
      getEventHandler().handleEvent(new Event(id));
    }
  }
}
