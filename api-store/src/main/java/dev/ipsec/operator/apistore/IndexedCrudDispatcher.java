package dev.ipsec.operator.apistore;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import java.lang.reflect.Field;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * fabric8's CRUD store (the mock API server's objects) with an index of its keys: finding the
 * object a write names takes a look-up instead of a scan of every stored object. fabric8's {@code
 * findResource} scans the whole store for each create, update, patch and delete, so a store of n
 * objects spent O(n^2) on n writes: with 10,000 IpsecPeers that was most of the time of {@code
 * ScaleBenchmark}.
 *
 * <p>GETs of one object or a list are answered from the index too ({@link #handleGet}), under
 * fabric8's own read lock. Everything else is fabric8's: the same store, handlers,
 * resourceVersions, watch events and answers. The index follows the store through the one method
 * fabric8 changes it with ({@link #processEvent}, called under the store's write lock) and {@link
 * #reset}; a look-up checks every candidate with fabric8's own matching and returns the first in
 * the store's order, so it finds exactly what the scan found ({@code IndexedCrudDispatcherTest}
 * compares the two).
 */
public class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private final StoreIndex index = new StoreIndex();
  private final KubernetesResponseComposer lists = new KubernetesResponseComposer();

  /** The newest resourceVersion handed out: what fabric8 puts on a list. */
  private final AtomicLong newestVersion = new AtomicLong();

  /**
   * fabric8's read lock, which its GETs hold: a read sees the store between two writes, never in
   * the middle of one (an update removes the old key before it puts the new one).
   */
  private final Lock readLock = storeLock(this).readLock();

  public IndexedCrudDispatcher() {
    super();
  }

  public IndexedCrudDispatcher(List<CustomResourceDefinitionContext> crdContexts) {
    super(crdContexts);
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    return index
        .first(query)
        .<Map.Entry<AttributeSet, String>>map(
            key -> new AbstractMap.SimpleImmutableEntry<>(key, map.get(key)))
        .orElse(null);
  }

  /**
   * fabric8's change of the store (remove the old key, put the new one, tell the watches), then the
   * same change of the index. The new key is computed as fabric8 computes it: from the resource
   * when there is one, else from the stored JSON, with the path's attributes when those name no
   * resource.
   */
  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (oldAttributes != null) {
      index.remove(oldAttributes);
    }
    if (newState != null) {
      index.put(newKey(pathAttributes, resource, newState));
    }
  }

  /**
   * A GET of one object or of a list, from the index; as fabric8's {@code handle}: the first match
   * for a name, else 404; every match for a list, in the store's order, with the newest
   * resourceVersion. fabric8 answers what the index does not: watches, and a list with no items
   * (which may be a discovery document of a custom resource's group).
   */
  @Override
  public MockResponse handleGet(String path) {
    if (path.contains("watch=")) {
      return super.handleGet(path);
    }
    AttributeSet query = attributeExtractor.fromPath(path);
    List<String> found = new ArrayList<>();
    String version;
    readLock.lock();
    try {
      for (AttributeSet key : index.matching(query)) {
        found.add(map.get(key));
      }
      version = String.valueOf(newestVersion.get());
    } finally {
      readLock.unlock();
    }
    if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
      return found.isEmpty()
          ? new MockResponse().setResponseCode(404)
          : new MockResponse().setResponseCode(200).setBody(found.get(0));
    }
    if (found.isEmpty()) {
      return super.handleGet(path);
    }
    return new MockResponse().setResponseCode(200).setBody(lists.compose(found, version));
  }

  @Override
  public long requestResourceVersion() {
    long version = super.requestResourceVersion();
    newestVersion.accumulateAndGet(version, Math::max);
    return version;
  }

  @Override
  public void reset() {
    super.reset();
    index.clear();
  }

  /** How many keys the index holds: the store's size, unless the two have drifted apart. */
  int indexedKeys() {
    return index.size();
  }

  private static ReadWriteLock storeLock(KubernetesCrudDispatcher store) {
    try {
      Field lock = KubernetesCrudDispatcher.class.getDeclaredField("lock");
      lock.setAccessible(true);
      return (ReadWriteLock) lock.get(store);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "fabric8's KubernetesCrudDispatcher keeps its lock elsewhere: check IndexedCrudDispatcher"
              + " against this version of kubernetes-server-mock",
          e);
    }
  }

  private AttributeSet newKey(
      AttributeSet pathAttributes, GenericKubernetesResource resource, String newState) {
    KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) attributeExtractor;
    AttributeSet key =
        resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
    if (!key.containsKey(KubernetesAttributesExtractor.PLURAL)) {
      key = AttributeSet.merge(pathAttributes, key);
    }
    return key;
  }
}
