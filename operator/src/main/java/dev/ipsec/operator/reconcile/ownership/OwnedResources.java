package dev.ipsec.operator.reconcile.ownership;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a gateway's desired objects, only where they differ from what exists, and only over
 * objects that are the gateway's.
 *
 * <ul>
 *   <li>An object of the gateway is compared on content ({@link ResourceDrift}); any difference,
 *       whether the desired state changed or someone edited the object, is written back. An object
 *       equal to its desired state is not written, so a restart of the operator, or a reconcile
 *       without changes, writes nothing.
 *   <li>An object that has the name but is not the gateway's (no operator labels, or another
 *       gateway's) is neither overwritten nor adopted: it is recorded in {@link NameConflicts}.
 *       Objects are only ever created, never created-or-replaced; a GET of the name (ConfigMaps,
 *       Secrets) or the server's AlreadyExists answer finds such a name.
 *   <li>An object is the gateway's when its labels say so, or, if its labels were removed, when its
 *       controller reference is the gateway's own (the labels are then written back).
 * </ul>
 *
 * <p>Writes are announced to the informer so the next reconcile does not act on a stale cache. Not
 * JOSDK's dependent resources: shards vary in number and must be written highest index first when
 * their count grows, which these direct writes say more plainly than bulk dependents.
 */
public final class OwnedResources<R extends HasMetadata> {

  private static final Logger LOG = LoggerFactory.getLogger(OwnedResources.class);

  private final WritePass pass;
  private final InformerEventSource<R, ?> cache;
  private final Function<ResourceID, Optional<R>> unlabelled;

  /**
   * @param cache the informer of the kind's objects labelled as the operator's
   * @param unlabelled an object not in {@code cache}, by name, as the server has it (a GET), for
   *     the kinds a gateway's pods project by name; otherwise always empty (the server's
   *     AlreadyExists tells then)
   */
  public OwnedResources(
      WritePass pass,
      InformerEventSource<R, ?> cache,
      Function<ResourceID, Optional<R>> unlabelled) {
    this.pass = pass;
    this.cache = cache;
    this.unlabelled = unlabelled;
  }

  /**
   * Creates {@code desired}, or writes it over the gateway's object of that name where that
   * differs; records a conflict instead when the name is taken by an object that is not the
   * gateway's.
   *
   * @return true when it wrote
   */
  public boolean ensure(R desired) {
    R stamped = Hashing.stamped(desired);
    try {
      return ensureStamped(stamped);
    } catch (Refused refused) {
      // the others are still written where that is safe; the caller decides what waits for this
      pass.failures().add(refused.failure);
      LOG.warn("not written: {}", refused.failure.describe());
      return false;
    }
  }

  private boolean ensureStamped(R stamped) {
    ResourceID id = ResourceID.fromResource(stamped);
    Optional<R> labelled = cache.get(id);
    if (labelled.isPresent()) {
      return Ownership.isOurs(labelled.get(), stamped)
          ? writeIfDrifted(stamped, labelled.get(), true)
          : refuse(labelled.get(), stamped);
    }
    Optional<R> other = request(stamped, "get", () -> unlabelled.apply(id));
    if (other.isPresent()) {
      return Ownership.isOurs(other.get(), stamped)
          ? writeIfDrifted(stamped, other.get(), false)
          : refuse(other.get(), stamped);
    }
    return create(stamped, id);
  }

  private boolean create(R stamped, ResourceID id) {
    R created;
    try {
      created = request(stamped, "create", () -> pass.client().resource(stamped).create());
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      // a name no cache of ours shows (a kind without a cache of unlabelled objects, or a cache
      // that has not caught up): find out whose it is
      R existing = request(stamped, "get", () -> pass.client().resource(stamped).get());
      if (existing != null && Ownership.isOurs(existing, stamped)) {
        return writeIfDrifted(stamped, existing, false);
      }
      return refuse(existing, stamped);
    }
    cache.handleRecentResourceCreate(id, created);
    pass.checked().record(created, desiredHash(stamped));
    LOG.info("created {} {}/{}", stamped.getKind(), id.getNamespace().orElse(""), id.getName());
    return true;
  }

