package dev.ipsec.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.demo.ApiRequest;
import dev.ipsec.operator.demo.LocalCluster;
import dev.ipsec.operator.demo.PeerTable;
import dev.ipsec.operator.e2e.E2eCluster.CommandResult;
import dev.ipsec.operator.e2e.E2eCluster.Site;
import dev.ipsec.operator.reconcile.OperatorClient;
import dev.ipsec.operator.reconcile.OperatorSettings.LeaseTimings;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, "a leader failover e2e": two operator replicas compete for one Lease against the
 * embedded API server, with both demo sites' tunnels up. The leader is killed as SIGKILL would
 * (nothing more of it reaches the API server, it does not release the Lease). The other replica
 * takes over once the Lease has expired, and, as after a restart, rebuilds its view from the agents
 * before it writes: while the tunnels stay up it writes no status of any peer or gateway and
 * records no Event. It then serves a spec edit through to status. Before it led, it wrote nothing.
 */
class LeaderFailoverE2eTest {

  private static final Path EXAMPLE =
      Path.of(System.getProperty("project.root", ".."), "examples", "site-to-site");
  private static final Site SITE_A = new Site("site-a", "203.0.113.10", "198.51.100.1");
  private static final Site SITE_B = new Site("site-b", "203.0.113.20", "198.51.100.129");
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  /**
   * Short enough for a fast test, long enough that a leader on this shared two-core machine does
   * not miss its renewals: it renews every second and gives up after four.
   */
  private static final LeaseTimings TIMINGS = LeaseTimings.ofSeconds(6, 4, 1);

  /**
   * The longest a takeover may take after the crash: the Lease runs out at most its duration after
   * the last renewal, and a standby tries again within 2.2 retry periods (fabric8's jitter); one
   * second for the API server and the clock.
   */
  private static final Duration TAKEOVER_BOUND =
      TIMINGS
          .leaseDuration()
          .plus(TIMINGS.retryPeriod().multipliedBy(22).dividedBy(10))
          .plusSeconds(1);

  /** Long enough for the new leader to reconcile everything and poll every agent, twice over. */
  private static final Duration AFTER_TAKEOVER = Duration.ofSeconds(15);

  private static final Set<String> WRITES =
      Set.of("create", "update", "patch", "delete", "deletecollection");

  @RegisterExtension
  final E2eCluster cluster =
      E2eCluster.forEachTest("e2e-failover", List.of(SITE_A, SITE_B))
          .withOperatorReplicas(2, TIMINGS);

