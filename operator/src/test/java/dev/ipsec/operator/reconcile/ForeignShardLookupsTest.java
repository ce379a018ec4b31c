package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway's unused shard names ({@code <gw>-config-N}, {@code <gw>-secrets-N}) are looked up with
 * a GET each, since no informer sees someone else's objects; but only when what the gateway's
 * volume is made of changed since a look that found nothing. A reconcile that changes nothing of it
 * (a pod's news here; an agent's report at fleet scale, hundreds a second) makes no such GET.
 */
class ForeignShardLookupsTest {

  OperatorHarness k8s;
  CountsGets gets;

  @BeforeEach
  void start() {
    k8s =
        new OperatorHarness(
                store -> {
                  gets = new CountsGets(store, "/api/v1/namespaces/vpn/configmaps/gw-config-17");
                  return gets;
                })
            .start();
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "foreign-shard-lookups-test-psk"));
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void aReconcileThatChangesNothingOfTheVolumeLooksNothingUp() {
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    // the reconcile that wrote alpha's revision looked the unused names up
    eventually(
        () -> {
          assertThat(gateway().getStatus().getPeers().getConfigured()).isEqualTo(1);
          assertThat(gets.count.get()).isPositive();
        });
    int looked = gets.count.get();

    // a pod of the gateway wakes it twice (the pod, then its revision annotation): same volume
    OwnedPods.create(k8s, "gw", "gw-gateway-abc");
    eventually(
        () -> {
          Pod pod = k8s.client.pods().inNamespace("vpn").withName("gw-gateway-abc").get();
          assertThat(pod.getMetadata().getAnnotations()).containsKey(Labels.CONFIG_REVISION);
          assertThat(gateway().getStatus().getPods()).hasSize(1);
        });
    assertThat(gets.count.get())
        .as("no look for a reconcile that changed nothing")
        .isEqualTo(looked);

    // a new peer is a new revision: the names are looked up again
    k8s.create(TestResources.pskPeer("beta", "gw", "ike", "esp", "psk", 2));
    eventually(() -> assertThat(gets.count.get()).isGreaterThan(looked));
  }

  private IpsecGlobal gateway() {
    return k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName("gw").get();
  }

  /** Counts the GETs of one path, passes every request on to the store. */
  static final class CountsGets extends Dispatcher {
    final AtomicInteger count = new AtomicInteger();
    private final Dispatcher store;
    private final String path;

    CountsGets(Dispatcher store, String path) {
      this.store = store;
      this.path = path;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if ("GET".equals(request.getMethod()) && request.getPath().split("\\?")[0].equals(path)) {
        count.incrementAndGet();
      }
      return store.dispatch(request);
    }
  }
}
