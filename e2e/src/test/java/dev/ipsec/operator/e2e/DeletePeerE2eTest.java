package dev.ipsec.operator.e2e;

import static dev.ipsec.operator.e2e.SecondPeerPair.FIRST_ON_A;
import static dev.ipsec.operator.e2e.SecondPeerPair.FIRST_ON_B;
import static dev.ipsec.operator.e2e.SecondPeerPair.ON_A;
import static dev.ipsec.operator.e2e.SecondPeerPair.ON_B;
import static dev.ipsec.operator.e2e.SecondPeerPair.SITE_A;
import static dev.ipsec.operator.e2e.SecondPeerPair.SITE_B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.demo.PeerTable;
import dev.ipsec.operator.e2e.E2eCluster.CommandResult;
import dev.ipsec.operator.e2e.E2eCluster.IkeSa;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 7 of issue 6: with two established peers on each of two gateways, deleting one IpsecPeer
 * unloads its connection from that gateway's charon and takes its SAs down, while the other peer on
 * the gateway keeps its IKE and CHILD SAs (the same unique ids) and its traffic.
 *
 * <p>The deleted peer is the responder side: a responder connection has no start action, so
 * unloading it alone would leave its SAs up; only an explicit terminate removes them.
 */
class DeletePeerE2eTest {

  private static final Path EXAMPLE =
      Path.of(System.getProperty("project.root", ".."), "examples", "site-to-site");
  private static final Duration TIMEOUT = Duration.ofSeconds(45);
  private static final String PSK = "second-pair-psk-70d2a9e4";

  @RegisterExtension
  final E2eCluster cluster = E2eCluster.forEachTest("e2e-delete", List.of(SITE_A, SITE_B));

  @Test
  void deletingAnEstablishedPeerUnloadsItsConnectionAndItsSasOnly() {
    cluster.apply(EXAMPLE.resolve("groups.yaml"));
    cluster.apply(EXAMPLE.resolve("site-b.yaml"));
    cluster.apply(EXAMPLE.resolve("site-a.yaml"));
    cluster.awaitPeer(FIRST_ON_A, PeerTable::isUp, TIMEOUT);
    cluster.awaitPeer(FIRST_ON_B, PeerTable::isUp, TIMEOUT);
    SecondPeerPair.create(cluster, PSK, PSK, TIMEOUT);
    cluster.awaitPeer(ON_A, PeerTable::isUp, TIMEOUT);
    cluster.awaitPeer(ON_B, PeerTable::isUp, TIMEOUT);
    String gateway = SITE_B.gateway();
    assertThat(cluster.loadedConnections(gateway)).contains(ON_B, FIRST_ON_B);
    PeerStatuses.establishedSa(cluster, gateway, ON_B);
    IkeSa keptOnB = PeerStatuses.establishedSa(cluster, gateway, FIRST_ON_B);
    IkeSa keptOnA = PeerStatuses.establishedSa(cluster, SITE_A.gateway(), FIRST_ON_A);

    long deleted = System.nanoTime();
    cluster
        .client()
        .resources(IpsecPeer.class)
        .inNamespace(cluster.namespace())
        .withName(ON_B)
        .delete();
    awaitGone(gateway, ON_B);
    Duration goneAfter = Duration.ofNanos(System.nanoTime() - deleted);
    awaitPeerObjectGone(ON_B);
    System.out.printf(
        "e2e delete peer: delete -> connection and SAs gone from charon %d ms,"
            + " IpsecPeer gone %d ms%n",
        goneAfter.toMillis(), Duration.ofNanos(System.nanoTime() - deleted).toMillis());

    assertThat(cluster.loadedConnections(gateway)).contains(FIRST_ON_B).doesNotContain(ON_B);
    assertThat(PeerStatuses.establishedSa(cluster, gateway, FIRST_ON_B)).isEqualTo(keptOnB);
    assertThat(PeerStatuses.establishedSa(cluster, SITE_A.gateway(), FIRST_ON_A))
        .isEqualTo(keptOnA);
    assertThat(PeerTable.isUp(cluster.peer(FIRST_ON_B))).as("%s Ready", FIRST_ON_B).isTrue();
    long packetsBefore = cluster.childSaPacketsIn(gateway);
    CommandResult ping =
        cluster.ping(SITE_A.gateway(), SITE_A.innerAddress(), SITE_B.innerAddress());
    assertThat(ping.exitCode()).as(ping.output()).isZero();
    assertThat(cluster.childSaPacketsIn(gateway)).isGreaterThan(packetsBefore);
  }

  /** Waits until {@code connection} is neither loaded nor has any SA on the gateway's charon. */
  private void awaitGone(String gateway, String connection) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      List<String> loaded = cluster.loadedConnections(gateway);
      List<IkeSa> sas =
          cluster.ikeSas(gateway).stream()
              .filter(sa -> sa.connection().equals(connection))
              .toList();
      if (!loaded.contains(connection) && sas.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            connection
                + " still on "
                + gateway
                + " after "
                + TIMEOUT
                + ": loaded "
                + loaded
                + ", SAs "
                + sas);
      }
      SecondPeerPair.sleep(Duration.ofMillis(100));
    }
  }

  /** The operator's finalizer ran: the IpsecPeer is gone from the API server. */
  private void awaitPeerObjectGone(String name) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (cluster.peer(name) != null) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("IpsecPeer " + name + " still present after " + TIMEOUT);
      }
      SecondPeerPair.sleep(Duration.ofMillis(100));
    }
  }
}