  /**
   * Writes {@code stamped} over {@code live} unless live already holds it.
   *
   * @param inCache whether {@code live} is in the informer's cache (else it enters it by this
   *     write, its labels restored)
   */
  private boolean writeIfDrifted(R stamped, R live, boolean inCache) {
    String hash = desiredHash(stamped);
    if (pass.checked().unchangedSince(live, hash)) {
      return false;
    }
    List<String> drift = ResourceDrift.between(stamped, live);
    if (drift.isEmpty()) {
      pass.checked().record(live, hash);
      return false;
    }
    ResourceID id = ResourceID.fromResource(stamped);
    stamped.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
    R updated = request(stamped, "update", () -> pass.client().resource(stamped).update());
    if (inCache) {
      cache.handleRecentResourceUpdate(id, updated, live);
    } else {
      cache.handleRecentResourceCreate(id, updated);
    }
    pass.checked().record(updated, hash);
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

  private boolean refuse(R existing, R stamped) {
    NameConflict conflict =
        existing == null
            ? new NameConflict(stamped.getKind(), stamped.getMetadata().getName(), "exists")
            : NameConflict.of(existing);
    pass.conflicts().add(conflict);
    LOG.debug("not writing {}: the name is taken", conflict.describe());
    return false;
  }

  /**
   * Records a conflict, without writing anything, if an object named {@code name} exists that is
   * not {@code gateway}'s: for names the gateway does not use now but its pods would mount (shards
   * past the count in use).
   *
   * @return true when the name is free: no one else's object holds it, and the lookup was answered
   */
  public boolean reportForeign(String namespace, String name, String gateway) {
    ResourceID id = new ResourceID(name, namespace);
    try {
      Optional<R> foreign =
          cache
              .get(id)
              .filter(r -> !Labels.gatewayOf(r).filter(gateway::equals).isPresent())
              .or(() -> unlabelled.apply(id));
      foreign.ifPresent(r -> pass.conflicts().add(NameConflict.of(r)));
      return foreign.isEmpty();
    } catch (KubernetesClientException e) {
      if (!WriteFailure.isReported(e)) {
        throw e;
      }
      WriteFailure failure =
          WriteFailure.of(HasMetadata.getKind(cache.resourceType()), name, null, "get", e);
      pass.failures().add(failure);
      LOG.warn("not checked: {}", failure.describe());
      return false;
    }
  }

  /**
   * Deletes the gateway's objects of this kind whose names are not in {@code keep}; true when any.
   */
  public boolean deleteOthers(String namespace, String gateway, Collection<String> keep) {
    Set<String> wanted = Set.copyOf(keep);
    var stale =
        existing(namespace, gateway).stream()
            .filter(r -> !wanted.contains(r.getMetadata().getName()))
            .collect(Collectors.toList());
    for (R r : stale) {
      try {
        request(r, "delete", () -> pass.client().resource(r).delete());
      } catch (Refused refused) {
        pass.failures().add(refused.failure);
        LOG.warn("not deleted: {}", refused.failure.describe());
        continue;
      }
      pass.checked().forget(r);
      LOG.info("deleted {} {}/{}", r.getKind(), namespace, r.getMetadata().getName());
    }
    return !stale.isEmpty();
  }

  /**
   * Makes {@code call}, a request about {@code object}; a refusal users are to be told about
   * ({@link WriteFailure#isReported}) becomes a {@link Refused}, anything else fails the reconcile
   * as before.
   */
  private static <T> T request(HasMetadata object, String verb, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      if (!WriteFailure.isReported(e)) {
        throw e;
      }
      throw new Refused(WriteFailure.of(object, verb, e));
    }
  }

  /** A request about one object the server refused: ends that object's write, not the pass. */
  private static final class Refused extends RuntimeException {
    private final transient WriteFailure failure;

    Refused(WriteFailure failure) {
      super(failure.describe(), null, false, false);
      this.failure = failure;
    }
  }

  /**
   * The gateway's objects of this kind, from the cache's {@link Labels#GATEWAY_INDEX}: a lookup,
   * not a scan of every owned object of the namespace.
   */
  public Collection<R> existing(String namespace, String gateway) {
    return List.copyOf(
        cache.byIndex(Labels.GATEWAY_INDEX, Labels.gatewayIndexKey(namespace, gateway)));
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
