package dev.ipsec.operator.reconcile.ownership;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes desired objects only where they differ from what exists: each is compared with the cached
 * object on content ({@link ResourceDrift}), so any difference, whether the desired state changed
 * or someone edited the object (leaving its desired-hash annotation alone or not), is written back,
 * and an object equal to its desired state is not written: a restart of the operator, or a
 * reconcile without changes, writes nothing. Writes are announced to the informer so the next
 * reconcile does not act on a stale cache.
 *
 * <p>Not JOSDK's dependent resources: shards vary in number and must be written highest index first
 * when their count grows, which these direct writes say more plainly than bulk dependents.
 */
public final class OwnedResources<R extends HasMetadata> {

  private static final Logger LOG = LoggerFactory.getLogger(OwnedResources.class);

  private final KubernetesClient client;
  private final InformerEventSource<R, ?> cache;
  private final CheckedVersions checked;

  public OwnedResources(
      KubernetesClient client, InformerEventSource<R, ?> cache, CheckedVersions checked) {
    this.client = client;
    this.cache = cache;
    this.checked = checked;
  }

  /** Creates or replaces {@code desired} unless it is already there; true when it wrote. */
  public boolean ensure(R desired) {
    R stamped = Hashing.stamped(desired);
    ResourceID id = ResourceID.fromResource(stamped);
    Optional<R> current = cache.get(id);
    if (current.isPresent()) {
      return writeIfDrifted(stamped, current.get());
    }
    R created = client.resource(stamped).createOr(NonDeletingOperation::update);
    cache.handleRecentResourceCreate(id, created);
    checked.record(created, desiredHash(stamped));
    LOG.info("created {} {}/{}", stamped.getKind(), id.getNamespace().orElse(""), id.getName());
    return true;
  }

  /** Writes {@code stamped} over {@code live} unless live already holds it. */
  private boolean writeIfDrifted(R stamped, R live) {
    String hash = desiredHash(stamped);
    if (checked.unchangedSince(live, hash)) {
      return false;
    }
    List<String> drift = ResourceDrift.between(stamped, live);
    if (drift.isEmpty()) {
      checked.record(live, hash);
      return false;
    }
    ResourceID id = ResourceID.fromResource(stamped);
    stamped.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
    R updated = client.resource(stamped).update();
    cache.handleRecentResourceUpdate(id, updated, live);
    checked.record(updated, hash);
    String what = stamped.getKind() + " " + id.getNamespace().orElse("") + "/" + id.getName();
    if (hash.equals(Labels.desiredHash(live).orElse(null))) {
      // the desired state is what was last written: someone else changed the object. Paths and
      // key names only, never values (Secrets)
      LOG.info("reverted {}: changed outside the operator at {}", what, summary(drift));
    } else {
      LOG.info("updated {}", what);
    }
    List<String> residual = ResourceDrift.between(stamped, updated);
    if (!residual.isEmpty()) {
      LOG.warn(
          "{} still differs after the operator wrote it, at {}: the API server (an admission"
              + " webhook?) changes it on every write; accepted until it changes again",
          what,
          summary(residual));
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
      checked.forget(r);
      LOG.info("deleted {} {}/{}", r.getKind(), namespace, r.getMetadata().getName());
    }
    return !stale.isEmpty();
  }

  public Collection<R> existing(String namespace, String gateway) {
    return cache
        .list(namespace, r -> Labels.gatewayOf(r).filter(gateway::equals).isPresent())
        .collect(Collectors.toList());
  }

  private static String desiredHash(HasMetadata stamped) {
    return Labels.desiredHash(stamped).orElseThrow();
  }

  /** At most five paths, so a log line stays a line. */
  private static String summary(List<String> paths) {
    return paths.size() <= 5
        ? String.join(", ", paths)
        : String.join(", ", paths.subList(0, 5)) + " and " + (paths.size() - 5) + " more";
  }
}
