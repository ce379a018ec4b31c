package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.CertificateRequest;
import dev.ipsec.operator.pki.PeerVerifier;
import dev.ipsec.operator.pki.RenewingCertificate;
import dev.ipsec.operator.pki.TlsContexts;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag {@code benchmark}, excluded by default). Run with
 *
 * <pre>mvn -B -o -ntp -pl operator -am test -Pbenchmark -Dtest=GatewayFleetBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * {@value #GATEWAYS} gateways with {@value #PODS} pods each, followed by one {@link GatewayPoller}
 * (the operator's, with its asynchronous HTTPS client and mutual TLS). Every pod's agent is a real
 * HTTPS server on the loopback interface with its gateway's certificate that answers long-polls
 * ({@code since}/{@code wait}) the way the agent does, and changes its state every {@value
 * #CHANGE_EVERY_SECONDS} s, staggered. Prints p50 and p99 of the time from an agent's state change
 * to its report in the operator's {@link GatewayStateStore} (from where the status is written; the
 * status patch itself is not part of this figure), the operator's threads (those of the poller and
 * its HTTP client, which the fakes' threads are not) and the JVM's heap after GC (the fakes
 * included, so an upper bound). Targets (issue 17): p99 at most 2 s, threads independent of the
 * gateway count, heap at most 512 MiB. The only assertion is that changes were seen.
 */
@Tag("benchmark")
class GatewayFleetBenchmark {

  static final int GATEWAYS = 500;
  static final int PODS = 2;
  static final int CHANGE_EVERY_SECONDS = 5;
  static final Duration MEASURE = Duration.ofSeconds(30);

  @Test
  void fiveHundredGatewaysPolledByOneOperator() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("fleet-ca", Clock.systemUTC());
    AgentStateDocument recorded = AgentDocuments.fixture("established");
    ExecutorService handlers = Executors.newCachedThreadPool();
    ScheduledExecutorService changer = Executors.newSingleThreadScheduledExecutor();
    List<LongPollAgent> agents = new ArrayList<>();
    Map<String, long[]> changedAt = new ConcurrentHashMap<>(); // pod -> {revision, nanos}
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    GatewayStateStore store = new GatewayStateStore();
    AgentPolling settings =
        new AgentPolling(
            true, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(1));
    try (GatewayPoller poller =
        new GatewayPoller(
            store,
            settings,
            Clock.systemUTC(),
            new AgentClient(
                RenewingCertificate.operatorClient(ca, Clock.systemUTC()),
                ca,
                Clock.systemUTC()))) {
      store.addListener(
          change -> {
            long now = System.nanoTime();
            for (AgentReport report : store.reports(change.gateway())) {
              long[] pending = changedAt.get(report.pod());
              if (pending != null
                  && report.agentRevision() >= pending[0]
                  && changedAt.remove(report.pod(), pending)) {
                latencies.add(now - pending[1]);
              }
            }
          });
      long setup = System.nanoTime();
      for (int g = 0; g < GATEWAYS; g++) {
        String gateway = "gw" + g;
        SSLContext context =
            TlsContexts.create(
                ca.issue(CertificateRequest.agent("vpn", gateway, List.of()), Clock.systemUTC()),
                PeerVerifier.operatorClients(ca::certificate, Clock.systemUTC()));
        Set<GatewayPoller.Target> targets = new java.util.HashSet<>();
        for (int p = 0; p < PODS; p++) {
          LongPollAgent agent =
              LongPollAgent.start(context, handlers, gateway + "-pod" + p, recorded);
          agents.add(agent);
          targets.add(
              new GatewayPoller.Target(
                  agent.pod, InetAddress.getLoopbackAddress().getHostAddress(), agent.port()));
        }
        poller.follow(new GatewayStateStore.GatewayId("vpn", gateway), "uid-" + g, targets);
      }
      long started = System.nanoTime();
      // every pod reported once
      while (agents.stream()
              .anyMatch(
                  a ->
                      store.reports(new GatewayStateStore.GatewayId("vpn", a.gateway())).stream()
                          .noneMatch(r -> r.pod().equals(a.pod) && r.reachable()))
          && System.nanoTime() - started < TimeUnit.MINUTES.toNanos(3)) {
        Thread.sleep(200);
      }
      long allReported = System.nanoTime();

      long periodNanos = TimeUnit.SECONDS.toNanos(CHANGE_EVERY_SECONDS);
      for (int i = 0; i < agents.size(); i++) {
        LongPollAgent agent = agents.get(i);
        changer.scheduleAtFixedRate(
            () -> {
              long revision = agent.nextRevision();
              changedAt.put(agent.pod, new long[] {revision, System.nanoTime()});
              agent.publish(revision);
            },
            periodNanos * i / agents.size(),
            periodNanos,
            TimeUnit.NANOSECONDS);
      }
      Thread.sleep(MEASURE.toMillis());
      changer.shutdownNow();
      Thread.sleep(3000); // let the last changes arrive

      int operatorThreads = operatorThreads();
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      List<Long> sorted;
      synchronized (latencies) {
        sorted = new ArrayList<>(latencies);
      }
      Collections.sort(sorted);
      assertThat(sorted).as("state changes that reached the store").isNotEmpty();
      double changesPerSecond = (double) agents.size() / CHANGE_EVERY_SECONDS;
      System.out.printf(
          "%n=== GatewayFleetBenchmark: %d gateways x %d pods, one poller ===%n", GATEWAYS, PODS);
      System.out.printf(
          "setup %.1f s; every pod reported once %.1f s after the last follow%n",
          (started - setup) / 1e9, (allReported - started) / 1e9);
      System.out.printf(
          "state changes: %.0f/s for %d s, %d seen, %d not (yet) seen%n",
          changesPerSecond, MEASURE.toSeconds(), sorted.size(), changedAt.size());
      System.out.printf(
          "agent state change -> report in the store: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
              + " (target p99 <= 2000 ms: %s)%n",
          percentile(sorted, 50) / 1e6,
          percentile(sorted, 99) / 1e6,
          sorted.get(sorted.size() - 1) / 1e6,
          percentile(sorted, 99) <= 2e9 ? "met" : "MISSED");
      System.out.printf(
          "operator threads (gateway-poller*, HttpClient*): %d (target: independent of the"
              + " gateway count)%n",
          operatorThreads);
      System.out.printf(
          "heap after GC: %d MiB, the %d fake agents included (target <= 512 MiB: %s)%n%n",
          heap / (1024 * 1024), agents.size(), heap <= 512L * 1024 * 1024 ? "met" : "MISSED");
    } finally {
      changer.shutdownNow();
      agents.forEach(LongPollAgent::close);
      handlers.shutdownNow();
    }
  }

  private static int operatorThreads() {
    return (int)
        Thread.getAllStackTraces().keySet().stream()
            .map(Thread::getName)
            .filter(n -> n.startsWith("gateway-poller") || n.startsWith("HttpClient"))
            .count();
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
