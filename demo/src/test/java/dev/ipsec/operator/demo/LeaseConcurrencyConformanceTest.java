package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * coordination.k8s.io Leases as kube-apiserver serves them: a write that names a resourceVersion is
 * refused with 409 Conflict unless it is the object's current one (api-concepts, "Resource
 * versions", optimistic concurrency), whether an update (PUT) or a JSON merge patch that carries
 * {@code metadata.resourceVersion}. Leader election relies on it: two replicas that both read an
 * expired Lease and both write themselves in as holder must not both win, and fabric8's {@link
 * LeaseLock} renews and takes over by exactly such a merge patch.
 */
class LeaseConcurrencyConformanceTest {
  private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/leases/leases";

  private static EmbeddedApiServer server;
  private static ApiCalls api;

  @BeforeAll
  static void start() {
    server = new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0);
    api = new ApiCalls(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aWriteWithAStaleResourceVersionIsAConflictAndChangesNothing() {
    String lease = LEASES + "/raw";
    ApiCalls.Answer created =
        api.post(
            LEASES,
            """
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
             "metadata":{"name":"raw"},"spec":{"holderIdentity":"a","leaseDurationSeconds":15}}
            """);
    assertThat(created.code()).as(created.body().toString()).isEqualTo(201);
    String first = created.body().at("/metadata/resourceVersion").asText();

    ApiCalls.Answer renewed =
        api.patch(
            lease,
            "application/merge-patch+json",
            """
            {"metadata":{"resourceVersion":"%s"},"spec":{"holderIdentity":"b"}}
            """
                .formatted(first));
    assertThat(renewed.code()).as(renewed.body().toString()).isEqualTo(200);
    String second = renewed.body().at("/metadata/resourceVersion").asText();
    assertThat(second).isNotEqualTo(first);

    ApiCalls.Answer stalePatch =
        api.patch(
            lease,
            "application/merge-patch+json",
            """
            {"metadata":{"resourceVersion":"%s"},"spec":{"holderIdentity":"c"}}
            """
                .formatted(first));
    ApiCalls.Answer stalePut =
        api.put(
            lease,
            """
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
             "metadata":{"name":"raw","resourceVersion":"%s"},
             "spec":{"holderIdentity":"d","leaseDurationSeconds":15}}
            """
                .formatted(first));

    assertThat(stalePatch.code()).as(stalePatch.body().toString()).isEqualTo(409);
    assertThat(stalePatch.body().path("reason").asText()).isEqualTo("Conflict");
    assertThat(stalePatch.body().path("message").asText())
        .startsWith("Operation cannot be fulfilled on leases.coordination.k8s.io \"raw\": ");
    assertThat(stalePatch.body().at("/details/name").asText()).isEqualTo("raw");
    assertThat(stalePut.code()).as(stalePut.body().toString()).isEqualTo(409);
    assertThat(stalePut.body().path("reason").asText()).isEqualTo("Conflict");
    ApiCalls.Answer now = api.get(lease);
    assertThat(now.body().at("/spec/holderIdentity").asText()).isEqualTo("b");
    assertThat(now.body().at("/metadata/resourceVersion").asText()).isEqualTo(second);
  }

  @Test
  void ofTwoReplicasTakingOverTheSameExpiredLeaseOnlyOneWins() {
    ZonedDateTime longAgo = ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(5);
    LeaseLock crashed = new LeaseLock("leases", "takeover", "crashed");
    crashed.create(server.client(), record("crashed", longAgo));

    LeaseLock a = new LeaseLock("leases", "takeover", "replica-a");
    LeaseLock b = new LeaseLock("leases", "takeover", "replica-b");
    // both read the expired Lease, as fabric8's LeaderElector does before it writes itself in;
    // each lock then writes with the resourceVersion it read
    assertThat(a.get(server.client()).getHolderIdentity()).isEqualTo("crashed");
    assertThat(b.get(server.client()).getHolderIdentity()).isEqualTo("crashed");

    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    a.update(server.client(), record("replica-a", now));

    assertThatThrownBy(() -> b.update(server.client(), record("replica-b", now)))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(b.get(server.client()).getHolderIdentity()).isEqualTo("replica-a");
  }

  private static LeaderElectionRecord record(String holder, ZonedDateTime at) {
    return new LeaderElectionRecord(holder, Duration.ofSeconds(15), at, at, 0);
  }
}
