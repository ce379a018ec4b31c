package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Secrets and ConfigMaps one reconcile reads, in one namespace: from the {@link
 * ReferencedObjectCache} when they are labelled as referenced, otherwise with one GET, after which
 * the object is labelled (a JSON merge patch of that one label, never server-side apply) so that
 * its later changes, its deletion and the removal of the label arrive through the cache. Each name
 * is looked up once per reconcile, and labelled by one patch at a time across reconciles ({@link
 * LabelPatches}).
 *
 * <p>A missing object is empty, and remembered in {@link #missing()} (it cannot be watched by a
 * label it does not have yet; the peer's reconcile looks again, {@link MissingReferenceRecheck}).
 * Any other answer of the server (forbidden, unavailable) is thrown, never taken for a missing
 * object: a missing Secret revokes the configuration rendered from it. An object the operator owns
 * (a rendered shard) is no reference, as before, and is never labelled.
 */
public final class ReferenceLookup {

  private static final Logger LOG = LoggerFactory.getLogger(ReferenceLookup.class);

  private static final String LABEL_PATCH =
      "{\"metadata\":{\"labels\":{\""
          + Labels.REFERENCED
          + "\":\""
          + Labels.REFERENCED_VALUE
          + "\"}}}";

  private final KubernetesClient client;
  private final ReferencedObjectCache cache;
  private final String namespace;
  private final Map<String, Optional<Secret>> secrets = new HashMap<>();
  private final Map<String, Optional<ConfigMap>> configMaps = new HashMap<>();
  private final Set<String> missing = new TreeSet<>();

  public ReferenceLookup(KubernetesClient client, ReferencedObjectCache cache, String namespace) {
    this.client = client;
    this.cache = cache;
    this.namespace = namespace;
  }

  public Optional<Secret> secret(String name) {
    return secrets.computeIfAbsent(name, n -> find(Secret.class, n));
  }

  public Optional<ConfigMap> configMap(String name) {
    return configMaps.computeIfAbsent(name, n -> find(ConfigMap.class, n));
  }

  /** {@code Kind/name} of every object looked up that does not exist, in order. */
  public Set<String> missing() {
    return Set.copyOf(missing);
  }

  private <R extends HasMetadata> Optional<R> find(Class<R> kind, String name) {
    // an object whose label was removed leaves the selection (a real API server's watch says
    // DELETED); should a watch report it as modified instead, it is read and labelled again
    Optional<R> cached = cache.get(kind, namespace, name).filter(Labels::isMarkedReferenced);
    if (cached.isPresent()) {
      return cached;
    }
    // what this read finds is told to the cache, whose first sight of the object it labels then
    // reconciles no peer that already read the same content (FirstSight)
    cache.readBegins(kind, namespace, name);
    String read = null; // a failed read tells nothing: the reconcile is retried and reads again
    try {
      Optional<R> found = read(kind, name);
      read = found.map(ReferencedContent::of).orElse(ReferencedContent.MISSING);
      return found;
    } finally {
      cache.readEnded(kind, namespace, name, read);
    }
  }

  private <R extends HasMetadata> Optional<R> read(Class<R> kind, String name) {
    var resource = client.resources(kind).inNamespace(namespace).withName(name);
    long ticket = cache.labelPatches().readBegins();
    R live = resource.get();
    if (live == null) {
      missing.add(kind.getSimpleName() + "/" + name);
      return Optional.empty();
    }
    if (Labels.isOwned(live)) {
      return Optional.empty();
    }
    if (Labels.isMarkedReferenced(live)) {
      return Optional.of(live); // labelled a moment ago; the cache has not caught up
    }
    try {
      // one patch in flight per object: the other reconciles that read it unlabelled wait for it
      R labelled =
          cache
              .labelPatches()
              .label(
                  kind.getSimpleName() + "/" + namespace + "/" + name,
                  live.getMetadata().getUid(),
                  ticket,
                  () -> {
                    R patched = resource.patch(PatchContext.of(PatchType.JSON_MERGE), LABEL_PATCH);
                    LOG.info(
                        "labelled {} {}/{} {}={}: a peer refers to it",
                        kind.getSimpleName(),
                        namespace,
                        name,
                        Labels.REFERENCED,
                        Labels.REFERENCED_VALUE);
                    return patched;
                  });
      return Optional.of(labelled);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        missing.add(kind.getSimpleName() + "/" + name); // deleted between the GET and the patch
        return Optional.empty();
      }
      throw e;
    }
  }
}
