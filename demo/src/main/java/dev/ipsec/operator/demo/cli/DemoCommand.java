package dev.ipsec.operator.demo.cli;

import dev.ipsec.operator.demo.DemoPrerequisites;
import dev.ipsec.operator.demo.SiteToSiteDemo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The demo jar's entry point (see {@link SiteToSiteDemo}): two real strongSwan gateways run by the
 * real operator against an embedded API server, on this machine. Checks the machine first, and
 * turns Ctrl-C into an orderly cleanup. A command of its own, not a sub-command of {@code
 * ipsec-operator}: the operator jar carries neither the demo nor its mock API server.
 */
@Command(
    name = "ipsec-operator-demo",
    mixinStandardHelpOptions = true,
    versionProvider = DemoVersion.class,
    description = {
      "Runs the operator against an embedded Kubernetes API server with one real strongSwan"
          + " gateway per site (network namespaces on this machine, pod network 203.0.113.0/24),"
          + " applies the site-to-site example, shows the peers coming up, pings through the"
          + " tunnel, and keeps running for kubectl until Ctrl-C. Needs root and strongSwan.",
    })
public final class DemoCommand implements Callable<Integer> {

  /** Ctrl-C waits at most this long for the cleanup before the JVM exits anyway. */
  private static final Duration CLEANUP_GRACE = Duration.ofSeconds(60);

  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--manifests"},
      description = "Example directory to apply (default: ${DEFAULT-VALUE}).",
      defaultValue = "examples/site-to-site")
  Path manifests;

  @Option(
      names = "--once",
      description =
          "Exit after both peers are Ready and the pings passed (0), or on failure or"
              + " timeout (1), cleaning up first; for tests and CI.")
  boolean once;

  @Option(
      names = "--chaos",
      description =
          "Once the tunnels carry traffic, inject faults one at a time, each after full recovery"
              + " from the last: SIGKILL of the operator (run in a JVM of its own, a new one"
              + " started), of an agent and of a charon, a restart of the API server, the deletion"
              + " of a gateway pod; one line each: time until every peer is Ready again, pings,"
              + " status writes and Events, churn. With --once, exit 0 only if every fault"
              + " recovered within its bound with no spurious write or Event.")
  boolean chaos;

  @Option(
      names = "--timeout",
      description = "Seconds the peers may take to become Ready" + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "120")
  int timeoutSeconds;

  @Option(
      names = "--namespace",
      description =
          "Namespace of the embedded cluster the example is"
              + " applied to (default: ${DEFAULT-VALUE}).",
      defaultValue = "default")
  String namespace;

  @Option(
      names = "--name-prefix",
      description =
          "Prefix of the network namespaces and the bridge the demo creates (a letter, then up to 9"
              + " letters or digits; default: from the process id).")
  String namePrefix;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    // a wrong argument first: it is the user's to fix wherever the demo runs
    if (!Files.isDirectory(manifests)) {
      err.printf(
          "no example directory at %s: run from the repository root or pass -f DIR%n",
          manifests.toAbsolutePath());
      err.flush();
      return 2;
    }
    List<String> problems = DemoPrerequisites.ofThisMachine().problems();
    if (!problems.isEmpty()) {
      err.println("ipsec-operator demo cannot start on this machine:");
      problems.forEach(p -> err.println("  - " + p));
      err.flush();
      return 2;
    }
    SiteToSiteDemo demo =
        new SiteToSiteDemo(
            new SiteToSiteDemo.Settings(
                manifests,
                namespace,
                once,
                Duration.ofSeconds(timeoutSeconds),
                Optional.ofNullable(namePrefix),
                chaos),
            spec.commandLine().getOut());
    Thread onCtrlC =
        new Thread(
            () -> {
              demo.requestStop();
              try {
                demo.awaitFinished(CLEANUP_GRACE);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "demo-stop");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try {
      return demo.run();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException ignored) {
        // already shutting down (Ctrl-C): the hook is waiting for the cleanup that just ended
      }
    }
  }
}
