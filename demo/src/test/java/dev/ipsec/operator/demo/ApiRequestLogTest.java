package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import dev.ipsec.operator.reconcile.OperatorClient;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded API server records each request as a real server's authorizer sees it: the verb
 * derived from method, name and watch parameter, the resource with its subresource, namespace, name
 * and the client's User-Agent; and the finalizers check a blockOwnerDeletion reference costs.
 */
class ApiRequestLogTest {
  private static final String NS = "recorded";
  private EmbeddedApiServer server;
  private KubernetesClient operator;

  @BeforeEach
  void start() {
    server = new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0);
    operator = OperatorClient.build(server.client().getConfiguration());
  }

  @AfterEach
  void stop() {
    operator.close();
    server.close();
  }

  @Test
  void everyVerbIsDerivedAsTheRealServerDoesAndAttributedByUserAgent() throws Exception {
    var configMaps = operator.configMaps().inNamespace(NS);
    configMaps.resource(configMap("a")).create();
    configMaps.withName("a").get();
    configMaps.list();
    try (Watch watch = configMaps.watch(new Ignore<>())) {
      // opened and closed: the request is what counts
    }
    configMaps.withName("a").edit(cm -> new ConfigMapBuilder(cm).addToData("k", "w").build());
    configMaps.resource(configMap("a")).update();
    configMaps.withName("a").delete();
    configMaps.delete();
    server.client().secrets().inNamespace(NS).list(); // the harness, not the operator

    List<String> seen =
        server.requests().byUserAgent(OperatorClient.PRODUCT + "/").stream()
            .filter(r -> r.resource().equals("configmaps"))
            .map(r -> r.verb() + " " + r.namespace() + "/" + r.name())
            .toList();
    assertThat(seen)
        .containsSubsequence(
            "create recorded/a",
            "get recorded/a",
            "list recorded/",
            "watch recorded/",
            "patch recorded/a",
            "update recorded/a",
            "delete recorded/a",
            "deletecollection recorded/");
    assertThat(server.requests().byUserAgent(OperatorClient.PRODUCT + "/"))
        .allSatisfy(r -> assertThat(r.userAgent()).startsWith("ipsec-operator/"))
        .noneMatch(r -> r.resource().equals("secrets"));
    assertThat(server.requests().all())
        .anyMatch(
            r ->
                r.resource().equals("secrets")
                    && r.verb().equals("list")
                    && r.userAgent().startsWith("fabric8-kubernetes-client/"));
  }

  @Test
  void aStatusWriteIsTheStatusSubresourceOfTheGroup() throws Exception {
    IpsecPeer peer;
    try (var in = EmbeddedApiServerTest.class.getResourceAsStream("peer.yaml")) {
      peer = server.client().getKubernetesSerialization().unmarshal(in, IpsecPeer.class);
    }
    peer.getMetadata().setNamespace(NS);
    IpsecPeer created = server.client().resource(peer).create();
    created.setStatus(new IpsecPeerStatus());
    created.getStatus().setObservedGeneration(1L);
    operator.resource(created).updateStatus();

    assertThat(server.requests().byUserAgent(OperatorClient.PRODUCT + "/"))
        .extracting(r -> r.verb() + " " + r.group() + " " + r.resource() + " " + r.name())
        .containsExactly("update ipsec.dev ipsecpeers/status " + peer.getMetadata().getName());
  }

  @Test
  void aBlockOwnerDeletionReferenceCostsTheOwnersFinalizersUpdate() {
    ConfigMap owned = configMap("owned");
    owned
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion("ipsec.dev/v1alpha1")
                    .withKind(
                        io.fabric8.kubernetes.api.model.HasMetadata.getKind(IpsecGlobal.class))
                    .withName("gw")
                    .withUid("uid-1")
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build()));
    operator.configMaps().inNamespace(NS).resource(owned).create();
    operator.configMaps().inNamespace(NS).resource(configMap("unowned")).create();

    assertThat(server.requests().byUserAgent(OperatorClient.PRODUCT + "/"))
        .extracting(r -> r.source() + " " + r.verb() + " " + r.resource() + " " + r.name())
        .containsExactly(
            "request create configmaps owned",
            "admission update ipsecglobals/finalizers gw",
            "request create configmaps unowned");
  }

  @Test
  void discoveryIsANonResourceRequest() {
    ApiRequest request = ApiRequest.of("GET", "/version?timeout=32s", "x", "");
    assertThat(request.isResourceRequest()).isFalse();
    assertThat(request.verb()).isEqualTo("get");
    assertThat(request.nonResourcePath()).isEqualTo("/version");
    assertThat(ApiRequest.of("GET", "/api/v1/watch/namespaces/n/pods", "x", "").verb())
        .isEqualTo("watch");
    assertThat(ApiRequest.of("GET", "/api/v1/namespaces/n/pods?watch=false", "x", "").verb())
        .isEqualTo("list");
  }

  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withData(Map.of("k", "v"))
        .build();
  }

  private static final class Ignore<T> implements Watcher<T> {
    @Override
    public void eventReceived(Action action, T resource) {}

    @Override
    public void onClose(WatcherException cause) {}
  }
}
