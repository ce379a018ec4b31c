package dev.ipsec.operator.e2e;

import static dev.ipsec.operator.e2e.PskSitePair.PEER_ON_SITE_A;
import static dev.ipsec.operator.e2e.PskSitePair.PEER_ON_SITE_B;
import static dev.ipsec.operator.e2e.PskSitePair.SITE_A;
import static dev.ipsec.operator.e2e.PskSitePair.SITE_B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.DeadPeerDetectionStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.demo.PeerTable;
import dev.ipsec.operator.e2e.PeerWrites.PeerWrite;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 3 of issue 6: the remote gateway's charon dies (SIGKILL: no DELETE reaches the peer);
 * the local IpsecPeer's status shows dead-peer detection with the configured action, {@code
 * restart}, within the DPD interval and timeout, with a {@code DeadPeerDetected} Event; and once
 * the remote charon is back the peer is Ready again.
 *
 * <p>What happens to the killed container is what a kubelet does with the Deployment's {@code
 * restartPolicy: Always}: it starts charon again at once, and the remote agent reloads it. The
 * fresh charon knows nothing of the old IKE SA and silently drops its DPD requests, so the local
 * side still declares the peer dead after its retransmits, then restarts the SA, which the returned
 * peer accepts.
 *
 * <p>For IKEv2 charon uses only {@code dpd_delay} (the interval); how long an unanswered DPD
 * request is retried is charon's retransmit schedule, set on both IpsecGlobals to 1 s, 2 tries,
 * base 1: 3 s, inside the configured DPD timeout of 4 s ({@code dpd_timeout} is IKEv1 only).
 */
class DeadPeerE2eTest {

  private static final int DPD_INTERVAL = 2;
  private static final int DPD_TIMEOUT = 4;

  /** The agent's event stream, its HTTP long-poll, the reconcile and the status patch. */
  private static final Duration STATUS_SLACK = Duration.ofSeconds(3);

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  final E2eCluster cluster = E2eCluster.forEachTest("e2e-dpd", List.of(SITE_A, SITE_B));

  @Test
  void killedRemoteCharonIsDetectedRestartedAndTheTunnelComesBack() {
    PeerWrites writes = new PeerWrites();
    cluster.closeAfterTest(writes.watch(cluster, PEER_ON_SITE_A));
    long created = System.nanoTime();
    PskSitePair.apply(
        cluster,
        """
          deadPeerDetection:
            action: restart
            interval: %d
            timeout: %d
        """
            .formatted(DPD_INTERVAL, DPD_TIMEOUT),
        3600,
        """
            retransmit:
              timeout: 1.0
              tries: 2
              base: 1.0
        """);
    IpsecPeer up = cluster.awaitPeer(PEER_ON_SITE_A, PeerTable::isUp, READY_TIMEOUT);
    cluster.awaitPeer(PEER_ON_SITE_B, PeerTable::isUp, READY_TIMEOUT);
    long ready = System.nanoTime();
    assertThat(up.getStatus().getDeadPeerDetection()).isNull();
    String firstEstablishedAt = up.getStatus().getIkeSa().getEstablishedAt();
    int restartsBefore = cluster.containerRestarts();

    Instant killedAt = Instant.now();
    long killed = System.nanoTime();
    cluster.killContainer(SITE_B.gateway(), "charon");

    Duration bound = Duration.ofSeconds(DPD_INTERVAL + DPD_TIMEOUT).plus(STATUS_SLACK);
    PeerWrite detected = writes.await(w -> dpdCount(w.peer()) >= 1, bound.multipliedBy(3));
    Duration toDetected = Duration.ofNanos(detected.nanos() - killed);
    // Ready again on a new IKE SA, the one the DPD restart negotiated with the returned peer
    IpsecPeer back =
        cluster.awaitPeer(
            PEER_ON_SITE_A,
            p ->
                PeerTable.isUp(p)
                    && dpdCount(p) >= 1
                    && Instant.parse(p.getStatus().getIkeSa().getEstablishedAt())
                        .isAfter(Instant.parse(firstEstablishedAt)),
            READY_TIMEOUT);
    Duration toReadyAgain = Duration.ofNanos(System.nanoTime() - killed);
    cluster.awaitPeer(PEER_ON_SITE_B, PeerTable::isUp, READY_TIMEOUT);
    System.out.printf(
        "e2e dead peer (DPD interval %d s, timeout %d s, action restart): create -> both Ready %d"
            + " ms; kill remote charon -> DPD in status %d ms (bound %d ms); kill -> Ready again %d"
            + " ms; peer writes kill..Ready: %s%n",
        DPD_INTERVAL,
        DPD_TIMEOUT,
        Duration.ofNanos(ready - created).toMillis(),
        toDetected.toMillis(),
        bound.toMillis(),
        toReadyAgain.toMillis(),
        writes.all().stream()
            .filter(w -> w.nanos() >= killed)
            .map(DeadPeerE2eTest::summary)
            .toList());

    DeadPeerDetectionStatus dpd = detected.peer().getStatus().getDeadPeerDetection();
    assertThat(dpd.getLastOutcome()).isEqualTo("PeerDead");
    assertThat(dpd.getActionTaken()).isEqualTo("restart");
    assertThat(dpd.getCount()).isEqualTo(1);
    assertThat(Instant.parse(dpd.getLastDetectedAt()))
        .isAfterOrEqualTo(killedAt.truncatedTo(ChronoUnit.SECONDS));
    assertThat(toDetected).as("kill -> DPD outcome in status").isLessThanOrEqualTo(bound);

    List<Event> deadPeer = PskSitePair.events(cluster, PEER_ON_SITE_A, "DeadPeerDetected");
    assertThat(deadPeer)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains("action restart");
            });

    // the kubelet brought charon back in the same pod, and a new IKE SA carries the tunnel
    assertThat(cluster.containerRestarts()).isEqualTo(restartsBefore + 1);
    assertThat(back.getStatus().getDeadPeerDetection().getCount()).isEqualTo(1);
  }

  private static long dpdCount(IpsecPeer peer) {
    DeadPeerDetectionStatus dpd =
        peer.getStatus() == null ? null : peer.getStatus().getDeadPeerDetection();
    return dpd == null || dpd.getCount() == null ? 0 : dpd.getCount();
  }

  /** One write as {@code rv:IKE state:Ready reason}, to show what a watcher saw. */
  private static String summary(PeerWrite write) {
    var status = write.peer().getStatus();
    String ready =
        status.getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .map(c -> c.getStatus() + "/" + c.getReason())
            .findFirst()
            .orElse("?");
    return write.resourceVersion()
        + ":"
        + (status.getIkeSa() == null ? "-" : status.getIkeSa().getState())
        + ":"
        + ready
        + ":dpd="
        + dpdCount(write.peer());
  }
}
