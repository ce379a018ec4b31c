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
import io.fabric8.kubernetes.api.model.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 6 of issue 6: two peer pairs between the same two gateways, the example's pair and a
 * second pair whose responder holds a wrong PSK. The second pair reports AuthenticationFailed
 * (conditions, lastFailure, an Event) while the first keeps its SAs and its traffic on the very
 * same charons; correcting the Secret brings the second pair up.
 */
class WrongPskE2eTest {

  private static final Path EXAMPLE =
      Path.of(System.getProperty("project.root", ".."), "examples", "site-to-site");
  private static final Duration TIMEOUT = Duration.ofSeconds(45);
  private static final String RIGHT_PSK = "second-pair-psk-3b1f0c7e";
  private static final String WRONG_PSK = "not-the-second-pair-psk";

  @RegisterExtension
  final E2eCluster cluster = E2eCluster.forEachTest("e2e-wrong-psk", List.of(SITE_A, SITE_B));

  @Test
  void wrongPskFailsAuthenticationOfThatPeerOnlyAndFixingTheSecretBringsItUp() {
    cluster.apply(EXAMPLE.resolve("groups.yaml"));
    cluster.apply(EXAMPLE.resolve("site-b.yaml"));
    cluster.apply(EXAMPLE.resolve("site-a.yaml"));
    cluster.awaitPeer(FIRST_ON_A, PeerTable::isUp, TIMEOUT);
    cluster.awaitPeer(FIRST_ON_B, PeerTable::isUp, TIMEOUT);
    IkeSa firstOnA = PeerStatuses.establishedSa(cluster, SITE_A.gateway(), FIRST_ON_A);
    IkeSa firstOnB = PeerStatuses.establishedSa(cluster, SITE_B.gateway(), FIRST_ON_B);

    long created = SecondPeerPair.create(cluster, RIGHT_PSK, WRONG_PSK, TIMEOUT);
    IpsecPeer failedOnB = cluster.awaitPeer(ON_B, WrongPskE2eTest::authenticationFailed, TIMEOUT);
    Duration failedAfter = Duration.ofNanos(System.nanoTime() - created);
    List<Event> events = awaitAuthenticationFailedEvent(ON_B);
    Duration eventAfter = Duration.ofNanos(System.nanoTime() - created);
    System.out.printf(
        "e2e wrong psk: create -> AuthenticationFailed in status %d ms, Event %d ms%n",
        failedAfter.toMillis(), eventAfter.toMillis());
    // the initiator learns it from the responder's AUTHENTICATION_FAILED notify
    IpsecPeer failedOnA = cluster.awaitPeer(ON_A, WrongPskE2eTest::authenticationFailed, TIMEOUT);

    assertThat(failedOnB.getStatus().getLastFailure().getMessage())
        .as("what charon said")
        .isNotBlank()
        .doesNotContain(WRONG_PSK, RIGHT_PSK);
    assertThat(failedOnB.getStatus().getIkeSa().getState()).isNotEqualTo("ESTABLISHED");
    assertThat(failedOnA.getStatus().getIkeSa().getState()).isNotEqualTo("ESTABLISHED");
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).doesNotContain(WRONG_PSK, RIGHT_PSK);
            });
    for (String first : List.of(FIRST_ON_A, FIRST_ON_B)) {
      assertThat(cluster.eventsAbout("IpsecPeer", first))
          .extracting(Event::getReason)
          .as("Events of %s", first)
          .doesNotContain("AuthenticationFailed", "TunnelDown");
    }
    assertFirstPairUntouched(firstOnA, firstOnB);

    long fixed = System.nanoTime();
    cluster
        .client()
        .secrets()
        .inNamespace(cluster.namespace())
        .withName(SecondPeerPair.secretOf(ON_B))
        .edit(
            secret -> {
              secret.setData(SecondPeerPair.pskData(RIGHT_PSK));
              return secret;
            });
    cluster.awaitPeer(ON_B, PeerTable::isUp, TIMEOUT);
    cluster.awaitPeer(ON_A, PeerTable::isUp, TIMEOUT);
    System.out.printf(
        "e2e wrong psk: Secret fixed -> both peers of the pair Ready %d ms%n",
        Duration.ofNanos(System.nanoTime() - fixed).toMillis());

    CommandResult ping =
        cluster.ping(
            SITE_A.gateway(),
            SITE_A.moreInnerAddresses().get(0),
            SITE_B.moreInnerAddresses().get(0));
    assertThat(ping.exitCode()).as("ping through the second pair: %s", ping.output()).isZero();
    assertFirstPairUntouched(firstOnA, firstOnB);
  }

  /** Both peers of the example's pair are still Ready on the same SAs, and carry traffic. */
  private void assertFirstPairUntouched(IkeSa firstOnA, IkeSa firstOnB) {
    assertThat(PeerTable.isUp(cluster.peer(FIRST_ON_A))).as("%s Ready", FIRST_ON_A).isTrue();
    assertThat(PeerTable.isUp(cluster.peer(FIRST_ON_B))).as("%s Ready", FIRST_ON_B).isTrue();
    assertThat(PeerStatuses.establishedSa(cluster, SITE_A.gateway(), FIRST_ON_A))
        .isEqualTo(firstOnA);
    assertThat(PeerStatuses.establishedSa(cluster, SITE_B.gateway(), FIRST_ON_B))
        .isEqualTo(firstOnB);
    long packetsBefore = cluster.childSaPacketsIn(SITE_B.gateway());
    CommandResult ping =
        cluster.ping(SITE_A.gateway(), SITE_A.innerAddress(), SITE_B.innerAddress());
    assertThat(ping.exitCode()).as(ping.output()).isZero();
    assertThat(cluster.childSaPacketsIn(SITE_B.gateway())).isGreaterThan(packetsBefore);
  }

  private static boolean authenticationFailed(IpsecPeer peer) {
    return peer.getStatus() != null
        && peer.getStatus().getLastFailure() != null
        && "AuthenticationFailed".equals(peer.getStatus().getLastFailure().getReason())
        && PeerStatuses.falseReason(peer, "Established")
            .filter("AuthenticationFailed"::equals)
            .isPresent()
        && PeerStatuses.falseReason(peer, "Ready")
            .filter("AuthenticationFailed"::equals)
            .isPresent();
  }

  private List<Event> awaitAuthenticationFailedEvent(String peer) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      List<Event> events =
          cluster.eventsAbout("IpsecPeer", peer).stream()
              .filter(e -> "AuthenticationFailed".equals(e.getReason()))
              .toList();
      if (!events.isEmpty()) {
        return events;
      }
      SecondPeerPair.sleep(Duration.ofMillis(100));
    }
    throw new AssertionError(
        "no AuthenticationFailed Event for IpsecPeer "
            + peer
            + "; events: "
            + cluster.eventsAbout("IpsecPeer", peer));
  }
}