  @Test
  void theStandbyTakesOverWithinTheLeaseWritingNothingWhileTheTunnelsStayUp()
      throws InterruptedException {
    cluster.apply(EXAMPLE.resolve("groups.yaml"));
    cluster.apply(EXAMPLE.resolve("site-b.yaml"));
    cluster.apply(EXAMPLE.resolve("site-a.yaml"));
    cluster.awaitPeer("site-b", PeerTable::isUp, TIMEOUT);
    cluster.awaitPeer("site-a", PeerTable::isUp, TIMEOUT);
    Map<String, String> before = awaitQuiet();
    Map<String, Integer> eventsBefore = eventCounts();

    String leader = lease().getSpec().getHolderIdentity();
    List<String> replicas =
        List.of(LocalCluster.operatorIdentity(0), LocalCluster.operatorIdentity(1));
    assertThat(replicas).as("the Lease's holder").contains(leader);
    String standby = replicas.stream().filter(r -> !r.equals(leader)).findFirst().orElseThrow();

    int standbyRequestsAtCrash = requestsOf(standby).size();
    long crashed = System.nanoTime();
    cluster.crashOperator(leader);
    assertThat(lease().getSpec().getHolderIdentity())
        .as("a killed leader does not release the Lease")
        .isEqualTo(leader);
    Duration takeover = awaitHolder(standby, crashed);
    System.out.printf(
        "e2e leader failover: %s killed, %s holds the Lease after %d ms (lease %d s, retry %d s,"
            + " bound %d ms)%n",
        leader,
        standby,
        takeover.toMillis(),
        TIMINGS.leaseDuration().toSeconds(),
        TIMINGS.retryPeriod().toSeconds(),
        TAKEOVER_BOUND.toMillis());
    assertThat(takeover).as("time from the kill to the takeover").isLessThan(TAKEOVER_BOUND);

    Thread.sleep(AFTER_TAKEOVER.toMillis());
    assertThat(statusVersions())
        .as("resourceVersions of the peers and gateways after the failover")
        .isEqualTo(before);
    assertThat(eventCounts())
        .as("Events (reason kind/name -> count) after the failover")
        .isEqualTo(eventsBefore);
    CommandResult ping =
        cluster.ping(SITE_A.gateway(), SITE_A.innerAddress(), SITE_B.innerAddress());
    assertThat(ping.exitCode()).as(ping.output()).isZero();

    assertThat(writesBeforeLeading(standby, standbyRequestsAtCrash))
        .as("writes of %s before it took the Lease", standby)
        .isEmpty();

    // the new leader serves a change: the edit reaches charon and the status
    long generation =
        cluster
            .client()
            .resources(IpsecPeer.class)
            .inNamespace(cluster.namespace())
            .withName("site-b")
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replayWindow\":64}}")
            .getMetadata()
            .getGeneration();
    cluster.awaitPeer(
        "site-b",
        p ->
            PeerTable.isUp(p)
                && Long.valueOf(generation).equals(p.getStatus().getObservedGeneration())
                && Long.valueOf(generation).equals(p.getStatus().getRunningGeneration()),
        TIMEOUT);
  }

  private Lease lease() {
    return cluster
        .client()
        .leases()
        .inNamespace(cluster.namespace())
        .withName(LocalCluster.LEASE_NAME)
        .get();
  }

  /** Waits until {@code holder} holds the Lease; the time since {@code since} (nanoTime). */
  private Duration awaitHolder(String holder, long since) throws InterruptedException {
    long deadline = since + TIMEOUT.toNanos();
    while (!holder.equals(lease().getSpec().getHolderIdentity())) {
      assertThat(System.nanoTime()).as("%s takes the Lease", holder).isLessThan(deadline);
      Thread.sleep(50);
    }
    return Duration.ofNanos(System.nanoTime() - since);
  }

  private List<ApiRequest> requestsOf(String replica) {
    return cluster.apiRequests().byUserAgent(OperatorClient.userAgent(replica));
  }

  /**
   * The writes a replica made before it took the Lease, its first write of the Lease after the
   * leader's crash (the request at index {@code atCrash} of its own): a standby only reads (the
   * Lease, to see whether it expired; its informers) until it leads. Its attempts to create the
   * Lease at the start, which the other replica won, are the election itself, and its
   * SelfSubjectRulesReview (JOSDK's check of its Lease permissions) stores nothing.
   */
  private List<ApiRequest> writesBeforeLeading(String replica, int atCrash) {
    List<ApiRequest> requests = requestsOf(replica);
    int takeover = -1;
    for (int i = atCrash; i < requests.size() && takeover < 0; i++) {
      if (isLeaseWrite(requests.get(i))) {
        takeover = i;
      }
    }
    assertThat(takeover).as("%s wrote the Lease after the crash", replica).isNotNegative();
    return requests.subList(0, takeover).stream()
        .filter(r -> r.source().equals(ApiRequest.REQUEST) && WRITES.contains(r.verb()))
        .filter(r -> !(isLeaseWrite(r) && r.verb().equals("create")))
        // a review is a question created, not state: JOSDK asks whether it may use Leases
        .filter(r -> !r.resource().startsWith("selfsubject"))
        .toList();
  }

  private static boolean isLeaseWrite(ApiRequest r) {
    return r.resource().equals("leases") && WRITES.contains(r.verb());
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

  /** How often each reason was recorded about each object: a repeated Event raises its count. */
  private Map<String, Integer> eventCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (Event e :
        cluster.client().v1().events().inNamespace(cluster.namespace()).list().getItems()) {
      String key =
          e.getReason()
              + " "
              + e.getInvolvedObject().getKind()
              + "/"
              + e.getInvolvedObject().getName();
      counts.merge(key, e.getCount() == null ? 1 : e.getCount(), Integer::sum);
    }
    return counts;
  }
}
