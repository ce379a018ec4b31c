package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.reconcile.agentstate.AgentStateMappingTest.MutableClock;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A new operator knows nothing of the tunnels: until a gateway's agents have reported to it, or the
 * startup bound has passed, its gateways count as unknown, not as silent. The bound counts from the
 * first reconcile that asks, not from when the store was built, since a standby builds its store
 * long before it leads.
 */
class GatewayStateStoreStartupTest {
  private static final GatewayId SITE_A = new GatewayId("ns", "site-a");
  private static final GatewayId SITE_B = new GatewayId("ns", "site-b");
  private static final Duration BOUND = Duration.ofSeconds(30);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T09:00:00Z"));

  @Test
  void aGatewayIsUnknownUntilItsFirstReport() {
    GatewayStateStore store = new GatewayStateStore(clock, BOUND);

    assertThat(store.untilFirstReport(SITE_A)).isEqualTo(BOUND);
    clock.now = clock.now.plusSeconds(10);
    assertThat(store.untilFirstReport(SITE_A)).isEqualTo(Duration.ofSeconds(20));

    store.put(SITE_A, AgentReport.unreachable("site-a-0", "connection refused", null));

    assertThat(store.untilFirstReport(SITE_A))
        .as("any report counts: an unreachable agent is news too")
        .isZero();
    assertThat(store.untilFirstReport(SITE_B)).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void aGatewayThatNeverReportsIsKnownAsSilentOnceTheBoundHasPassed() {
    GatewayStateStore store = new GatewayStateStore(clock, BOUND);
    store.untilFirstReport(SITE_A);

    clock.now = clock.now.plus(BOUND);

    assertThat(store.untilFirstReport(SITE_A)).isZero();
    assertThat(store.untilFirstReport(SITE_B)).isZero();
  }

  @Test
  void theBoundCountsFromTheFirstQuestionNotFromTheStoresCreation() {
    GatewayStateStore store = new GatewayStateStore(clock, BOUND);

    clock.now = clock.now.plus(Duration.ofMinutes(10)); // a standby, waiting to lead

    assertThat(store.untilFirstReport(SITE_A)).isEqualTo(BOUND);
  }

  @Test
  void aReportStaysNewsAfterItsPodIsGone() {
    GatewayStateStore store = new GatewayStateStore(clock, BOUND);
    store.put(SITE_A, AgentReport.unreachable("site-a-0", "connection refused", null));

    store.retainPods(SITE_A, Set.of());

    assertThat(store.untilFirstReport(SITE_A)).isZero();
  }

  @Test
  void theDefaultStoreKnowsEveryGatewayAtOnce() {
    assertThat(new GatewayStateStore().untilFirstReport(SITE_A)).isZero();
  }
}
