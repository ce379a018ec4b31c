package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one cache of the Secrets and ConfigMaps peers refer to, shared by both controllers: one
 * informer per kind (and watched namespace), selecting {@link Labels#REFERENCED}. Secrets the
 * operator does not read are never listed, watched or held, whatever their number or size; the
 * objects it does read are labelled by {@link ReferenceLookup} on first sight, and from then on
 * their changes arrive here. The operator's own shards are in the gateway controller's caches of
 * owned objects, not here.
 *
 * <p>Why a cache of its own rather than a JOSDK informer per controller: each controller's
 * informers are its own, so both controllers would hold every referenced object twice. Each
 * controller gets events from this cache through a {@link ReferencedObjectEvents} instead.
 */
public final class ReferencedObjectCache implements AutoCloseable {

  private final Map<Class<?>, List<SharedIndexInformer<? extends HasMetadata>>> informers;

  private ReferencedObjectCache(
      Map<Class<?>, List<SharedIndexInformer<? extends HasMetadata>>> informers) {
    this.informers = informers;
  }

  /**
   * Starts the informers and waits until each has listed what it selects.
   *
   * @param namespaces the namespaces watched; empty watches all
   */
  public static ReferencedObjectCache start(KubernetesClient client, Set<String> namespaces) {
    return new ReferencedObjectCache(
        Map.of(
            Secret.class, inform(client, Secret.class, namespaces),
            ConfigMap.class, inform(client, ConfigMap.class, namespaces)));
  }

  private static <R extends HasMetadata> List<SharedIndexInformer<? extends HasMetadata>> inform(
      KubernetesClient client, Class<R> kind, Set<String> namespaces) {
    List<SharedIndexInformer<? extends HasMetadata>> started = new ArrayList<>();
    if (namespaces.isEmpty()) {
      started.add(
          client
              .resources(kind)
              .inAnyNamespace()
              .withLabel(Labels.REFERENCED, Labels.REFERENCED_VALUE)
              .inform());
    } else {
      for (String ns : namespaces) {
        started.add(
            client
                .resources(kind)
                .inNamespace(ns)
                .withLabel(Labels.REFERENCED, Labels.REFERENCED_VALUE)
                .inform());
      }
    }
    return List.copyOf(started);
  }

  /** The cached object of {@code kind} (Secret or ConfigMap), if it is labelled as referenced. */
  public <R extends HasMetadata> Optional<R> get(Class<R> kind, String namespace, String name) {
    String key = namespace + "/" + name;
    for (SharedIndexInformer<? extends HasMetadata> informer : of(kind)) {
      HasMetadata found = informer.getStore().getByKey(key);
      if (found != null) {
        return Optional.of(kind.cast(found));
      }
    }
    return Optional.empty();
  }

  /** How many objects of {@code kind} the cache holds: for the tests and the benchmark. */
  public int size(Class<? extends HasMetadata> kind) {
    return of(kind).stream().mapToInt(i -> i.getStore().list().size()).sum();
  }

  /**
   * Whether every informer runs and watches: part of the operator's readiness, through each
   * controller's {@link ReferencedObjectEvents}.
   */
  public boolean healthy() {
    return informers.values().stream()
        .flatMap(List::stream)
        .allMatch(i -> i.isRunning() && i.isWatching());
  }

  /** Tells {@code handler} about every change of {@code kind}; existing objects come as adds. */
  @SuppressWarnings("unchecked")
  <R extends HasMetadata> void addHandler(Class<R> kind, ResourceEventHandler<R> handler) {
    for (SharedIndexInformer<? extends HasMetadata> informer : of(kind)) {
      ((SharedIndexInformer<R>) informer).addEventHandler(handler);
    }
  }

  private List<SharedIndexInformer<? extends HasMetadata>> of(Class<?> kind) {
    List<SharedIndexInformer<? extends HasMetadata>> found = informers.get(kind);
    if (found == null) {
      throw new IllegalArgumentException("no cache of referenced " + kind.getSimpleName());
    }
    return found;
  }

  @Override
  public void close() {
    informers.values().forEach(list -> list.forEach(SharedIndexInformer::close));
  }
}
