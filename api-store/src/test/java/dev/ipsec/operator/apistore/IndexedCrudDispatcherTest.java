package dev.ipsec.operator.apistore;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The indexed store against fabric8's scanning one: the same requests, in the same order, to two
 * mock API servers, one on each store; every answer (the objects and their resourceVersions, 404,
 * 409, lists with label and field selectors and their order, the events of watches) must be the
 * same. The requests are drawn from a seeded random sequence over a few names, namespaces and
 * labels, so that creates collide, updates go stale and deletes miss.
 */
class IndexedCrudDispatcherTest {
  private static final List<String> NAMESPACES = List.of("a", "b");
  private static final List<String> NAMES = List.of("gw", "peer-0", "peer-1", "peer-2", "x");
  private static final List<String> GATEWAYS = List.of("gw1", "gw2");

  private final IndexedCrudDispatcher indexedStore = new IndexedCrudDispatcher(List.of());
  private final KubernetesCrudDispatcher scanningStore = new KubernetesCrudDispatcher(List.of());
  private KubernetesMockServer indexedServer;
  private KubernetesMockServer scanningServer;
  private KubernetesClient indexed;
  private KubernetesClient scanning;

  @BeforeEach
  void start() {
    indexedServer = server(indexedStore);
    scanningServer = server(scanningStore);
    indexed = indexedServer.createClient();
    scanning = scanningServer.createClient();
  }

