package dev.ipsec.operator.apistore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  private static final String CRDS = "/apis/apiextensions.k8s.io/";
  private final StoreIndex index = new StoreIndex();
  private final KubernetesResponseComposer lists = new KubernetesResponseComposer();
  private final WatchStreams watches = new WatchStreams();

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
   * The change of the store fabric8 makes (remove the old key, put the new one), the same change of
   * the index, and the watches told ({@link WatchStreams}: each event's JSON made once, not once
   * per watch). The new key is computed as fabric8 computes it, once: from the resource when there
   * is one, else from the stored JSON, with the path's attributes when those name no resource. A
   * CustomResourceDefinition goes through fabric8's own {@code processEvent}, which also learns the
   * resource it defines; its watches are none, since every watch is {@link #handleWatch}'s.
   */
  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    AttributeSet newAttributes =
        newState == null ? null : newKey(pathAttributes, resource, newState);
    String existing;
    if (path.startsWith(CRDS)) {
      existing = oldAttributes == null ? null : map.get(oldAttributes);
      super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    } else {
      existing = map.remove(oldAttributes);
      if (newAttributes != null) {
        map.put(newAttributes, newState);
      }
    }
    if (oldAttributes != null) {
      index.remove(oldAttributes);
    }
    if (newAttributes != null) {
      index.put(newAttributes);
    }
    if (!Objects.equals(existing, newState)) {
      watches.changed(oldAttributes, existing, newAttributes, newState);
    }
  }

  /**
   * A new resourceVersion when the write changes the object, as fabric8's: its default builds a
   * JSON patch of the whole difference only to ask whether there is one (a tenth of the server's
   * allocation on status writes); the trees' equality is that answer.
   */
  @Override
  public void touchResourceVersion(JsonNode current, JsonNode updated) {
    if (!updated.equals(current)) {
      ((ObjectNode) updated.get("metadata"))
          .put("resourceVersion", String.valueOf(requestResourceVersion()));
    }
  }

  /**
   * A watch, as fabric8's {@code handleWatch} opens it (the path's attributes, and the name of a
   * {@code metadata.name} field selector), on {@link WatchStreams}.
   */
  @Override
  public MockResponse handleWatch(String path) {
    AttributeSet query = attributeExtractor.fromPath(path);
    String name = watchedName(path);
    if (name != null) {
      query = query.add(new Attribute(KubernetesAttributesExtractor.NAME, name));
    }
    return new MockResponse().withWebSocketUpgrade(watches.watch(query, map, readLock));
  }

  /** How many watches are open. */
  int openWatches() {
    return watches.size();
  }

  /** The name a watch's {@code fieldSelector=metadata.name=...} selects, as fabric8 reads it. */
  private static String watchedName(String path) {
    String queryString;
    try {
      queryString = new URI(path).getQuery();
    } catch (URISyntaxException e) {
      return null;
    }
    if (queryString == null || queryString.isEmpty()) {
      return null;
    }
    String name = "";
    for (String parameter : queryString.split("&")) {
      if (parameter.contains("fieldSelector") && parameter.contains("metadata.name")) {
        String[] parts = parameter.split("=");
        name = parts[parts.length - 1];
      }
    }
    return name.isEmpty() ? null : name;
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
