package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.testing.CharonInstance;
import dev.ipsec.operator.testing.ExecResult;
import dev.ipsec.operator.testing.NetnsLab;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciMessage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test (tag {@code benchmark}, excluded by default). Run with
 *
 * <pre>mvn -B -o -ntp -pl operator -am test -Pbenchmark -Dtest=AgentApplyBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * With {@value #CONNECTIONS} connections (and as many secrets) loaded in one real charon, it
 * measures the time from a one-peer file change (a {@code ..data} swap, timed from the rename) to
 * that connection being loaded by the agent, against {@code swanctl --load-all} of the same
 * configuration on the same charon, and counts the VICI commands the agent sent for unchanged
 * connections. Besides the time, it prints the CPU time the agent's loop thread spent on each
 * change, which the load of a shared machine does not inflate. Prints the figures; the only
 * assertion is that the agent touched nothing else.
 */
@Tag("benchmark")
class AgentApplyBenchmark {

  static final int CONNECTIONS = 2000;
  static final int WARMUP = 5;
  static final int SAMPLES = 15;
  static final int SWANCTL_RUNS = 3;

  @TempDir Path tmp;

  @Test
  void oneConnectionChangeAgainstSwanctlLoadAll() throws Exception {
    try (NetnsLab lab = NetnsLab.create("ag")) {
      String ns = lab.namespace("bm");
      try (CharonInstance charon = CharonInstance.in(lab, ns, tmp.resolve("charon")).start();
          ViciClient agentClient = charon.newClient();
          ViciClient probe = charon.newClient()) {

        ProjectedVolumeDir volume =
            ProjectedVolumeDir.create(
                tmp.resolve("conf"), "r0", ManyPeers.responderFiles(CONNECTIONS));

        GatewayAgent agent =
            new GatewayAgent(
                AgentSettings.defaults(volume.root()),
                agentClient,
                new StateRevision(),
                Clock.systemUTC());
        // when the awaited connection was loaded: System.nanoTime(), and the CPU time of the
        // agent's loop thread (listeners run on it)
        BlockingQueue<long[]> loaded = new ArrayBlockingQueue<>(16);
        String[] awaited = new String[1];
        long[] loopThread = {-1};
        // when the awaited connection's load-conn was sent: the agent's part ends there, charon's
        // begins (the listener runs on the loop thread, before the command is written)
        long[] sent = new long[2];
        agent
            .loaderChannel()
            .onCommand(
                (command, target) -> {
                  if (command.equals("load-conn") && target.equals(awaited[0])) {
                    sent[0] = System.nanoTime();
                    sent[1] = THREADS.getCurrentThreadCpuTime();
                  }
                });
        agent.onApply(
            result -> {
              loopThread[0] = Thread.currentThread().getId();
              if (awaited[0] != null && result.actions().contains("load-conn " + awaited[0])) {
                loaded.add(new long[] {System.nanoTime(), THREADS.getCurrentThreadCpuTime()});
              }
            });
        long t0 = System.nanoTime();
        agent.start();
        try {
          if (!agent.awaitApplied(Duration.ofMinutes(3))) {
            throw new AssertionError("initial load did not finish");
          }
          long initialMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
          assertThat(probe.call("get-conns", ViciMessage.empty()).list("conns"))
              .hasSize(CONNECTIONS);

          List<Double> agentMillis = new ArrayList<>();
          List<Double> agentCpuMillis = new ArrayList<>();
          List<Double> toSendMillis = new ArrayList<>();
          List<Double> toSendCpuMillis = new ArrayList<>();
          List<Double> charonMillis = new ArrayList<>();
          List<String> otherCommands = new ArrayList<>();
          for (int round = 0; round < WARMUP + SAMPLES; round++) {
            int peer = 1 + (round * 131) % CONNECTIONS;
            awaited[0] = "peer" + peer;
            loaded.clear();
            int mark = agent.loaderChannel().history().size();
            long cpuBefore = idleCpuTime(loopThread[0]);
            long visible =
                volume.update(
                    "r" + (round + 1),
                    Map.of(
                        ManyPeers.file(peer),
                        ManyPeers.responder(
                            peer, "        rekey_time = " + (3000 + round) + "s\n")));
            long[] done = loaded.poll(60, TimeUnit.SECONDS);
            if (done == null) {
              throw new AssertionError("peer" + peer + " was not loaded within 60 s");
            }
            Thread.sleep(300); // let anything else the agent might send arrive before counting
            for (String command : agent.loaderChannel().historySince(mark)) {
              if (!command.equals("load-conn peer" + peer)) {
                otherCommands.add(command);
              }
            }
            if (round >= WARMUP) {
              agentMillis.add((done[0] - visible) / 1e6);
              agentCpuMillis.add((done[1] - cpuBefore) / 1e6);
              toSendMillis.add((sent[0] - visible) / 1e6);
              toSendCpuMillis.add((sent[1] - cpuBefore) / 1e6);
              charonMillis.add((done[0] - sent[0]) / 1e6);
            }
          }

          List<Double> swanctlMillis = new ArrayList<>();
          for (int run = 0; run < SWANCTL_RUNS; run++) {
            long start = System.nanoTime();
            ExecResult r =
                lab.exec(
                    ns,
                    Duration.ofMinutes(5),
                    "env",
                    "SWANCTL_DIR=" + volume.root(),
                    "swanctl",
                    "--load-all",
                    "--uri",
                    charon.viciUri());
            swanctlMillis.add((System.nanoTime() - start) / 1e6);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("successfully loaded " + CONNECTIONS + " connections");
          }

          double agentMedian = median(agentMillis);
          double swanctlMedian = median(swanctlMillis);
          System.out.printf(
              "%n=== AgentApplyBenchmark: %d connections and %d secrets in charon %s ===%n",
              CONNECTIONS, CONNECTIONS, agent.charonStatus().version());
          System.out.printf(
              "agent initial full load:                   %8.0f ms%n", (double) initialMillis);
          System.out.printf(
              "agent one-peer change (..data swap -> loaded), %d samples: median %.1f ms (target <="
                  + " 20), p90 %.1f, min %.1f, max %.1f%n",
              SAMPLES,
              agentMedian,
              percentile(agentMillis, 0.9),
              Collections.min(agentMillis),
              Collections.max(agentMillis));
          System.out.printf(
              "agent loop CPU for that change (the agent's own work, whatever the load):"
                  + " median %.1f ms, p90 %.1f, min %.1f%n",
              median(agentCpuMillis),
              percentile(agentCpuMillis, 0.9),
              Collections.min(agentCpuMillis));
          System.out.printf(
              "  of which rename -> load-conn sent (the agent's wake-up, check, read, apply):"
                  + " median %.1f ms, min %.1f; its loop CPU median %.1f ms, min %.1f%n",
              median(toSendMillis),
              Collections.min(toSendMillis),
              median(toSendCpuMillis),
              Collections.min(toSendCpuMillis));
          System.out.printf(
              "  and load-conn sent -> apply told (charon's load-conn, the status):"
                  + " median %.1f ms, min %.1f%n",
              median(charonMillis), Collections.min(charonMillis));
          System.out.printf(
              "swanctl --load-all, %d runs:                median %.0f ms, min %.0f, max %.0f%n",
              SWANCTL_RUNS,
              swanctlMedian,
              Collections.min(swanctlMillis),
              Collections.max(swanctlMillis));
          System.out.printf(
              "ratio swanctl / agent:                     %8.1fx (target >= 100x)%n",
              swanctlMedian / agentMedian);
          System.out.printf(
              "VICI commands for unchanged connections:   %8d (target 0)%n", otherCommands.size());
          System.out.printf(
              "agent debounce: %d ms%n%n",
              AgentSettings.defaults(volume.root()).debounce().toMillis());
          assertThat(otherCommands).isEmpty();
        } finally {
          agent.close();
        }
      }
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * The CPU time of the agent's loop thread once it has been idle for 100 ms (at most 10 s), so
   * that the CPU a change costs is not mixed with the end of the previous one (the full check that
   * follows each change, the probes).
   */
  private static long idleCpuTime(long threadId) throws InterruptedException {
    long before = THREADS.getThreadCpuTime(threadId);
    for (int i = 0; i < 100; i++) {
      Thread.sleep(100);
      long now = THREADS.getThreadCpuTime(threadId);
      if (now == before) {
        return now;
      }
      before = now;
    }
    return before;
  }

  /** The nearest-rank percentile {@code p} (0..1) of {@code values}. */
  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
