package dev.ipsec.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.demo.PeerTable;
import dev.ipsec.operator.e2e.E2eCluster.CommandResult;
import dev.ipsec.operator.e2e.E2eCluster.Site;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, "an operator restart changes nothing": with both tunnels up, the operator is stopped
 * and a new one started on the same API server (a new operator pod, or a new leader). The new
 * operator knows nothing of the tunnels until it has polled the agents; it must not write what it
 * does not know. While the tunnels stay up, it writes no status of any peer or gateway and records
 * no Event; the tunnels carry traffic throughout.
 */
class OperatorRestartE2eTest {

  private static final Path EXAMPLE =
      Path.of(System.getProperty("project.root", ".."), "examples", "site-to-site");
  private static final Site SITE_A = new Site("site-a", "203.0.113.10", "198.51.100.1");
  private static final Site SITE_B = new Site("site-b", "203.0.113.20", "198.51.100.129");
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  /** Long enough for a new operator to reconcile everything and poll every agent, twice over. */
  private static final Duration AFTER_RESTART = Duration.ofSeconds(20);

  @RegisterExtension
  final E2eCluster cluster = E2eCluster.forEachTest("e2e-restart", List.of(SITE_A, SITE_B));

  @Test
  void aNewOperatorWritesNoStatusAndNoEventWhileTheTunnelsStayUp() throws InterruptedException {
    cluster.apply(EXAMPLE.resolve("groups.yaml"));
    cluster.apply(EXAMPLE.resolve("site-b.yaml"));
    cluster.apply(EXAMPLE.resolve("site-a.yaml"));
    cluster.awaitPeer("site-b", PeerTable::isUp, TIMEOUT);
    cluster.awaitPeer("site-a", PeerTable::isUp, TIMEOUT);
    Map<String, String> before = awaitQuiet();
    Map<String, String> eventsBefore = events();

    cluster.restartOperator();
    Thread.sleep(AFTER_RESTART.toMillis());

    assertThat(statusVersions())
        .as("resourceVersions of the peers and gateways after the restart")
        .isEqualTo(before);
    assertThat(events()).as("Events (name -> count) after the restart").isEqualTo(eventsBefore);
    CommandResult ping =
        cluster.ping(SITE_A.gateway(), SITE_A.innerAddress(), SITE_B.innerAddress());
    assertThat(ping.exitCode()).as(ping.output()).isZero();
  }

  /**
   * Waits until no peer or gateway has been written for five seconds (the last agent reports of the
   * start-up settle), then returns their resourceVersions.
   */
  private Map<String, String> awaitQuiet() throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    Map<String, String> last = statusVersions();
    int quietChecks = 0;
    while (quietChecks < 5) {
      assertThat(System.nanoTime()).as("peers and gateways settle").isLessThan(deadline);
      Thread.sleep(1_000);
      Map<String, String> now = statusVersions();
      quietChecks = now.equals(last) ? quietChecks + 1 : 0;
      last = now;
    }
    return last;
  }

  private Map<String, String> statusVersions() {
    Map<String, String> versions = new TreeMap<>();
    List<? extends HasMetadata> objects =
        Stream.concat(
                cluster
                    .client()
                    .resources(IpsecPeer.class)
                    .inNamespace(cluster.namespace())
                    .list()
                    .getItems()
                    .stream(),
                cluster
                    .client()
                    .resources(IpsecGlobal.class)
                    .inNamespace(cluster.namespace())
                    .list()
                    .getItems()
                    .stream())
            .toList();
    for (HasMetadata object : objects) {
      versions.put(
          object.getKind() + "/" + object.getMetadata().getName(),
          object.getMetadata().getResourceVersion());
    }
    return versions;
  }

  private Map<String, String> events() {
    Map<String, String> counts = new TreeMap<>();
    for (Event e :
        cluster.client().v1().events().inNamespace(cluster.namespace()).list().getItems()) {
      counts.put(
          e.getMetadata().getName(), e.getCount() + "@" + e.getMetadata().getResourceVersion());
    }
    return counts;
  }
}
