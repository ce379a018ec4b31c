package dev.ipsec.operator.demo;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.demo.DemoManifests.Ping;
import dev.ipsec.operator.demo.LocalCluster.Site;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The demonstration: an embedded API server, the real operator and one real strongSwan gateway per
 * site of an example, all on this machine; the example is applied as a user would, a live peer
 * table shows the tunnels coming up, pings between the sites' inner addresses prove traffic crosses
 * them, and kubectl can be pointed at the API server meanwhile. Everything it made is removed at
 * the end, on failure and on Ctrl-C ({@link #requestStop()}).
 */
public final class SiteToSiteDemo {

  /**
   * How to run.
   *
   * @param manifests the example directory to apply (YAML files, applied in name order)
   * @param namespace the namespace of the embedded cluster the example goes to
   * @param once stop after the peers are Ready and the pings passed, instead of at Ctrl-C
   * @param readyTimeout how long the peers may take to become Ready
   * @param namePrefix prefix of the network namespaces and bridge (empty: from the process id)
   * @param chaos once the tunnels carry traffic, inject the faults of {@link ChaosFault} one at a
   *     time ({@link ChaosRun}); the operator then runs in a JVM of its own, to be killed
   */
  public record Settings(
      Path manifests,
      String namespace,
      boolean once,
      Duration readyTimeout,
      Optional<String> namePrefix,
      boolean chaos) {}

  private static final Duration POLL = Duration.ofMillis(250);
  private static final Pattern PACKETS_IN = Pattern.compile("packets-in=(\\d+)");
  private static final Pattern PING_SUMMARY =
      Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
  private static final Pattern PING_RTT = Pattern.compile("= [\\d.]+/([\\d.]+)/");

  private final Settings settings;
  private final PrintWriter out;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopRequested;

  public SiteToSiteDemo(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  /** Asks a running demo to stop and clean up (Ctrl-C); {@link #awaitFinished} waits for that. */
  public void requestStop() {
    stopRequested = true;
  }

  /** Waits until {@link #run()} has cleaned up and returned, at most {@code timeout}. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs the demo; returns the exit code (0 success, 1 failure, 130 stopped before success). */
  public int run() {
    long begin = System.nanoTime();
    Path workDir = null;
    LocalCluster cluster = null;
    try {
      DemoManifests manifests = DemoManifests.read(settings.manifests());
      workDir = Files.createTempDirectory("ipsec-demo-");
      Path operatorLog = workDir.resolve("operator.log");
      DemoLogging.toFile(operatorLog);
      say(
          "Starting an embedded Kubernetes API server, the ipsec-operator and the kubelet stand-in"
              + " (each gateway pod: a network namespace with real charon and the real agent)");
      LocalCluster.Options options =
          LocalCluster.Options.of(settings.namespace(), manifests.sites());
      if (settings.chaos()) {
        options = options.withOperatorInOwnJvm();
      }
      cluster =
          LocalCluster.start(settings.namePrefix().map(options::withNamePrefix).orElse(options));
      Duration clusterUp = since(begin);
      Path kubeconfig = cluster.writeKubeconfig(workDir.resolve("kubeconfig"));
      describe(cluster, manifests, kubeconfig, operatorLog);

      long created = System.nanoTime();
      for (Path file : manifests.files()) {
        cluster.apply(file);
      }
      say(
          "Applied "
              + manifests.files().stream()
                  .map(f -> f.getFileName().toString())
                  .collect(Collectors.joining(", "))
              + " from "
              + settings.manifests()
              + " to namespace "
              + settings.namespace()
              + ":");
      Map<String, Duration> readyAfter = awaitPeersUp(cluster, created);
      if (readyAfter == null) {
        return stopRequested
            ? 130
            : fail(cluster, "the peers did not all become Ready within " + settings.readyTimeout());
      }
      Duration allReady = since(created);
      say("");
      say("All " + readyAfter.size() + " peers Ready " + millis(allReady) + " after the create.");

      long pingStart = System.nanoTime();
      boolean trafficOk = sendTraffic(cluster, manifests);
      Duration pinging = since(pingStart);
      if (!trafficOk) {
        return stopRequested ? 130 : fail(cluster, "traffic did not cross the tunnel");
      }
      say("");
      say(
          "Timings: cluster started "
              + millis(clusterUp)
              + "; create -> Ready "
              + readyAfter.entrySet().stream()
                  .map(e -> e.getKey() + " " + millis(e.getValue()))
                  .collect(Collectors.joining(", "))
              + "; create -> all Ready "
              + millis(allReady)
              + "; pings "
              + millis(pinging)
              + "; total "
              + millis(since(begin))
              + ".");
      if (settings.chaos()) {
        Optional<FaultReport> failed = chaos(cluster, manifests);
        if (stopRequested) {
          return 130;
        }
        if (failed.isPresent()) {
          if (settings.once()) {
            return fail(
                cluster,
                "fault "
                    + failed.get().fault().label()
                    + " did not recover cleanly: "
                    + failed.get().line().strip());
          }
          say("Fault " + failed.get().fault().label() + " did not recover cleanly (above).");
        }
      }
      if (settings.once()) {
        return 0;
      }
      say("");
      say(
          "The demo keeps running: the table below follows every change. Try kubectl (above),"
              + " for example delete a peer and apply it again. Ctrl-C stops and cleans up.");
      watchUntilStopped(cluster);
      return 0;
    } catch (IOException e) {
      return fail(cluster, e.toString());
    } catch (RuntimeException e) {
      if (stopRequested) {
        return 130; // Ctrl-C while starting: the cleanup below is what matters
      }
      return fail(cluster, e.getMessage() == null ? e.toString() : e.getMessage());
    } finally {
      try {
        cleanUp(cluster, workDir);
      } finally {
        finished.countDown();
      }
    }
  }

  /**
   * Injects every fault in turn, one line each; returns the first that did not recover within its
   * bound without churn, if any.
   */
  private Optional<FaultReport> chaos(LocalCluster cluster, DemoManifests manifests) {
    say("");
    say(
        "Chaos: one fault at a time, each followed by full recovery (every peer Ready, pings"
            + " through both tunnels); status writes and Events counted until quiet for "
            + ChaosRun.QUIET.toSeconds()
            + " s:");
    long start = System.nanoTime();
    List<FaultReport> reports =
        new ChaosRun(cluster, manifests, this::say, () -> stopRequested).run();
    say(
        "Chaos: "
            + reports.stream().filter(FaultReport::passed).count()
            + " of "
            + reports.size()
            + " faults recovered cleanly in "
            + millis(since(start))
            + ".");
    return reports.stream().filter(r -> !r.passed()).findFirst();
  }

  private void describe(
      LocalCluster cluster, DemoManifests manifests, Path kubeconfig, Path operatorLog) {
    say("  API server    " + cluster.client().getMasterUrl() + " (in this process)");
    say(
        "  pod network   "
            + LocalCluster.POD_NETWORK
            + " on bridge "
            + cluster.bridge()
            + "; "
            + manifests.sites().stream()
                .map(s -> s.gateway() + " " + s.podAddress() + " (inner " + s.innerAddress() + ")")
                .collect(Collectors.joining(", ")));
    say("  operator log  " + cluster.operatorLog().orElse(operatorLog));
    say("");
    say("kubectl works against it while the demo runs:");
    Path pinnedKubectl = Path.of(".tools", "bin").toAbsolutePath();
    if (Files.isExecutable(pinnedKubectl.resolve("kubectl"))) {
      say("  export PATH=" + pinnedKubectl + ":$PATH    # the kubectl bin/setup installed");
    }
    say("  export KUBECONFIG=" + kubeconfig);
    say("  kubectl get ipsecpeers -A                  # or: kubectl get ipsec -A (all four kinds)");
    say(
        "  kubectl get ipsecpeer "
            + manifests.pings().get(0).peer()
            + " -o yaml"
            + "        # the status the operator writes");
    say("  kubectl get ikegroups,espgroups,ipsecglobals,pods,configmaps");
    say("  kubectl delete ipsecpeer " + manifests.pings().get(0).peer());
    say("  kubectl apply -f " + settings.manifests());
    say("");
  }

  /**
   * Shows the peer table whenever it changes until every peer is up; returns how long each peer
   * took from the create, or null on timeout or stop.
   */
  private Map<String, Duration> awaitPeersUp(LocalCluster cluster, long created) {
    long deadline = created + settings.readyTimeout().toNanos();
    Map<String, Duration> readyAfter = new LinkedHashMap<>();
    String shown = null;
    while (!stopRequested && System.nanoTime() < deadline) {
      List<IpsecPeer> peers = cluster.peers();
      shown = showIfChanged(peers, shown, created);
      for (IpsecPeer peer : peers) {
        if (PeerTable.isUp(peer)) {
          readyAfter.putIfAbsent(peer.getMetadata().getName(), since(created));
        }
      }
      if (!peers.isEmpty() && peers.stream().allMatch(PeerTable::isUp)) {
        return readyAfter;
      }
      pause(POLL);
    }
    return null;
  }

  private void watchUntilStopped(LocalCluster cluster) {
    String shown = null;
    long start = System.nanoTime();
    while (!stopRequested) {
      try {
        shown = showIfChanged(cluster.peers(), shown, start);
      } catch (RuntimeException e) {
        if (!stopRequested) {
          say("(could not read the peers: " + e.getMessage() + ")");
        }
      }
      pause(Duration.ofSeconds(1));
    }
  }

  /** Prints the table when anything but the ages changed; returns what is now on screen. */
  private String showIfChanged(List<IpsecPeer> peers, String shown, long since) {
    String withoutAges = PeerTable.render(peers, Instant.EPOCH);
    if (!withoutAges.equals(shown)) {
      say("");
      say(String.format("[+%.1fs]", since(since).toMillis() / 1000.0));
      out.print(PeerTable.render(peers, Instant.now()));
      out.flush();
    }
    return withoutAges;
  }

  /**
   * Pings across every peer's tunnel; true when each got replies and the receiving gateway's CHILD
   * SAs counted the packets (so they went through ESP, not around it).
   */
  private boolean sendTraffic(LocalCluster cluster, DemoManifests manifests) {
    say("");
    say("Traffic between the sites' inner addresses, through the tunnels:");
    boolean allOk = true;
    for (Ping ping : manifests.pings()) {
      if (stopRequested) {
        return false;
      }
      Optional<Site> receiver =
          manifests.sites().stream().filter(s -> s.innerAddress().equals(ping.to())).findFirst();
      long before = receiver.map(s -> packetsIn(cluster, s.gateway())).orElse(-1L);
      CommandResult result = ping(cluster, ping);
      long after = receiver.map(s -> packetsIn(cluster, s.gateway())).orElse(-1L);
      Matcher summary = PING_SUMMARY.matcher(result.output());
      String replies =
          summary.find() ? summary.group(2) + "/" + summary.group(1) + " replies" : "no replies";
      Matcher rtt = PING_RTT.matcher(result.output());
      String average = rtt.find() ? ", average " + rtt.group(1) + " ms" : "";
      String counted =
          receiver
              .map(
                  s ->
                      after > before
                          ? "; "
                              + s.gateway()
                              + "'s CHILD SAs counted "
                              + (after - before)
                              + " more packets in"
                          : "; " + s.gateway() + "'s CHILD SAs counted none")
              .orElse("");
      boolean ok = result.succeeded() && (receiver.isEmpty() || after > before);
      allOk &= ok;
      say(
          String.format(
              "  %-4s %s: ping %s -> %s: %s%s%s",
              ok ? "ok" : "FAIL",
              ping.gateway(),
              ping.from(),
              ping.to(),
              replies,
              average,
              counted));
      if (!result.succeeded()) {
        say(indent(result.output()));
      }
    }
    return allOk;
  }

  /** Three echo requests, retried a few times (the first packet may race ARP or the route). */
  private CommandResult ping(LocalCluster cluster, Ping ping) {
    CommandResult last = null;
    for (int attempt = 0; attempt < 5 && !stopRequested; attempt++) {
      last =
          cluster.execInPod(
              ping.gateway(),
              List.of(
                  "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", "-I", ping.from(), ping.to()),
              Duration.ofSeconds(15));
      if (last.succeeded()) {
        return last;
      }
    }
    return last == null ? new CommandResult(-1, "stopped") : last;
  }

  static long packetsIn(LocalCluster cluster, String gateway) {
    CommandResult sas = cluster.swanctl(gateway, "--list-sas", "--raw");
    Matcher m = PACKETS_IN.matcher(sas.output());
    long total = 0;
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    return total;
  }

  private int fail(LocalCluster cluster, String why) {
    say("");
    say("FAILED: " + why);
    if (cluster != null) {
      try {
        say("Gateway logs (tails):" + cluster.diagnostics());
      } catch (RuntimeException e) {
        say("(no gateway logs: " + e.getMessage() + ")");
      }
    }
    return 1;
  }

  private void cleanUp(LocalCluster cluster, Path workDir) {
    List<String> removed = new ArrayList<>();
    if (cluster != null) {
      String bridge = cluster.bridge();
      try {
        cluster.close();
        removed.add("gateway pods (charon, agents, network namespaces)");
        removed.add("bridge " + bridge);
        removed.add("operator and API server");
      } catch (RuntimeException e) {
        say("Cleanup incomplete: " + e.getMessage());
      }
    }
    if (workDir != null) {
      deleteQuietly(workDir);
      removed.add(workDir.toString());
    }
    if (!removed.isEmpty()) {
      say("");
      say("Cleaned up: " + String.join(", ", removed) + ".");
    }
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }

  private void pause(Duration duration) {
    long until = System.nanoTime() + duration.toNanos();
    while (!stopRequested && System.nanoTime() < until) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopRequested = true;
      }
    }
  }

  private static String indent(String text) {
    return text.strip().lines().map(l -> "       " + l).collect(Collectors.joining("\n"));
  }

  private static Duration since(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime);
  }

  private static String millis(Duration duration) {
    return String.format("%.1f s", duration.toMillis() / 1000.0);
  }

  private static void deleteQuietly(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
