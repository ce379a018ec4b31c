package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.reconcile.peer.ReferenceLookup;
import dev.ipsec.operator.reconcile.peer.ReferencedObjectCache;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciles that read one unlabelled Secret at the same time label it with one PATCH, not one
 * each: at a start, the 8 reconcile threads each patched the Secret that 10,000 peers name.
 */
class ReferenceLabelPatchTest {

  static final String PSK_PATH = "/api/v1/namespaces/vpn/secrets/psk";
  static final int LOOKUPS = 8;

  /** Counts the PATCHes of the Secret, and answers its GETs late so that the lookups overlap. */
  static final class SlowReadsCountedPatches extends Dispatcher {
    private final Dispatcher store;
    final AtomicInteger patches = new AtomicInteger();

    SlowReadsCountedPatches(Dispatcher store) {
      this.store = store;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath().split("\\?")[0];
      if (path.equals(PSK_PATH) && "PATCH".equals(request.getMethod())) {
        patches.incrementAndGet();
      }
      MockResponse response = store.dispatch(request);
      if (path.equals(PSK_PATH) && "GET".equals(request.getMethod())) {
        response.setBodyDelay(Duration.ofMillis(300));
      }
      return response;
    }
  }

  SlowReadsCountedPatches server;
  OperatorHarness k8s = new OperatorHarness(store -> server = new SlowReadsCountedPatches(store));
  ReferencedObjectCache cache = ReferencedObjectCache.start(k8s.client, Set.of("vpn"));

  @AfterEach
  void stop() {
    cache.close();
    k8s.close();
  }

  @Test
  void lookupsOfOneUnlabelledSecretAtOnceLabelItWithOnePatch() throws Exception {
    k8s.create(TestResources.pskSecret("psk", "label-patch-test-psk"));

    List<Optional<Secret>> found = lookUpTogether();

    assertThat(found)
        .hasSize(LOOKUPS)
        .allSatisfy(s -> assertThat(s).hasValueSatisfying(Labels::isMarkedReferenced));
    assertThat(server.patches).hasValue(1);
    assertThat(labelled()).isTrue();
  }

  @Test
  void aLabelRemovedAfterThePatchIsPutBackByTheNextLookup() throws Exception {
    k8s.create(TestResources.pskSecret("psk", "label-patch-test-psk"));
    lookUpTogether();
    k8s.client
        .secrets()
        .inNamespace("vpn")
        .withName("psk")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"" + Labels.REFERENCED + "\":null}}}");
    eventually(() -> assertThat(cache.get(Secret.class, "vpn", "psk")).isEmpty());
    server.patches.set(0); // the removal above was one

    assertThat(new ReferenceLookup(k8s.client, cache, "vpn").secret("psk")).isPresent();

    assertThat(server.patches).hasValue(1);
    assertThat(labelled()).isTrue();
  }

  /** {@link #LOOKUPS} reconciles' lookups of the Secret, started together. */
  List<Optional<Secret>> lookUpTogether() throws Exception {
    CyclicBarrier together = new CyclicBarrier(LOOKUPS);
    ExecutorService pool = Executors.newFixedThreadPool(LOOKUPS);
    try {
      List<Future<Optional<Secret>>> lookups = new ArrayList<>();
      for (int i = 0; i < LOOKUPS; i++) {
        lookups.add(
            pool.submit(
                () -> {
                  together.await(10, TimeUnit.SECONDS);
                  return new ReferenceLookup(k8s.client, cache, "vpn").secret("psk");
                }));
      }
      List<Optional<Secret>> found = new ArrayList<>();
      for (Future<Optional<Secret>> lookup : lookups) {
        found.add(lookup.get(30, TimeUnit.SECONDS));
      }
      return found;
    } finally {
      pool.shutdownNow();
    }
  }

  boolean labelled() {
    return Labels.isMarkedReferenced(k8s.client.secrets().inNamespace("vpn").withName("psk").get());
  }
}
