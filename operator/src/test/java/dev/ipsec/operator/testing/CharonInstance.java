package dev.ipsec.operator.testing;

import dev.ipsec.operator.kubelet.NetnsSandbox;
import dev.ipsec.operator.render.CharonPlugins;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciCommands;
import dev.ipsec.operator.vici.ViciException;
import dev.ipsec.operator.vici.ViciMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One real charon (strongSwan 5.9, {@code kernel-libipsec} for user-space ESP) inside a {@link
 * NetnsLab} namespace.
 *
 * <pre>{@code
 * CharonInstance charon = CharonInstance.in(lab, ns, dir)
 *     .fastRetransmit()                        // DPD gives up ~3 s after the first request
 *     .start();                                // returns once VICI answers "version"
 * try (ViciClient vici = charon.newClient()) { ... }
 * charon.swanctlLoadAll(dir.resolve("swanctl.conf")).orThrow("load");
 * charon.kill();                               // SIGKILL: the peer must find out by DPD
 * charon.start();                              // same config, same socket, fresh daemon
 * }</pre>
 *
 * <p>The render tests start it from the renderer's own strongswan.conf instead and load whole
 * rendered file sets into it:
 *
 * <pre>{@code
 * CharonInstance charon = CharonInstance.in(lab, ns, dir)
 *     .strongswanConf(uri -> rendered(uri))       // the file names the VICI socket it is given
 *     .start();
 * SwanctlLoad.Result r = charon.loadAll(configFiles, secretFiles);   // replaces the previous load
 * r.connections();                                 // what charon lists: connection -> children
 * }</pre>
 *
 * <p>Each instance writes its own {@code strongswan.conf} (one key per line: strongSwan silently
 * ignores a second key on a line) into its directory and runs {@code /usr/lib/ipsec/charon} with
 * {@code STRONGSWAN_CONF} pointing there in a {@link NetnsSandbox}, as the demo runs a gateway
 * pod's charon: a private tmpfs on {@code /run}, so several charons can run at once. Each start
 * gets a fresh sandbox, so a charon started again never finds the pid file a killed one left in
 * {@code /run}. It loads the plugins a gateway with user-space ESP loads ({@link CharonPlugins}),
 * so tests negotiate with the product's algorithms and no others. The VICI socket is {@code
 * <dir>/charon.vici}, reachable from the test JVM; the log goes to {@code <dir>/charon.log}
 * (levels: default 1, IKE/CFG/CHD 2). Readiness is a successful VICI {@code version} call, never
 * the socket file (that survives a dead charon). Every wait is bounded.
 */
public final class CharonInstance implements AutoCloseable {

  public static final String CHARON = "/usr/lib/ipsec/charon";
  public static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final NetnsLab lab;
  private final String namespace;
  private final Path dir;
  private String retransmit = "";
  private String extraSettings = "";
  private List<String> plugins = CharonPlugins.forGateway(true);
  private List<String> launcher = List.of();
  private Function<String, String> givenConf;
  private NetnsSandbox sandbox;
  private Process process;

  private CharonInstance(NetnsLab lab, String namespace, Path dir) {
    this.lab = lab;
    this.namespace = namespace;
    this.dir = dir;
  }

