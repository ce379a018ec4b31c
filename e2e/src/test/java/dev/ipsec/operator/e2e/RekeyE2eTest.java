package dev.ipsec.operator.e2e;

import static dev.ipsec.operator.e2e.PskSitePair.PEER_ON_SITE_A;
import static dev.ipsec.operator.e2e.PskSitePair.SITE_A;
import static dev.ipsec.operator.e2e.PskSitePair.SITE_B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.RekeyStatus;
import dev.ipsec.operator.demo.PeerTable;
import dev.ipsec.operator.e2e.PeerWrites.PeerWrite;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 4 of issue 6: an EspGroup with the shortest lifetime the CRD allows (30 s; rendered as
 * {@code life_time = 30s}, {@code rekey_time = 27s}, so charon 5.9.8 draws each SA's rekey from
 * (23, 27] s) keeps rekeying its CHILD SA; the IpsecPeer's status shows the CHILD rekey count and
 * time advancing, each rekey is one status write and nothing is written in between (proved by a
 * watch on the API server counting the peer's MODIFIED events), Ready never flaps, and the {@code
 * Rekeyed} Event is aggregated rather than one per rekey.
 */
class RekeyE2eTest {

  private static final int ESP_LIFETIME = 30;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** One rekey period, 27 s at most, plus the agent-to-status path. */
  private static final Duration REKEY_TIMEOUT = Duration.ofSeconds(ESP_LIFETIME + 10);

  @RegisterExtension
  final E2eCluster cluster = E2eCluster.forEachTest("e2e-rekey", List.of(SITE_A, SITE_B));

  @Test
  void childRekeysAdvanceTheStatusWithoutWritesInBetween() {
    PeerWrites writes = new PeerWrites();
    cluster.closeAfterTest(writes.watch(cluster, PEER_ON_SITE_A));

    long created = System.nanoTime();
    PskSitePair.apply(cluster, "", ESP_LIFETIME, "");
    IpsecPeer ready = cluster.awaitPeer(PEER_ON_SITE_A, PeerTable::isUp, READY_TIMEOUT);
    long readyAt = System.nanoTime();
    assertThat(childRekeys(ready)).isZero();

    PeerWrite first = writes.await(w -> childRekeys(w.peer()) >= 1, REKEY_TIMEOUT);
    PeerWrite second =
        writes.await(w -> childRekeys(w.peer()) > childRekeys(first.peer()), REKEY_TIMEOUT);
    System.out.printf(
        "e2e rekey (ESP lifetime %d s): create -> Ready %d ms; Ready -> first CHILD rekey in status"
            + " %d ms; first -> next rekey in status %d ms (CHILD rekeys %d -> %d)%n",
        ESP_LIFETIME,
        millis(created, readyAt),
        millis(readyAt, first.nanos()),
        millis(first.nanos(), second.nanos()),
        childRekeys(first.peer()),
        childRekeys(second.peer()));

    RekeyStatus before = first.peer().getStatus().getRekeys();
    RekeyStatus after = second.peer().getStatus().getRekeys();
    assertThat(Instant.parse(after.getLastChildRekeyAt()))
        .isAfter(Instant.parse(before.getLastChildRekeyAt()));
    // the IkeGroup's lifetime is an hour: these were CHILD rekeys only
    assertThat(after.getIkeRekeys()).isZero();

    List<PeerWrite> all = writes.all();
    int firstIndex = all.indexOf(first);
    int secondIndex = all.indexOf(second);
    assertThat(all.subList(firstIndex + 1, secondIndex))
        .as("status writes between two rekeys")
        .isEmpty();
    assertThat(Long.parseLong(second.resourceVersion()))
        .isGreaterThan(Long.parseLong(first.resourceVersion()));
    // a rekey costs no traffic and no readiness: every write after Ready keeps Ready True
    assertThat(all.stream().filter(w -> w.nanos() >= readyAt).map(PeerWrite::peer))
        .allMatch(PeerTable::isUp);
    // the watch was not merely silent: it saw the writes that made the peer Ready
    assertThat(all.stream().filter(w -> w.nanos() < first.nanos())).isNotEmpty();

    List<Event> rekeyed = PskSitePair.events(cluster, PEER_ON_SITE_A, "Rekeyed");
    assertThat(rekeyed)
        .as("one aggregated Rekeyed Event for %d rekeys", childRekeys(second.peer()))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).matches("\\d+ rekeys since the last report.*"));
  }

  private static long childRekeys(IpsecPeer peer) {
    RekeyStatus rekeys = peer.getStatus() == null ? null : peer.getStatus().getRekeys();
    return rekeys == null || rekeys.getChildRekeys() == null ? 0 : rekeys.getChildRekeys();
  }

  private static long millis(long fromNanos, long toNanos) {
    return Duration.ofNanos(toNanos - fromNanos).toMillis();
  }
}
