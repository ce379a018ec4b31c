package dev.ipsec.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.ChildSaStatus;
import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.demo.PeerTable;
import dev.ipsec.operator.e2e.E2eCluster.CommandResult;
import dev.ipsec.operator.e2e.E2eCluster.Site;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 1 of issue 6: the PSK site-to-site example, applied as a user would, brings up a real
 * tunnel between two gateways run by the real operator, and traffic between the sites' prefixes
 * goes through it.
 */
class SiteToSitePskE2eTest {

  private static final Path EXAMPLE =
      Path.of(System.getProperty("project.root", ".."), "examples", "site-to-site");
  private static final Site SITE_A = new Site("site-a", "203.0.113.10", "198.51.100.1");
  private static final Site SITE_B = new Site("site-b", "203.0.113.20", "198.51.100.129");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  final E2eCluster cluster =
      // the one scenario with leader election on: it proves the Lease permissions
      // (OperatorRbacE2eTest)
      E2eCluster.forEachTest("e2e-psk", List.of(SITE_A, SITE_B)).withLeaderElection();

  @Test
  void bothPeersBecomeReadyAndPingCrossesTheTunnel() {
    // every Ready the gateways go through, as a watcher such as ArgoCD sees them
    Map<String, List<String>> gatewayReady = new ConcurrentHashMap<>();
    cluster.closeAfterTest(
        cluster
            .client()
            .resources(IpsecGlobal.class)
            .inNamespace(cluster.namespace())
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, IpsecGlobal global) {
                    Condition ready =
                        global.getStatus() == null || global.getStatus().getConditions() == null
                            ? null
                            : global.getStatus().getConditions().stream()
                                .filter(c -> "Ready".equals(c.getType()))
                                .findFirst()
                                .orElse(null);
                    if (ready != null) {
                      List<String> seen =
                          gatewayReady.computeIfAbsent(
                              global.getMetadata().getName(), n -> new CopyOnWriteArrayList<>());
                      String state = ready.getStatus() + "/" + ready.getReason();
                      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
                        seen.add(state);
                      }
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                }));
    long created = System.nanoTime();
    cluster.apply(EXAMPLE.resolve("groups.yaml"));
    cluster.apply(EXAMPLE.resolve("site-b.yaml"));
    cluster.apply(EXAMPLE.resolve("site-a.yaml"));

    // on gateway site-a the peer is called site-b, and the other way round
    IpsecPeer onSiteA = cluster.awaitPeer("site-b", PeerTable::isUp, READY_TIMEOUT);
    Duration siteAReady = Duration.ofNanos(System.nanoTime() - created);
    IpsecPeer onSiteB = cluster.awaitPeer("site-a", PeerTable::isUp, READY_TIMEOUT);
    Duration bothReady = Duration.ofNanos(System.nanoTime() - created);
    System.out.printf(
        "e2e psk site-to-site: create -> peer on site-a Ready %d ms, both Ready %d ms%n",
        siteAReady.toMillis(), bothReady.toMillis());

    assertThat(onSiteA.getStatus().getIkeSa().getRemoteHost()).isEqualTo(SITE_B.podAddress());
    assertThat(onSiteB.getStatus().getIkeSa().getRemoteHost()).isEqualTo(SITE_A.podAddress());
    assertThat(onSiteA.getStatus().getTunnels())
        .extracting(ChildSaStatus::getName)
        .containsExactly("site-b-tunnel-1");
    assertThat(onSiteB.getStatus().getTunnels())
        .extracting(ChildSaStatus::getName)
        .containsExactly("site-a-tunnel-1");

    // the gateways' pods started without Ready ever saying False: ArgoCD showed them
    // Progressing, then Healthy, never Degraded
    for (Site site : List.of(SITE_A, SITE_B)) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(gatewayReady.get(site.gateway()))
                      .as("Ready of IpsecGlobal %s", site.gateway())
                      .isNotNull()
                      .endsWith("True/PodsReady"));
      System.out.printf(
          "e2e psk site-to-site: IpsecGlobal %s Ready went %s%n",
          site.gateway(), gatewayReady.get(site.gateway()));
      assertThat(gatewayReady.get(site.gateway()))
          .as("Ready of IpsecGlobal %s", site.gateway())
          .noneMatch(state -> state.startsWith("False/"));
    }

    long packetsBefore = packetsIn(SITE_B);
    CommandResult ping = pingSiteBFromSiteA();
    assertThat(ping.exitCode()).as(ping.output()).isZero();
    assertThat(ping.output()).contains("1 received");
    // the echo request arrived at site B through its CHILD SA, not by some other route
    assertThat(packetsIn(SITE_B)).isGreaterThan(packetsBefore);
  }

  /**
   * One echo request from site A's inner address to site B's, retried a few times (ARP, routes).
   */
  private CommandResult pingSiteBFromSiteA() {
    CommandResult last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      last =
          cluster.execInPod(
              SITE_A.gateway(),
              List.of(
                  "ping",
                  "-n",
                  "-c",
                  "1",
                  "-W",
                  "2",
                  "-I",
                  SITE_A.innerAddress(),
                  SITE_B.innerAddress()),
              Duration.ofSeconds(10));
      if (last.exitCode() == 0) {
        return last;
      }
    }
    return last;
  }

  /** Packets received on the site's CHILD SAs, as charon counts them. */
  private long packetsIn(Site site) {
    CommandResult sas = cluster.swanctl(site.gateway(), "--list-sas", "--raw");
    assertThat(sas.exitCode()).as(sas.output()).isZero();
    Matcher m = Pattern.compile("packets-in=(\\d+)").matcher(sas.output());
    long total = 0;
    boolean found = false;
    while (m.find()) {
      total += Long.parseLong(m.group(1));
      found = true;
    }
    assertThat(found).as("a CHILD SA on %s: %s", site.gateway(), sas.output()).isTrue();
    return total;
  }
}
