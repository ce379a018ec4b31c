package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.threads.DaemonThreads;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plain connect before the first request to a starting pod's agent: a closed port is told
 * without an HTTPS request, an open one lets the request go, and nothing is sent either way.
 */
class AgentPortCheckTest {

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("port-check-test"));
  private final AgentPortCheck check = new AgentPortCheck(scheduler);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void aPortNobodyListensOnIsClosedWithTheReason() throws Exception {
    int port;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = gone.getLocalPort();
    }
    Optional<String> closed =
        check.check(new GatewayPoller.Target("pod", "127.0.0.1", port)).get(5, TimeUnit.SECONDS);
    assertThat(closed).hasValueSatisfying(p -> assertThat(p).contains("ConnectException"));
  }

  @Test
  void aListeningPortIsOpenAndReceivesNoBytes() throws Exception {
    try (ServerSocket agent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Optional<String> closed =
          check
              .check(new GatewayPoller.Target("pod", "127.0.0.1", agent.getLocalPort()))
              .get(5, TimeUnit.SECONDS);
      assertThat(closed).isEmpty();
      agent.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
      try (var accepted = agent.accept()) {
        assertThat(accepted.getInputStream().read()).as("closed before any byte").isEqualTo(-1);
      }
    }
  }
}
