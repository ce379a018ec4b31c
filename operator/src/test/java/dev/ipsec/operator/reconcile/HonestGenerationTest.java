package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.CryptoGroupReconcilerTest.condition;
import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "honest generations": a peer's {@code observedGeneration} reaches a new generation only
 * once the gateway's agents report the revision that holds it loaded; until then {@code
 * ConfigLoaded} is False with reason {@code Progressing}, naming both generations. One status write
 * for each of the two steps, none more. The agents' reports are put into the operator's store as
 * its poller would ({@link RunningGenerationTest#loaded(OperatorHarness, String)}).
 */
class HonestGenerationTest {

  static final String STATUS_PATH =
      "/apis/ipsec.dev/v1alpha1/namespaces/vpn/ipsecpeers/alpha/status";

  /** Counts the successful writes of alpha's status. */
  static final class CountsStatusWrites extends Dispatcher {
    private final Dispatcher store;
    final AtomicInteger writes = new AtomicInteger();

    CountsStatusWrites(Dispatcher store) {
      this.store = store;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      MockResponse response = store.dispatch(request);
      if (List.of("PUT", "PATCH").contains(request.getMethod())
          && request.getPath().startsWith(STATUS_PATH)
          && response.code() / 100 == 2) {
        writes.incrementAndGet();
      }
      return response;
    }
  }

  CountsStatusWrites front;
  OperatorHarness k8s;
  GatewayVolume volume;

  @BeforeEach
  void start() {
    k8s = new OperatorHarness(store -> front = new CountsStatusWrites(store)).start();
    volume = new GatewayVolume(k8s.client, "gw");
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "honest-generation-psk"));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
    eventually(
        () ->
            assertThat(condition(peer().getStatus().getConditions(), "Valid").getStatus())
                .isEqualTo("True"));
    volume.awaitQuiet();
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void aSpecChangeIsObservedOnlyOnceTheAgentsRunIt() {
    // no agent has reported: generation 1 is not known to run
    IpsecPeer created = peer();
    assertThat(created.getStatus().getObservedGeneration()).isEqualTo(0L);
    assertThat(configLoaded(created).getStatus()).isEqualTo("Unknown");
    assertThat(configLoaded(created).getReason()).isEqualTo("AwaitingGateway");

    RunningGenerationTest.loaded(k8s, volume.revision());
    eventually(
        () -> {
          IpsecPeer p = peer();
          assertThat(p.getStatus().getObservedGeneration()).isEqualTo(1L);
          assertThat(configLoaded(p).getStatus()).isEqualTo("True");
          assertThat(condition(p.getStatus().getConditions(), "Ready").getStatus())
              .isEqualTo("True");
        });
    volume.awaitQuiet();
    String first = volume.revision();
    int before = front.writes.get();

    // generation 2 changes the peer's files; the agents still run the revision of generation 1
    IpsecPeer alpha = peer();
    alpha.getSpec().setRemoteAddresses(List.of("198.51.100.77"));
    assertThat(k8s.client.resource(alpha).update().getMetadata().getGeneration()).isEqualTo(2L);
    eventually(() -> assertThat(volume.revision()).isNotEqualTo(first));
    eventually(
        () -> {
          IpsecPeer p = peer();
          assertThat(configLoaded(p).getStatus()).isEqualTo("False");
          assertThat(configLoaded(p).getReason()).isEqualTo("Progressing");
          assertThat(configLoaded(p).getMessage())
              .isEqualTo("generation 2 is not loaded yet; the gateway's agents run generation 1");
        });
    volume.awaitQuiet();
    IpsecPeer progressing = peer();
    assertThat(progressing.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(progressing.getStatus().getRunningGeneration()).isEqualTo(1L);
    assertThat(condition(progressing.getStatus().getConditions(), "Valid").getStatus())
        .isEqualTo("True");
    assertThat(front.writes.get() - before).as("status writes for the change").isEqualTo(1);

    // the agents load the new revision: generation 2 is observed, in one more write
    RunningGenerationTest.loaded(k8s, volume.revision());
    eventually(
        () -> {
          IpsecPeer p = peer();
          assertThat(p.getStatus().getObservedGeneration()).isEqualTo(2L);
          assertThat(configLoaded(p).getStatus()).isEqualTo("True");
          assertThat(configLoaded(p).getMessage())
              .isEqualTo("the gateway's agents run generation 2");
        });
    volume.awaitQuiet();
    assertThat(peer().getStatus().getRunningGeneration()).isEqualTo(2L);
    assertThat(front.writes.get() - before).as("status writes for the change").isEqualTo(2);
  }

  private static Condition configLoaded(IpsecPeer p) {
    return condition(p.getStatus().getConditions(), "ConfigLoaded");
  }

  IpsecPeer peer() {
    return k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("alpha").get();
  }
}