  /** An instance (not started) for {@code namespace}, keeping its files in {@code dir}. */
  public static CharonInstance in(NetnsLab lab, String namespace, Path dir) {
    // sun_path holds 108 bytes; a longer socket path fails late and obscurely inside charon
    if (dir.toAbsolutePath().resolve("charon.vici").toString().length() > 100) {
      throw new IllegalArgumentException("directory too deep for a unix socket path: " + dir);
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new CharonInstance(lab, namespace, dir);
  }

  /**
   * Retransmit settings: the n-th retransmit waits {@code timeout * base^n}; charon gives up after
   * {@code tries} retransmits. Also governs how fast IKEv2 DPD declares a peer dead.
   */
  public CharonInstance retransmit(double timeout, int tries, double base) {
    this.retransmit =
        "  retransmit_timeout = "
            + timeout
            + "\n"
            + "  retransmit_tries = "
            + tries
            + "\n"
            + "  retransmit_base = "
            + base
            + "\n";
    return this;
  }

  /** 1 s timeout, 2 tries, base 1: a request is given up 3 s after it was first sent. */
  public CharonInstance fastRetransmit() {
    return retransmit(1.0, 2, 1.0);
  }

  /**
   * Other plugins than a gateway's, e.g. a gateway whose image lacks a package. Keep {@code vici}
   * (the tests talk to charon through it) and {@code socket-default}.
   */
  public CharonInstance plugins(List<String> plugins) {
    this.plugins = List.copyOf(plugins);
    return this;
  }

  /**
   * Runs charon with a strongswan.conf of the caller's (the renderer's) instead of this class's:
   * {@code forViciUri} gets the {@link #viciUri()} the file must name as the VICI socket.
   * Retransmit, plugin and extra settings do not apply then; the log goes where the file says (the
   * renderer's to standard output: {@link #output()}).
   */
  public CharonInstance strongswanConf(Function<String, String> forViciUri) {
    this.givenConf = forViciUri;
    return this;
  }

  /**
   * Starts charon through {@code launcher} (e.g. {@code setpriv} with a container's uid, groups and
   * capabilities), so that it runs with exactly the identity a pod would give it.
   */
  public CharonInstance runAs(List<String> launcher) {
    this.launcher = List.copyOf(launcher);
    return this;
  }

  /** The launcher's words, if any, then charon. */
  private List<String> charonCommand() {
    List<String> command = new ArrayList<>(launcher);
    command.add(CHARON);
    return command;
  }

  /** Extra lines for the {@code charon { }} section, one key per line. */
  public CharonInstance extraCharonSettings(String settings) {
    this.extraSettings = settings.endsWith("\n") ? settings : settings + "\n";
    return this;
  }

  public String namespace() {
    return namespace;
  }

  public Path dir() {
    return dir;
  }

  public Path viciSocket() {
    return dir.resolve("charon.vici");
  }

  /** {@code unix:///...} as swanctl's {@code --uri} wants it. */
  public String viciUri() {
    return "unix://" + viciSocket().toAbsolutePath();
  }

  public Path logFile() {
    return dir.resolve("charon.log");
  }

  public Path strongswanConf() {
    return dir.resolve("strongswan.conf");
  }

  /** The charon process id (only while running). */
  public long pid() {
    return requireProcess().pid();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The strongswan.conf this instance runs with. */
  public String renderStrongswanConf() {
    if (givenConf != null) {
      return givenConf.apply(viciUri());
    }
    return "charon {\n"
        + "  load = "
        + String.join(" ", plugins)
        + "\n"
        + "  install_routes = yes\n"
        + retransmit
        + indent(extraSettings)
        + "  plugins {\n"
        + "    vici {\n"
        + "      socket = "
        + viciUri()
        + "\n"
        + "    }\n"
        + "  }\n"
        + "  filelog {\n"
        + "    test {\n"
        + "      path = "
        + logFile().toAbsolutePath()
        + "\n"
        + "      append = yes\n"
        + "      default = 1\n"
        + "      ike = 2\n"
        + "      cfg = 2\n"
        + "      chd = 2\n"
        + "      ike_name = yes\n"
        + "      log_level = yes\n"
        + "      time_format = %H:%M:%S\n"
        + "      flush_line = yes\n"
        + "    }\n"
        + "  }\n"
        + "}\n";
  }

  private static String indent(String settings) {
    if (settings.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (String line : settings.split("\n")) {
      b.append("  ").append(line).append('\n');
    }
    return b.toString();
  }

  /**
   * Writes strongswan.conf, starts charon and waits until VICI answers {@code version}.
   *
   * @throws IllegalStateException if charon exits or does not answer within {@link #START_TIMEOUT}
   */
  public CharonInstance start() {
    if (isRunning()) {
      throw new IllegalStateException("charon in " + namespace + " is already running");
    }
    closeSandbox(); // a charon that died by itself left its sandbox
    try {
      Files.writeString(strongswanConf(), renderStrongswanConf(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + strongswanConf(), e);
    }
    sandbox = NetnsSandbox.open(namespace);
    try {
      process =
          sandbox.start(
              charonCommand(),
              Map.of("STRONGSWAN_CONF", strongswanConf().toAbsolutePath().toString()),
              dir.resolve("charon.out"));
      awaitReady();
    } catch (RuntimeException e) {
      kill();
      throw e;
    }
    return this;
  }

  /** Throws when charon exits or stays silent; {@link #start()} then removes what it started. */
  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    ViciException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "charon in " + namespace + " exited with " + process.exitValue() + "\n" + logTail());
      }
      try (ViciClient client = new ViciClient(viciSocket(), Duration.ofSeconds(2))) {
        new ViciCommands(client).version();
        return;
      } catch (ViciException e) {
        last = e;
      }
      sleep(20);
    }
    throw new IllegalStateException(
        "charon in "
            + namespace
            + " did not answer VICI within "
            + START_TIMEOUT
            + ": "
            + last
            + "\n"
            + logTail());
  }

