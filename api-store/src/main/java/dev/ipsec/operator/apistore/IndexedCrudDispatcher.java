package dev.ipsec.operator.apistore;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;

/**
 * fabric8's CRUD store (the mock API server's objects) with an index of its keys: finding the
 * object a write names takes a look-up instead of a scan of every stored object. fabric8's {@code
 * findResource} scans the whole store for each create, update, patch and delete, so a store of n
 * objects spent O(n^2) on n writes: with 10,000 IpsecPeers that was most of the time of {@code
 * ScaleBenchmark}.
 *
 * <p>Everything else is fabric8's: the same store, handlers, resourceVersions, watch events and
 * answers. The index follows the store through the one method fabric8 changes it with ({@link
 * #processEvent}, called under the store's write lock) and {@link #reset}; a look-up checks every
 * candidate with fabric8's own matching and returns the first in the store's order, so it finds
 * exactly what the scan found ({@code IndexedCrudDispatcherTest} compares the two).
 */
public class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private final StoreIndex index = new StoreIndex();

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

  @Override
  public void reset() {
    super.reset();
    index.clear();
  }

  /** How many keys the index holds: the store's size, unless the two have drifted apart. */
  int indexedKeys() {
    return index.size();
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
