package dev.ipsec.operator.reconcile.ownership;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes desired objects only when they differ from what exists: each carries the hash of its
 * desired state, and an equal hash in the cache means nothing to do. So a restart of the operator,
 * or a reconcile without changes, writes nothing. Writes are announced to the informer so the next
 * reconcile does not act on a stale cache.
 *
 * <p>Not JOSDK's dependent resources: shards vary in number and must be written highest index first
 * when their count grows, which these direct writes say more plainly than bulk dependents.
 */
public final class OwnedResources<R extends HasMetadata> {

  private static final Logger LOG = LoggerFactory.getLogger(OwnedResources.class);

  private final KubernetesClient client;
  private final InformerEventSource<R, ?> cache;

  public OwnedResources(KubernetesClient client, InformerEventSource<R, ?> cache) {
    this.client = client;
    this.cache = cache;
  }

  /** Creates or replaces {@code desired} unless it is already there; true when it wrote. */
  public boolean ensure(R desired) {
    R stamped = Hashing.stamped(desired);
    ResourceID id = ResourceID.fromResource(stamped);
    Optional<R> current = cache.get(id);
    String hash = Labels.desiredHash(stamped).orElseThrow();
    if (current.isPresent()
        && Objects.equals(Labels.desiredHash(current.get()).orElse(null), hash)) {
      return false;
    }
    if (current.isPresent()) {
      stamped.getMetadata().setResourceVersion(current.get().getMetadata().getResourceVersion());
      R updated = client.resource(stamped).update();
      cache.handleRecentResourceUpdate(id, updated, current.get());
      LOG.info("updated {} {}/{}", stamped.getKind(), id.getNamespace().orElse(""), id.getName());
    } else {
      R created = client.resource(stamped).createOr(NonDeletingOperation::update);
      cache.handleRecentResourceCreate(id, created);
      LOG.info("created {} {}/{}", stamped.getKind(), id.getNamespace().orElse(""), id.getName());
    }
    return true;
  }

  /**
   * Deletes the gateway's objects of this kind whose names are not in {@code keep}; true when any.
   */
  public boolean deleteOthers(String namespace, String gateway, Collection<String> keep) {
    Set<String> wanted = Set.copyOf(keep);
    var stale =
        cache
            .list(
                namespace,
                r ->
                    Labels.gatewayOf(r).filter(gateway::equals).isPresent()
                        && !wanted.contains(r.getMetadata().getName()))
            .collect(Collectors.toList());
    for (R r : stale) {
      client.resource(r).delete();
      LOG.info("deleted {} {}/{}", r.getKind(), namespace, r.getMetadata().getName());
    }
    return !stale.isEmpty();
  }

  public Collection<R> existing(String namespace, String gateway) {
    return cache
        .list(namespace, r -> Labels.gatewayOf(r).filter(gateway::equals).isPresent())
        .collect(Collectors.toList());
  }
}
