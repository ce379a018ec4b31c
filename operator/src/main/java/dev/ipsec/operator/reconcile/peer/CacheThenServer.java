package dev.ipsec.operator.reconcile.peer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds an object of one kind by name in an informer's cache and, only when the cache has none,
 * with one GET. A peer applied together with the group or gateway it names (one {@code kubectl
 * apply -f dir/}, one ArgoCD sync) is often reconciled before the informer that watches that group
 * has seen it: the cache answers "not found" for an object the API server has, and the peer would
 * be reported invalid, with a Warning Event, for the moment the informer lags. The API server is
 * the truth; the informer's event for the object follows and reconciles again from the cache.
 *
 * <p>An object being deleted counts as absent, whichever of the two answers: the peer's validation
 * and the gateway's rendering must agree on what exists (a group kept by a foreign finalizer would
 * otherwise be invalid for the peer and rendered by the gateway). Each name is asked of the server
 * at most once per instance: one instance serves one reconcile. A name that truly does not exist
 * costs a GET per reconcile, which is rare (a broken reference) and bounded by the retry pace of
 * the reconcile that finds it.
 */
public final class CacheThenServer<R extends HasMetadata> {

  private final Function<String, Optional<R>> cache;
  private final Function<String, R> server;
  private final Map<String, Optional<R>> asked = new HashMap<>();

  /**
   * @param cache the informer's view, empty for a name it does not hold
   * @param server the API server's answer for a name, null when there is no such object
   */
  public CacheThenServer(Function<String, Optional<R>> cache, Function<String, R> server) {
    this.cache = cache;
    this.server = server;
  }

  /** Looks objects of {@code type} in {@code namespace} up on the server through {@code client}. */
  public static <R extends HasMetadata> CacheThenServer<R> of(
      Function<String, Optional<R>> cache,
      KubernetesClient client,
      Class<R> type,
      String namespace) {
    return new CacheThenServer<>(
        cache, name -> client.resources(type).inNamespace(namespace).withName(name).get());
  }

  /**
   * The object named {@code name}, from the cache, else from the server; empty when neither has it.
   */
  public Optional<R> find(String name) {
    Optional<R> cached = cache.apply(name);
    if (cached.isPresent()) {
      return cached.filter(r -> !isDeleting(r)); // the server would say no more than the cache
    }
    return asked.computeIfAbsent(
        name, n -> Optional.ofNullable(server.apply(n)).filter(r -> !isDeleting(r)));
  }

  private static boolean isDeleting(HasMetadata r) {
    return r.getMetadata() != null && r.getMetadata().getDeletionTimestamp() != null;
  }
}
