package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.testing.CharonInstance;
import dev.ipsec.operator.testing.NetnsLab;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciCodec;
import dev.ipsec.operator.vici.ViciMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test (tag {@code benchmark}, excluded by default). Run with
 *
 * <pre>mvn -B -o -ntp -pl operator -am test -Pbenchmark -Dtest=ViciAnswerSizeBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Loads {@value #CONNECTIONS} PSK connections (and as many secrets) into one real charon through
 * the agent's loader, then reads the full state back: {@code get-conns} and {@code get-shared} (one
 * answer each, which the agent no longer reads), {@code list-conns} and {@code list-sas} (one event
 * per connection or SA, what the agent reads), and a second agent's full reload against the loaded
 * charon. Prints the size of each answer, its bytes per peer and the peer count at which it would
 * reach VICI's 512 KiB ({@link ViciCodec#MAX_SEGMENT_SIZE}), beyond which charon discards the
 * answer and never replies ({@code vici.ViciAnswerLimitCharonTest}).
 *
 * <p>{@link #fullApplyOfTenThousandLongNamedPeers} does the same with 100-character connection
 * names, where {@code get-conns} and {@code get-shared} are far past the limit, and prints the time
 * of the agent's initial full load and of a second agent's full reload (the target is that both
 * complete; no time target is set). The assertions are only that every load and read completes with
 * all connections; times are printed, never asserted.
 */
@Tag("benchmark")
class ViciAnswerSizeBenchmark {

  static final int CONNECTIONS = 10_000;

  /** As the operator spreads long-named peers' files: one manifest of them all would pass 1 MiB. */
  static final int SHARDS = 4;

  @TempDir Path tmp;

  @Test
  void fullStateOfTenThousandPeers() throws Exception {
    try (NetnsLab lab = NetnsLab.create("vs")) {
      String ns = lab.namespace("bm");
      try (CharonInstance charon = CharonInstance.in(lab, ns, tmp.resolve("charon")).start();
          ViciClient agentClient = charon.newClient();
          ViciClient reloadClient = charon.newClient();
          ViciClient probe = charon.newClient()) {
        ProjectedVolumeDir volume =
            ProjectedVolumeDir.create(
                tmp.resolve("conf"), "r0", ManyPeers.responderFiles(CONNECTIONS));

        long loadMillis;
        try (GatewayAgent agent = agent(volume, agentClient)) {
          long t0 = System.nanoTime();
          agent.start();
          assertThat(agent.awaitApplied(Duration.ofMinutes(10))).as("initial load").isTrue();
          loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        }

        System.out.printf(
            "%n=== ViciAnswerSizeBenchmark: %d connections and %d secrets in charon ===%n",
            CONNECTIONS, CONNECTIONS);
        System.out.printf("agent initial full load:        %8d ms%n", loadMillis);

        ViciMessage conns = probe.call("get-conns", ViciMessage.empty());
        assertThat(conns.list("conns")).hasSize(CONNECTIONS);
        report("get-conns (one answer)", answerSize(conns));

        ViciMessage shared = probe.call("get-shared", ViciMessage.empty());
        assertThat(shared.list("keys")).hasSize(CONNECTIONS);
        report("get-shared (one answer)", answerSize(shared));

        long t1 = System.nanoTime();
        List<ViciMessage> listed =
            probe.stream("list-conns", "list-conn", ViciMessage.empty(), Duration.ofMinutes(2));
        long listMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
        assertThat(listed).hasSize(CONNECTIONS);
        System.out.printf(
            "list-conns: %d events in %d ms, largest event %d bytes%n",
            listed.size(), listMillis, listed.stream().mapToInt(m -> eventSize(m)).max().orElse(0));

        List<ViciMessage> sas =
            probe.stream(
                "list-sas",
                "list-sa",
                ViciMessage.empty().put("noblock", "yes"),
                Duration.ofMinutes(2));
        System.out.printf("list-sas:   %d events (no SA is up: responders only)%n", sas.size());

        // a full reload: a fresh agent finds everything loaded, streams list-conns, clears the
        // credentials and loads everything again
        try (GatewayAgent reload = agent(volume, reloadClient)) {
          long t2 = System.nanoTime();
          reload.start();
          assertThat(reload.awaitApplied(Duration.ofMinutes(10))).as("full reload").isTrue();
          System.out.printf(
              "full reload by a new agent:     %8d ms%n",
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t2));
        }
        assertThat(probe.call("get-conns", ViciMessage.empty()).list("conns")).hasSize(CONNECTIONS);
        System.out.printf(
            "VICI message limit:             %8d bytes%n%n", ViciCodec.MAX_SEGMENT_SIZE);
      }
    }
  }

  @Test
  void fullApplyOfTenThousandLongNamedPeers() throws Exception {
    try (NetnsLab lab = NetnsLab.create("vl")) {
      String ns = lab.namespace("bm");
      try (CharonInstance charon = CharonInstance.in(lab, ns, tmp.resolve("charon")).start();
          ViciClient agentClient = charon.newClient();
          ViciClient reloadClient = charon.newClient();
          ViciClient probe = charon.newClient()) {
        ProjectedVolumeDir volume =
            ProjectedVolumeDir.create(
                tmp.resolve("conf"),
                "r0",
                ManyPeers.responderFiles(CONNECTIONS, ManyPeers::longName),
                path -> Math.floorMod(path.hashCode(), SHARDS));
        System.out.printf(
            "%n=== ViciAnswerSizeBenchmark: %d connections with 100-character names ===%n",
            CONNECTIONS);
        // what get-conns and get-shared would be: 3 bytes of list item plus the name, per item
        long conns = 0;
        long shared = 0;
        for (int i = 1; i <= CONNECTIONS; i++) {
          conns += 3 + ManyPeers.longName(i).length();
          shared += 3 + ("ike-" + ManyPeers.longName(i)).length();
        }
        System.out.printf(
            "get-conns would be %d bytes, get-shared %d bytes: %.1f and %.1f times charon's"
                + " limit, so neither is answered%n",
            conns,
            shared,
            (double) conns / ViciCodec.MAX_SEGMENT_SIZE,
            (double) shared / ViciCodec.MAX_SEGMENT_SIZE);

        try (GatewayAgent agent = agent(volume, agentClient)) {
          long t0 = System.nanoTime();
          agent.start();
          assertThat(agent.awaitApplied(Duration.ofMinutes(10))).as("initial load").isTrue();
          reportFullApply("agent initial full load", System.nanoTime() - t0);
        }

        long t1 = System.nanoTime();
        List<ViciMessage> listed =
            probe.stream("list-conns", "list-conn", ViciMessage.empty(), Duration.ofMinutes(2));
        assertThat(listed).hasSize(CONNECTIONS);
        System.out.printf(
            "list-conns: %d events in %d ms, largest event %d bytes%n",
            listed.size(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1),
            listed.stream().mapToInt(m -> eventSize(m)).max().orElse(0));

        try (GatewayAgent reload = agent(volume, reloadClient)) {
          long t2 = System.nanoTime();
          reload.start();
          assertThat(reload.awaitApplied(Duration.ofMinutes(10))).as("full reload").isTrue();
          reportFullApply("full reload by a new agent", System.nanoTime() - t2);
          assertThat(reload.loaderChannel().counts()).doesNotContainKeys("get-conns", "get-shared");
        }
        System.out.printf(
            "VICI message limit:             %8d bytes%n%n", ViciCodec.MAX_SEGMENT_SIZE);
      }
    }
  }

  private static void reportFullApply(String what, long nanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    System.out.printf(
        "%-31s %8d ms, %.2f ms per peer%n", what + ":", millis, (double) millis / CONNECTIONS);
  }

  private static GatewayAgent agent(ProjectedVolumeDir volume, ViciClient client) {
    return new GatewayAgent(
        AgentSettings.defaults(volume.root()), client, new StateRevision(), Clock.systemUTC());
  }

  /** The segment charon sent for this answer: type byte and message (the codec is canonical). */
  private static int answerSize(ViciMessage answer) {
    return 1 + messageSize(answer);
  }

  /** The segment of a {@code list-conn} event: type byte, name and message. */
  private static int eventSize(ViciMessage event) {
    return 1 + 1 + "list-conn".length() + messageSize(event);
  }

  /**
   * Counted rather than encoded, so that an answer above the codec's sending limit is measured too.
   */
  private static int messageSize(ViciMessage message) {
    int size = 0;
    for (var e : message.entries().entrySet()) {
      int name = 1 + 1 + e.getKey().getBytes(StandardCharsets.UTF_8).length;
      if (e.getValue() instanceof String s) {
        size += name + 2 + s.getBytes(StandardCharsets.UTF_8).length;
      } else if (e.getValue() instanceof List<?> items) {
        size += name + 1;
        for (Object item : items) {
          size += 1 + 2 + ((String) item).getBytes(StandardCharsets.UTF_8).length;
        }
      } else {
        size += name + messageSize((ViciMessage) e.getValue()) + 1;
      }
    }
    return size;
  }

  private static void report(String what, int bytes) {
    double perPeer = (double) bytes / CONNECTIONS;
    System.out.printf(
        "%-31s %8d bytes, %.1f bytes per peer; reaches charon's 512 KiB at %d peers%n",
        what + ":", bytes, perPeer, (long) (ViciCodec.MAX_SEGMENT_SIZE / perPeer));
  }
}
