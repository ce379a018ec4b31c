package dev.ipsec.operator.demo;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Watches every IpsecPeer and IpsecGlobal of a namespace while a fault runs, as a GitOps tool
 * would, and keeps what it saw: each peer's {@code Ready} as it changed from version to version,
 * and how many new versions of each object carried a changed status. A write that changes nothing
 * makes no new version (a real API server, and the embedded one, keep the resourceVersion and send
 * no watch event), so such writes are the request log's status writes of an object beyond the
 * status changes seen here ({@link FaultChurn}). The watch is an informer: it reconnects when the
 * API server restarts.
 *
 * <p>Objects are named as the request log names them: {@code ipsecpeers/<name>}, {@code
 * ipsecglobals/<name>}.
 */
final class ChurnWatch implements AutoCloseable {

  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Map<String, String> statusOf = new LinkedHashMap<>();
  private final Map<String, String> versionOf = new LinkedHashMap<>();
  private final Map<String, Integer> statusChanges = new LinkedHashMap<>();
  private final Map<String, List<String>> readiness = new LinkedHashMap<>();
  private final KubernetesClient client;

  private ChurnWatch(KubernetesClient client) {
    this.client = client;
  }

  /** Starts watching; returns once both informers hold the current objects. */
  static ChurnWatch start(KubernetesClient client, String namespace) {
    ChurnWatch watch = new ChurnWatch(client);
    watch.informers.add(
        client
            .resources(IpsecPeer.class)
            .inNamespace(namespace)
            .inform(watch.handler("ipsecpeers", IpsecPeer::getStatus, PeerTable::isReady), 0));
    watch.informers.add(
        client
            .resources(IpsecGlobal.class)
            .inNamespace(namespace)
            .inform(watch.handler("ipsecglobals", IpsecGlobal::getStatus, g -> null), 0));
    return watch;
  }

  /** Each peer's Ready as it went, consecutive repeats merged: "True", "False", "True". */
  synchronized Map<String, List<String>> readiness() {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    readiness.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }

  /** How many versions of each object seen since the start carried a status unlike the last. */
  synchronized Map<String, Integer> statusChanges() {
    return Map.copyOf(statusChanges);
  }

  private <T extends HasMetadata> ResourceEventHandler<T> handler(
      String plural, Function<T, Object> status, Function<T, Boolean> ready) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        seen(plural, object, status, ready);
      }

      @Override
      public void onUpdate(T before, T after) {
        seen(plural, after, status, ready);
      }

      @Override
      public void onDelete(T object, boolean deletedFinalStateUnknown) {
        synchronized (ChurnWatch.this) {
          readiness.computeIfAbsent(key(plural, object), k -> new ArrayList<>()).add("deleted");
        }
      }
    };
  }

  private synchronized <T extends HasMetadata> void seen(
      String plural, T object, Function<T, Object> status, Function<T, Boolean> ready) {
    String key = key(plural, object);
    String version = object.getMetadata().getResourceVersion();
    if (Objects.equals(versionOf.get(key), version)) {
      return; // a resync or a relist: the same version again
    }
    String now = client.getKubernetesSerialization().asJson(status.apply(object));
    if (versionOf.containsKey(key) && !now.equals(statusOf.get(key))) {
      statusChanges.merge(key, 1, Integer::sum);
    }
    versionOf.put(key, version);
    statusOf.put(key, now);
    Boolean isReady = ready.apply(object);
    if (isReady != null) {
      List<String> history = readiness.computeIfAbsent(key, k -> new ArrayList<>());
      String value = isReady ? "True" : "False";
      if (history.isEmpty() || !history.get(history.size() - 1).equals(value)) {
        history.add(value);
      }
    }
  }

  private static String key(String plural, HasMetadata object) {
    return plural + "/" + object.getMetadata().getName();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
