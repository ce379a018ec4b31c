package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A restart of the embedded API server ({@code demo --chaos}'s apiserver-restart) is a restart of
 * kube-apiserver on the same etcd: same address, same objects with the same resourceVersions, and a
 * client's informer reconnects and sees what is written afterwards.
 */
class EmbeddedApiServerRestartTest {
  private static final String NS = "restarted";
  private EmbeddedApiServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0);
    client = server.client();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void keepsItsPortAndItsObjectsWithTheirVersions() {
    ConfigMap before =
        client.configMaps().inNamespace(NS).resource(configMap("kept", "1")).create();
    String url = server.url();

    server.restart();

    assertThat(server.url()).isEqualTo(url);
    ConfigMap after = client.configMaps().inNamespace(NS).withName("kept").get();
    assertThat(after.getData()).containsEntry("v", "1");
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    ConfigMap created =
        client.configMaps().inNamespace(NS).resource(configMap("new", "2")).create();
    assertThat(Long.parseLong(created.getMetadata().getResourceVersion()))
        .as("resourceVersions go on from where they were")
        .isGreaterThan(Long.parseLong(before.getMetadata().getResourceVersion()));
    // the CRDs are part of the store, not registered again
    assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
        .hasSize(4);
  }

  @Test
  void anInformerReconnectsAndSeesWritesAfterTheRestart() throws Exception {
    client.configMaps().inNamespace(NS).resource(configMap("watched", "1")).create();
    LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
    try (SharedIndexInformer<ConfigMap> informer =
        client
            .configMaps()
            .inNamespace(NS)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap cm) {
                    seen.add("add " + cm.getData().get("v"));
                  }

                  @Override
                  public void onUpdate(ConfigMap before, ConfigMap after) {
                    if (!before
                        .getMetadata()
                        .getResourceVersion()
                        .equals(after.getMetadata().getResourceVersion())) {
                      seen.add("update " + after.getData().get("v"));
                    }
                  }

                  @Override
                  public void onDelete(ConfigMap cm, boolean unknown) {
                    seen.add("delete");
                  }
                },
                0)) {
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("add 1");
      int watchesBefore = count("watch");
      int listsBefore = count("list");

      server.restart();
      // written before the informer is back: it must not miss it
      client.configMaps().inNamespace(NS).resource(configMap("watched", "2")).update();

      assertThat(seen.poll(30, TimeUnit.SECONDS))
          .as("the informer's view after the restart")
          .isEqualTo("update 2");
      assertThat(count("watch")).as("the watch was opened again").isGreaterThan(watchesBefore);
      assertThat(count("list"))
          .as("its old resourceVersion expired with the restart, so it listed again")
          .isGreaterThan(listsBefore);
    }
  }

  private int count(String verb) {
    return (int)
        server.requests().all().stream()
            .filter(r -> r.verb().equals(verb) && r.resource().equals("configmaps"))
            .count();
  }

  @Test
  void aWatchFromBeforeTheRestartEndsWithA410AndOneFromAfterIsServed() throws Exception {
    ConfigMap before = client.configMaps().inNamespace(NS).resource(configMap("old", "1")).create();
    server.restart();
    String after = client.configMaps().inNamespace(NS).list().getMetadata().getResourceVersion();
    assertThat(Long.parseLong(after))
        .as("a list after the restart gives a version a watch may start from")
        .isGreaterThan(Long.parseLong(before.getMetadata().getResourceVersion()));

    LinkedBlockingQueue<String> closed = new LinkedBlockingQueue<>();
    Watcher<ConfigMap> recorder =
        new Watcher<>() {
          @Override
          public void eventReceived(Action action, ConfigMap resource) {
            closed.add("event " + action);
          }

          @Override
          public void onClose(WatcherException cause) {
            closed.add("closed " + (cause.isHttpGone() ? "gone" : cause.getMessage()));
          }
        };
    try (Watch old =
        client
            .configMaps()
            .inNamespace(NS)
            .watch(
                new ListOptionsBuilder()
                    .withResourceVersion(before.getMetadata().getResourceVersion())
                    .build(),
                recorder)) {
      assertThat(closed.poll(10, TimeUnit.SECONDS)).isEqualTo("closed gone");
    }
    try (Watch current =
        client
            .configMaps()
            .inNamespace(NS)
            .watch(new ListOptionsBuilder().withResourceVersion(after).build(), recorder)) {
      client.configMaps().inNamespace(NS).resource(configMap("new", "2")).create();
      assertThat(closed.poll(10, TimeUnit.SECONDS)).isEqualTo("event ADDED");
    }
  }

  private static ConfigMap configMap(String name, String value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withData(Map.of("v", value))
        .build();
  }
}
