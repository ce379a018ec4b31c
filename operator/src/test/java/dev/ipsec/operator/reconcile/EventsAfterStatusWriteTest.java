package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.status.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "an Event is never repeated by a retry": a status write the API server fails is retried
 * with the whole reconcile, so an Event recorded before the write would be recorded again. Events
 * follow the write: the server fails the peer's first status write, and the Event about what that
 * status says still exists exactly once.
 */
class EventsAfterStatusWriteTest {

  /**
   * Fails the first write of one object's status with 403, as a server does while a new Role is not
   * in effect yet. Not a 5xx: the client itself retries those, so the reconcile never sees them;
   * not 409 or 422, which JOSDK's status update retries by itself.
   */
  static final class FailsFirstStatusWrite extends Dispatcher {
    private final Dispatcher store;
    private final String statusPath;
    private final int times;
    final AtomicInteger failed = new AtomicInteger();

    FailsFirstStatusWrite(Dispatcher store, String statusPath) {
      this(store, statusPath, 1);
    }

    /** Fails the first {@code times} writes. */
    FailsFirstStatusWrite(Dispatcher store, String statusPath, int times) {
      this.store = store;
      this.statusPath = statusPath;
      this.times = times;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      boolean write = List.of("PUT", "PATCH").contains(request.getMethod());
      if (write
          && request.getPath().startsWith(statusPath)
          && failed.getAndUpdate(n -> n < times ? n + 1 : n) < times) {
        return new MockResponse()
            .setResponseCode(403)
            .addHeader("Content-Type", "application/json")
            .setBody(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                    + "\"reason\":\"Forbidden\",\"code\":403,\"message\":\"not yet\"}");
      }
      return store.dispatch(request);
    }
  }

  @Test
  void anEventIsRecordedOnceWhenItsStatusWriteFailedFirst() {
    FailsFirstStatusWrite[] front = new FailsFirstStatusWrite[1];
    try (OperatorHarness k8s =
        new OperatorHarness(
            store ->
                front[0] =
                    new FailsFirstStatusWrite(
                        store,
                        "/apis/ipsec.dev/v1alpha1/namespaces/vpn/ipsecpeers/alpha/status"))) {
      k8s.start();
      k8s.create(TestResources.espGroup("esp"));
      k8s.create(TestResources.gateway("gw"));
      // no IkeGroup "ike": the peer is invalid, which its status and an InvalidSpec Event say
      k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk-a", 1));

      eventually(
          () -> {
            IpsecPeer alpha =
                k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("alpha").get();
            assertThat(alpha.getStatus()).isNotNull();
            assertThat(Conditions.find(alpha.getStatus().getConditions(), "Valid").getStatus())
                .isEqualTo("False");
          });
      assertThat(front[0].failed).hasValue(1);
      // what the retried reconcile recorded has arrived by now; a second one would too
      eventually(() -> assertThat(invalidSpecEvents(k8s)).hasSize(1));
      sleep(3_000);
      assertThat(invalidSpecEvents(k8s)).hasSize(1);
      // the refusal itself, which the status could not carry, is told on the peer
      assertThat(events(k8s, "StatusNotWritten"))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getMessage())
                      .isEqualTo(
                          "the operator cannot write this status: IpsecPeer alpha: update status"
                              + " refused with 403 Forbidden: not yet"));
    }
  }

  /**
   * A status write refused again and again (a Role on ipsecpeers/status not in effect yet): one
   * Event on the peer however many retries meet the refusal; the retries go on, and the status is
   * written once the server takes it.
   */
  @Test
  void aStatusWriteRefusedAgainAndAgainIsToldOnceOnThePeerAndWrittenAtLast() {
    FailsFirstStatusWrite[] front = new FailsFirstStatusWrite[1];
    try (OperatorHarness k8s =
        new OperatorHarness(
            store ->
                front[0] =
                    new FailsFirstStatusWrite(
                        store,
                        "/apis/ipsec.dev/v1alpha1/namespaces/vpn/ipsecpeers/alpha/status",
                        3))) {
      k8s.start();
      k8s.create(TestResources.espGroup("esp"));
      k8s.create(TestResources.gateway("gw"));
      k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk-a", 1));

      eventually(() -> assertThat(front[0].failed).hasValue(3));
      eventually(
          () -> {
            IpsecPeer alpha =
                k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("alpha").get();
            assertThat(alpha.getStatus()).isNotNull();
            assertThat(Conditions.find(alpha.getStatus().getConditions(), "Valid").getStatus())
                .isEqualTo("False");
          });
      assertThat(events(k8s, "StatusNotWritten")).hasSize(1);
      eventually(() -> assertThat(invalidSpecEvents(k8s)).hasSize(1));
    }
  }

  /** The same for a gateway: its status refused three times, one Event on the IpsecGlobal. */
  @Test
  void aGatewayStatusWriteRefusedAgainAndAgainIsToldOnce() {
    FailsFirstStatusWrite[] front = new FailsFirstStatusWrite[1];
    try (OperatorHarness k8s =
        new OperatorHarness(
            store ->
                front[0] =
                    new FailsFirstStatusWrite(
                        store,
                        "/apis/ipsec.dev/v1alpha1/namespaces/vpn/ipsecglobals/gw/status",
                        3))) {
      k8s.start();
      k8s.create(TestResources.gateway("gw"));

      eventually(() -> assertThat(front[0].failed).hasValue(3));
      eventually(
          () ->
              assertThat(
                      k8s.client
                          .resources(IpsecGlobal.class)
                          .inNamespace("vpn")
                          .withName("gw")
                          .get()
                          .getStatus())
                  .isNotNull());
      assertThat(
              k8s.client.v1().events().inNamespace("vpn").list().getItems().stream()
                  .filter(e -> "gw".equals(e.getInvolvedObject().getName()))
                  .filter(e -> "StatusNotWritten".equals(e.getReason())))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getMessage())
                      .startsWith(
                          "the operator cannot write this status: IpsecGlobal gw: update status"
                              + " refused with 403 Forbidden"));
    }
  }

  private static List<Event> invalidSpecEvents(OperatorHarness k8s) {
    return events(k8s, "InvalidSpec");
  }

  private static List<Event> events(OperatorHarness k8s, String reason) {
    return k8s.client.v1().events().inNamespace("vpn").list().getItems().stream()
        .filter(e -> "alpha".equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