  @AfterEach
  void stop() {
    indexed.close();
    scanning.close();
    indexedServer.destroy();
    scanningServer.destroy();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 17})
  void answersEveryRequestAsTheScanningStore(long seed) throws InterruptedException {
    List<String> indexedEvents = Collections.synchronizedList(new ArrayList<>());
    List<String> scanningEvents = Collections.synchronizedList(new ArrayList<>());
    List<Watch> watches = new ArrayList<>();
    watches.addAll(watchAll(indexed, indexedEvents));
    watches.addAll(watchAll(scanning, scanningEvents));

    Random random = new Random(seed);
    for (int step = 0; step < 300; step++) {
      int op = random.nextInt(7);
      String ns = pick(random, NAMESPACES);
      String name = pick(random, NAMES);
      String gateway = pick(random, GATEWAYS);
      boolean staleVersion = random.nextInt(4) == 0;
      String what = "step " + step + " op " + op + " " + ns + "/" + name;
      assertThat(answer(indexed, op, ns, name, gateway, staleVersion))
          .as(what)
          .isEqualTo(answer(scanning, op, ns, name, gateway, staleVersion));
      if (step % 10 == 0) {
        assertThat(reads(indexed)).as(what).isEqualTo(reads(scanning));
      }
    }
    assertThat(reads(indexed)).isEqualTo(reads(scanning));
    assertThat(indexedStore.indexedKeys()).isEqualTo(indexedStore.getMap().size());

    // every write has been answered, so every event is on its way; the last write's event ends
    // both logs once they have caught up
    awaitSameSize(indexedEvents, scanningEvents);
    for (Watch watch : watches) {
      watch.close();
    }
    assertThat(indexedEvents).isNotEmpty().isEqualTo(scanningEvents);
  }

  @Test
  void findsWhatTheScanFindsForEveryPathOfAStoredObject() {
    for (String ns : NAMESPACES) {
      for (String name : NAMES) {
        indexed.configMaps().inNamespace(ns).resource(configMap(ns, name, "gw1", "1")).create();
        scanning.configMaps().inNamespace(ns).resource(configMap(ns, name, "gw1", "1")).create();
      }
    }
    List<String> paths = new ArrayList<>();
    for (String ns : NAMESPACES) {
      paths.add("/api/v1/namespaces/" + ns + "/configmaps");
      paths.add("/api/v1/namespaces/" + ns + "/secrets");
      for (String name : NAMES) {
        paths.add("/api/v1/namespaces/" + ns + "/configmaps/" + name);
        paths.add("/api/v1/namespaces/" + ns + "/configmaps/" + name + "-missing");
        paths.add("/api/v1/namespaces/" + ns + "/secrets/" + name);
      }
    }
    paths.add("/api/v1/configmaps");
    paths.add("/api/v1/configmaps?labelSelector=gateway%3Dgw1");
    for (String path : paths) {
      AttributeSet query = indexedStore.getKey(path);
      assertThat(found(indexedStore.findResource(query)))
          .as(path)
          .isEqualTo(found(scanningStore.findResource(scanningStore.getKey(path))));
    }
    assertThat(indexedStore.findResource(indexedStore.getKey("/api/v1/namespaces/a/configmaps/gw")))
        .isNotNull();
    assertThat(indexedStore.findResource(indexedStore.getKey("/api/v1/namespaces/a/secrets/gw")))
        .isNull();
  }

  @Test
  void forgetsEverythingOnReset() {
    indexed.configMaps().inNamespace("a").resource(configMap("a", "gw", "gw1", "1")).create();
    indexedStore.reset();
    assertThat(indexedStore.indexedKeys()).isZero();
    assertThat(indexedStore.findResource(indexedStore.getKey("/api/v1/namespaces/a/configmaps/gw")))
        .isNull();
  }

  /**
   * One request, answered as the client sees it: the object without its uid and time, or why not.
   */
  private static String answer(
      KubernetesClient client, int op, String ns, String name, String gateway, boolean stale) {
    try {
      return switch (op) {
        case 0 ->
            show(
                client
                    .configMaps()
                    .inNamespace(ns)
                    .resource(configMap(ns, name, gateway, "c"))
                    .create());
        case 1 -> {
          ConfigMap current = client.configMaps().inNamespace(ns).withName(name).get();
          if (current == null) {
            yield "absent";
          }
          ConfigMap edited =
              configMap(ns, name, gateway, "u" + current.getMetadata().getResourceVersion());
          String version = current.getMetadata().getResourceVersion();
          edited
              .getMetadata()
              .setResourceVersion(stale ? String.valueOf(Long.parseLong(version) - 1) : version);
          yield show(client.configMaps().inNamespace(ns).resource(edited).update());
        }
        case 2 ->
            show(
                client
                    .configMaps()
                    .inNamespace(ns)
                    .withName(name)
                    .edit(
                        cm ->
                            new ConfigMapBuilder(cm)
                                .editMetadata()
                                .addToLabels("gateway", gateway)
                                .endMetadata()
                                .build()));
        case 3 -> deleted(client.configMaps().inNamespace(ns).withName(name).delete());
        case 4 ->
            show(client.secrets().inNamespace(ns).resource(secret(ns, name, gateway)).create());
        case 5 -> deleted(client.secrets().inNamespace(ns).withName(name).delete());
        default ->
            show(
                client
                    .configMaps()
                    .inNamespace(ns)
                    .resource(configMap(ns, name, gateway, "s"))
                    .createOr(existing -> existing.update()));
      };
    } catch (KubernetesClientException e) {
      return "refused " + e.getCode();
    }
  }

  /** Every kind of read the operator and kubectl make, each answer in its order. */
  private static Map<String, List<String>> reads(KubernetesClient client) {
    Map<String, List<String>> reads = new TreeMap<>();
    for (String ns : NAMESPACES) {
      var list = client.configMaps().inNamespace(ns).list();
      reads.put(ns + " configmaps", shown(list.getItems()));
      reads.put(ns + " configmaps version", List.of(list.getMetadata().getResourceVersion()));
      reads.put(ns + " secrets", shown(client.secrets().inNamespace(ns).list().getItems()));
      reads.put(
          ns + " gateway=gw1",
          shown(client.configMaps().inNamespace(ns).withLabel("gateway", "gw1").list().getItems()));
      reads.put(
          ns + " gateway!=gw1",
          shown(
              client
                  .configMaps()
                  .inNamespace(ns)
                  .withLabelNotIn("gateway", "gw1")
                  .list()
                  .getItems()));
      reads.put(
          ns + " has gateway",
          shown(client.configMaps().inNamespace(ns).withLabel("gateway").list().getItems()));
      reads.put(
          ns + " gateway in (gw1,gw2)",
          shown(
              client
                  .configMaps()
                  .inNamespace(ns)
                  .withLabelIn("gateway", "gw1", "gw2")
                  .list()
                  .getItems()));
      reads.put(
          ns + " metadata.name=peer-1",
          shown(
              client
                  .configMaps()
                  .inNamespace(ns)
                  .list(new ListOptionsBuilder().withFieldSelector("metadata.name=peer-1").build())
                  .getItems()));
      for (String name : NAMES) {
        reads.put(
            ns + "/" + name,
            List.of(show(client.configMaps().inNamespace(ns).withName(name).get())));
      }
    }
    reads.put("all configmaps", shown(client.configMaps().inAnyNamespace().list().getItems()));
    reads.put(
        "all gateway=gw2",
        shown(client.configMaps().inAnyNamespace().withLabel("gateway", "gw2").list().getItems()));
    return reads;
  }

  private static List<Watch> watchAll(KubernetesClient client, List<String> events) {
    return List.of(
        client.configMaps().inNamespace("a").watch(recorder("a", events)),
        client
            .configMaps()
            .inAnyNamespace()
            .withLabel("gateway", "gw1")
            .watch(recorder("gw1", events)),
        client.secrets().inNamespace("b").withName("peer-1").watch(recorder("b/peer-1", events)));
  }

  private static <T extends HasMetadata> Watcher<T> recorder(String watch, List<String> events) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        events.add(watch + " " + action + " " + show(resource));
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  /**
   * Waits until both watches' logs stop growing at the same size: the three watches of a server run
   * on connections of their own, so only the totals can be awaited, not an order between them.
   */
  private static void awaitSameSize(List<String> one, List<String> other)
      throws InterruptedException {
    int stable = 0;
    int last = -1;
    for (int i = 0; i < 100 && stable < 5; i++) {
      TimeUnit.MILLISECONDS.sleep(50);
      int size = one.size() + other.size();
      stable = size == last && one.size() == other.size() ? stable + 1 : 0;
      last = size;
    }
    // the logs are per watch in order, interleaved across watches: compare them per watch
    sortByWatch(one);
    sortByWatch(other);
  }

  private static void sortByWatch(List<String> events) {
    synchronized (events) {
      Map<String, List<String>> byWatch =
          events.stream()
              .collect(
                  Collectors.groupingBy(
                      e -> e.substring(0, e.indexOf(' ')), TreeMap::new, Collectors.toList()));
      events.clear();
      byWatch.values().forEach(events::addAll);
    }
  }

  private static String found(Map.Entry<AttributeSet, String> entry) {
    // uids come from one counter of the JVM, shared by both servers, and times from the clock
    return entry == null
        ? "none"
        : entry.getKey()
            + " "
            + entry.getValue().replaceAll("\"(uid|creationTimestamp)\":\"[^\"]*\"", "");
  }

  /** What a delete answered, but the uid: uids come from one counter of the JVM, both servers' */
  private static String deleted(List<StatusDetails> details) {
    return details.stream().map(d -> d.getKind() + " " + d.getName()).toList().toString();
  }

  private static List<String> shown(List<? extends HasMetadata> objects) {
    return objects.stream().map(IndexedCrudDispatcherTest::show).toList();
  }

  private static String show(HasMetadata object) {
    if (object == null) {
      return "null";
    }
    Object content =
        object instanceof ConfigMap cm
            ? cm.getData()
            : object instanceof Secret s ? s.getData() : "";
    return object.getKind()
        + " "
        + object.getMetadata().getNamespace()
        + "/"
        + object.getMetadata().getName()
        + " rv="
        + object.getMetadata().getResourceVersion()
        + " labels="
        + new TreeMap<>(
            object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels())
        + " "
        + content;
  }

  private static ConfigMap configMap(String ns, String name, String gateway, String content) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .addToLabels("gateway", gateway)
        .endMetadata()
        .addToData("content", content)
        .build();
  }

  private static Secret secret(String ns, String name, String gateway) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .addToLabels("gateway", gateway)
        .endMetadata()
        .addToStringData("psk", "not-a-secret")
        .build();
  }

  private static <T> T pick(Random random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  private static KubernetesMockServer server(KubernetesCrudDispatcher store) {
    KubernetesMockServer server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), store, false);
    server.init();
    return server;
  }
}
