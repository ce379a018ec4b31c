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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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
 *
 * <p>What the cache tells the controllers is a change of what peers read ({@link
 * ReferencedContent}), not every new resourceVersion: a change of metadata alone reconciles nobody,
 * and an object's first sight only when a peer may not have read it yet ({@link FirstSight}):
 * labelling a Secret that 10,000 peers name reconciled all of them once more.
 */
public final class ReferencedObjectCache implements AutoCloseable {

  private final Map<Class<?>, List<SharedIndexInformer<? extends HasMetadata>>> informers =
      new ConcurrentHashMap<>();
  private final Map<Class<?>, List<Consumer<HasMetadata>>> listeners = new ConcurrentHashMap<>();
  private final FirstSight firstSight = new FirstSight();
  private final LabelPatches labelPatches = new LabelPatches();

  /**
   * The objects the informers listed at the start, as key=content: the informers tell their
   * handlers about them after the start, possibly once the controllers run, whose first reconcile
   * of every primary reads them from the cache anyway.
   */
  private final Set<String> listedAtStart = ConcurrentHashMap.newKeySet();

  private ReferencedObjectCache() {}

  /**
   * Starts the informers and waits until each has listed what it selects.
   *
   * @param namespaces the namespaces watched; empty watches all
   */
  public static ReferencedObjectCache start(KubernetesClient client, Set<String> namespaces) {
    ReferencedObjectCache cache = new ReferencedObjectCache();
    cache.inform(client, Secret.class, namespaces);
    cache.inform(client, ConfigMap.class, namespaces);
    cache.informers.forEach(
        (kind, informers) ->
            informers.forEach(
                i -> i.getStore().list().forEach(o -> cache.listedAtStart.add(listed(kind, o)))));
    return cache;
  }

  private <R extends HasMetadata> void inform(
      KubernetesClient client, Class<R> kind, Set<String> namespaces) {
    listeners.put(kind, new CopyOnWriteArrayList<>());
    ResourceEventHandler<R> handler = new Changes<>(kind);
    List<SharedIndexInformer<? extends HasMetadata>> started = new ArrayList<>();
    if (namespaces.isEmpty()) {
      started.add(
          client
              .resources(kind)
              .inAnyNamespace()
              .withLabel(Labels.REFERENCED, Labels.REFERENCED_VALUE)
              .inform(handler));
    } else {
      for (String ns : namespaces) {
        started.add(
            client
                .resources(kind)
                .inNamespace(ns)
                .withLabel(Labels.REFERENCED, Labels.REFERENCED_VALUE)
                .inform(handler));
      }
    }
    informers.put(kind, List.copyOf(started));
  }

  /** Tells the listeners of one kind what changed for the peers, see the class comment. */
  private final class Changes<R extends HasMetadata> implements ResourceEventHandler<R> {
    private final Class<R> kind;

    Changes(Class<R> kind) {
      this.kind = kind;
    }

    @Override
    public void onAdd(R obj) {
      if (listedAtStart.remove(listed(kind, obj))) {
        return;
      }
      firstSight.arrived(key(kind, obj), ReferencedContent.of(obj), () -> tell(obj));
    }

    @Override
    public void onUpdate(R oldObj, R newObj) {
      // a resync hands the same version over again, and a change of metadata alone (our own
      // label, a no-op patch) changes nothing a peer reads
      if (!Objects.equals(ReferencedContent.of(oldObj), ReferencedContent.of(newObj))) {
        tell(newObj);
      }
    }

    @Override
    public void onDelete(R obj, boolean deletedFinalStateUnknown) {
      firstSight.left(key(kind, obj));
      tell(obj);
    }

    private void tell(R obj) {
      listeners.get(kind).forEach(l -> l.accept(obj));
    }
  }

  private static String listed(Class<?> kind, HasMetadata obj) {
    return key(kind, obj) + "=" + ReferencedContent.of(obj);
  }

  private static String key(Class<?> kind, HasMetadata obj) {
    return key(kind, obj.getMetadata().getNamespace(), obj.getMetadata().getName());
  }

  private static String key(Class<?> kind, String namespace, String name) {
    return kind.getSimpleName() + "/" + namespace + "/" + name;
  }

  /** A lookup of an object the cache does not hold begins: see {@link FirstSight}. */
  void readBegins(Class<?> kind, String namespace, String name) {
    firstSight.begin(key(kind, namespace, name));
  }

  /**
   * The lookup begun with {@link #readBegins} ended with {@code content} ({@link
   * ReferencedContent#MISSING}, or null when it failed).
   */
  void readEnded(Class<?> kind, String namespace, String name, String content) {
    firstSight.end(key(kind, namespace, name), content);
  }

  /** The label patches of the objects lookups read, one in flight per object. */
  LabelPatches labelPatches() {
    return labelPatches;
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

  /**
   * Tells {@code listener} about every change of {@code kind} its peers need to see, from now on:
   * an object that arrives, leaves or changes what peers read. For both controllers' {@link
   * ReferencedObjectEvents}, and tests.
   */
  @SuppressWarnings("unchecked")
  public <R extends HasMetadata> void addListener(Class<R> kind, Consumer<R> listener) {
    of(kind); // a kind the cache has
    listeners.get(kind).add(o -> listener.accept((R) o));
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