  /** A new client for this charon's socket (the caller closes it). */
  public ViciClient newClient() {
    return new ViciClient(viciSocket(), Duration.ofSeconds(10));
  }

  /** {@code swanctl --load-all} of one swanctl.conf against this charon. */
  public ExecResult swanctlLoadAll(Path swanctlConf) {
    return swanctl("--load-all", "--file", swanctlConf.toAbsolutePath().toString());
  }

  /**
   * Replaces everything loaded with these files (paths relative to a swanctl directory, as the
   * renderer gives them) through {@code swanctl --load-all}; see {@link SwanctlLoad}.
   */
  public SwanctlLoad.Result loadAll(
      Map<String, String> configFiles, Map<String, byte[]> secretFiles) {
    return SwanctlLoad.replaceAll(this, configFiles, secretFiles);
  }

  /** The connections loaded in charon ({@code list-conns} over VICI), each with its children. */
  public Map<String, List<String>> listConnections() {
    Map<String, List<String>> connections = new LinkedHashMap<>();
    try (ViciClient client = newClient()) {
      for (ViciMessage listed : new ViciCommands(client).listConns(Optional.empty())) {
        listed
            .sections()
            .forEach(
                (name, connection) ->
                    connections.put(
                        name,
                        connection
                            .section("children")
                            .map(c -> List.copyOf(c.sections().keySet()))
                            .orElse(List.of())));
      }
    }
    return connections;
  }

  /** Any swanctl command against this charon, e.g. {@code swanctl("--list-sas")}. */
  public ExecResult swanctl(String... args) {
    List<String> command = new ArrayList<>(List.of("swanctl"));
    command.addAll(List.of(args));
    command.add("--uri");
    command.add(viciUri());
    return lab.exec(namespace, Duration.ofSeconds(30), command.toArray(String[]::new));
  }

  /** SIGKILL: charon dies without telling its peers (they have to notice by DPD). */
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      awaitExit();
    }
    closeSandbox();
  }

  /** SIGTERM: charon deletes its SAs (peers are told) and exits. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      awaitExit();
    }
    closeSandbox();
  }

  private void closeSandbox() {
    if (sandbox != null) {
      sandbox.close();
      sandbox = null;
    }
  }

  /** {@link #stop()} then {@link #start()}: a new charon with the same settings and socket. */
  public CharonInstance restart() {
    stop();
    return start();
  }

  /**
   * What charon wrote to standard output and error: its log when a given strongswan.conf says so.
   */
  public String output() {
    try {
      Path out = dir.resolve("charon.out");
      return Files.exists(out) ? Files.readString(out) : "";
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }

  /** The last lines of the log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.exists(logFile()) ? Files.readAllLines(logFile()) : List.of();
      List<String> out =
          Files.exists(dir.resolve("charon.out"))
              ? Files.readAllLines(dir.resolve("charon.out"))
              : List.of();
      return "--- "
          + logFile()
          + " (tail)\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))
          + "\n--- charon.out (tail)\n"
          + String.join("\n", out.subList(Math.max(0, out.size() - 10), out.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    kill();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Process requireProcess() {
    if (process == null) {
      throw new IllegalStateException("charon in " + namespace + " was never started");
    }
    return process;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command in this charon's namespace, e.g. a ping through the tunnel. */
  public ExecResult exec(Duration timeout, String... command) {
    return lab.exec(namespace, timeout, command);
  }
}
