package dev.ipsec.operator.render.oracle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A throwaway charon in its own network namespace ({@code rd-...}, only {@code lo}, so it can
 * reach nobody), with a private tmpfs {@code /run}, its own {@code STRONGSWAN_CONF} and its own
 * VICI socket, into which tests load rendered configurations with {@code swanctl --load-all}.
 * One instance serves a whole test class: every {@link #load} replaces what the previous one
 * loaded, as {@code --load-all} unloads connections and secrets that are gone.
 */
public final class CharonOracle implements AutoCloseable {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  /** The directories swanctl reads credentials from; created empty so it does not complain. */
  private static final List<String> CREDENTIAL_DIRS =
      List.of("x509", "x509ca", "x509ocsp", "x509aa", "x509ac", "x509crl", "pubkey", "private",
          "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12", "conf.d", "secrets.d");

  private final String namespace;
  private final Path workDir;
  private final String viciUri;
  private final Process charon;
  private int loads;

  private CharonOracle(String namespace, Path workDir, String viciUri, Process charon) {
    this.namespace = namespace;
    this.workDir = workDir;
    this.viciUri = viciUri;
    this.charon = charon;
  }

  /** The socket URI a strongswan.conf for this oracle must name. */
  public static String socketUriFor(Path workDir) {
    return "unix://" + workDir.resolve("charon.vici");
  }

  /**
   * Starts charon with the strongswan.conf that {@code strongswanConf} produces for the socket
   * URI it is given (so tests can feed the renderer's own output).
   */
  public static CharonOracle start(java.util.function.Function<String, String> strongswanConf) {
    String namespace =
        "rd-" + (ProcessHandle.current().pid() % 100000) + "-" + SEQUENCE.incrementAndGet();
    Path workDir;
    try {
      workDir = Files.createTempDirectory("rd-oracle-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String viciUri = socketUriFor(workDir);
    Path conf = workDir.resolve("strongswan.conf");
    Process process = null;
    try {
      Files.writeString(conf, strongswanConf.apply(viciUri));
      run(List.of("ip", "netns", "add", namespace));
      run(List.of("ip", "-n", namespace, "link", "set", "lo", "up"));
      ProcessBuilder pb =
          new ProcessBuilder(
              "ip", "netns", "exec", namespace, "sh", "-c",
              "mount -t tmpfs tmpfs /run && exec /usr/lib/ipsec/charon");
      pb.environment().put("STRONGSWAN_CONF", conf.toString());
      pb.redirectErrorStream(true).redirectOutput(workDir.resolve("charon.log").toFile());
      process = pb.start();
      CharonOracle oracle = new CharonOracle(namespace, workDir, viciUri, process);
      oracle.awaitReady();
      return oracle;
    } catch (RuntimeException | IOException e) {
      String log = readQuietly(workDir.resolve("charon.log"));
      cleanUp(namespace, process, workDir);
      throw new IllegalStateException("charon in " + namespace + " did not start: " + e.getMessage()
          + "\n" + log, e);
    }
  }

  /** Writes the files into a fresh directory and loads them with {@code swanctl --load-all}. */
  public LoadResult load(Map<String, String> configFiles, Map<String, byte[]> secretFiles) {
    Path dir = workDir.resolve("swanctl-" + (++loads));
    try {
      for (String sub : CREDENTIAL_DIRS) {
        Files.createDirectories(dir.resolve(sub));
      }
      for (Map.Entry<String, String> file : configFiles.entrySet()) {
        write(dir, file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8));
      }
      for (Map.Entry<String, byte[]> file : secretFiles.entrySet()) {
        write(dir, file.getKey(), file.getValue());
      }
      Result load = swanctl("--load-all", "--file", dir.resolve("swanctl.conf").toString());
      Result list = swanctl("--list-conns");
      return new LoadResult(load.exitCode, load.output, parseConnections(list.output));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteRecursively(dir);
    }
  }

  /** Runs {@code swanctl <args> --uri <this charon>} in the namespace. */
  public Result swanctl(String... args) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "swanctl"));
    command.addAll(List.of(args));
    command.add("--uri");
    command.add(viciUri);
    return exec(command);
  }

  public String log() {
    return readQuietly(workDir.resolve("charon.log"));
  }

  public boolean isAlive() {
    return charon.isAlive();
  }

  @Override
  public void close() {
    cleanUp(namespace, charon, workDir);
  }

  /** What {@code swanctl --load-all} said, and the connections charon then lists. */
  public record LoadResult(int exitCode, String output, Map<String, List<String>> connections) {

    public boolean loadedCleanly() {
      return exitCode == 0 && !output.contains("failed") && !output.contains("error");
    }
  }

  public record Result(int exitCode, String output) {}

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!charon.isAlive()) {
        throw new IllegalStateException("charon exited with " + charon.exitValue());
      }
      if (swanctl("--stats").exitCode == 0) {
        return;
      }
      sleep(50);
    }
    throw new IllegalStateException("no answer on " + viciUri + " within " + READY_TIMEOUT);
  }

  private static final Pattern CONNECTION_LINE = Pattern.compile("^([^\\s:]+): IKEv");
  private static final Pattern CHILD_LINE =
      Pattern.compile("^  ([^\\s:]+): (TUNNEL|TRANSPORT|PASS|DROP|BEET|TRANSPORT_PROXY)");

  /** Connection name -> child names, from the human output of {@code swanctl --list-conns}. */
  static Map<String, List<String>> parseConnections(String listConns) {
    Map<String, List<String>> connections = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : listConns.split("\n")) {
      Matcher conn = CONNECTION_LINE.matcher(line);
      Matcher child = CHILD_LINE.matcher(line);
      if (conn.find()) {
        current = new ArrayList<>();
        connections.put(conn.group(1), current);
      } else if (child.find() && current != null) {
        current.add(child.group(1));
      }
    }
    return connections;
  }

  private static void write(Path dir, String relative, byte[] content) throws IOException {
    Path target = dir.resolve(relative).normalize();
    if (!target.startsWith(dir)) {
      throw new IllegalArgumentException("file path escapes the directory: " + relative);
    }
    Files.createDirectories(target.getParent());
    Files.write(target, content);
  }

  private static Result exec(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void run(List<String> command) {
    Result r = exec(command);
    if (r.exitCode != 0) {
      throw new IllegalStateException(command + " failed: " + r.output);
    }
  }

  private static void cleanUp(String namespace, Process charon, Path workDir) {
    if (charon != null && charon.isAlive()) {
      charon.destroy();
      try {
        if (!charon.waitFor(5, TimeUnit.SECONDS)) {
          charon.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Result pids = exec(List.of("ip", "netns", "pids", namespace));
    if (pids.exitCode == 0) {
      for (String pid : pids.output.split("\\s+")) {
        if (!pid.isBlank()) {
          exec(List.of("kill", "-KILL", pid.strip()));
        }
      }
    }
    exec(List.of("ip", "netns", "del", namespace));
    deleteRecursively(workDir);
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory left behind is harmless
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
