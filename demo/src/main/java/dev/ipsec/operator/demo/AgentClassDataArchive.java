package dev.ipsec.operator.demo;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data sharing archive (AppCDS) of the gateway agent's JVM, so that every agent the local
 * cluster starts maps the classes it needs instead of loading and verifying them again: the agent's
 * JVM start is most of a new gateway's start here (issue 17, {@code GatewayStartBenchmark}).
 *
 * <p>Made once per class path, by a training run: the agent started as the pods start it, with
 * {@code -XX:ArchiveClassesAtExit}, TLS files of a throwaway CA ({@link TrainingTls}), a rendered
 * gateway's volume ({@link TrainingVolume}) and a stand-in for charon on its VICI socket ({@link
 * TrainingCharon}), until its probe port answers, it has loaded the volume's connections over VICI
 * (the first load a new gateway's agent runs once charon answers) and it has answered a state
 * request over mutual TLS with them, then stopped (the JVM writes the archive as it exits). It
 * lives in the user's cache directory, named after a digest of the JVM and of every class path
 * entry's path, size and modification time, so a rebuilt jar gets a new one. The JVM does not check
 * an archive's content: a directory another user may write to would let them put classes into the
 * agent, so the directory must be this user's and closed to others, or no archive is used.
 *
 * <p>Whatever goes wrong (no base archive in the JDK, no cache directory, a training run that
 * fails) only costs the speed: agents then start without an archive.
 */
final class AgentClassDataArchive {
  private static final Logger LOG = LoggerFactory.getLogger(AgentClassDataArchive.class);
  private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(60);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /**
   * What the training run does, in the archive's name: an archive of an earlier training (without
   * TLS) is not taken for one of this.
   */
  private static final String TRAINING = "probes, first load over VICI, state over mutual TLS";

  /** Options every agent JVM gets, the training run included (the archive records them). */
  static final List<String> AGENT_JVM_OPTIONS = List.of("-Xmx128m", "-XX:TieredStopAtLevel=1");

  private static Optional<Path> prepared;

  private AgentClassDataArchive() {}

  /**
   * The archive for this JVM's class path, made now when there is none yet; empty when none can be
   * used. The first call may take seconds (the training run), later ones return at once.
   */
  static synchronized Optional<Path> prepare() {
    if (prepared == null) {
      try {
        prepared = findOrMake(cacheDirectory(), HostContainerCommands.agentClassPath());
      } catch (IOException | RuntimeException e) {
        LOG.warn("agent class-data archive not used: {}", e.toString());
        prepared = Optional.empty();
      }
    }
    return prepared;
  }

  /** The JVM options that make an agent use the archive, none without one. */
  static List<String> jvmOptions() {
    return prepare().map(a -> List.of("-XX:SharedArchiveFile=" + a)).orElse(List.of());
  }

  /**
   * The archive of {@code classPath} in {@code dir}, made when missing; empty when {@code dir} is
   * open to others or the class path cannot be archived.
   */
  static Optional<Path> findOrMake(Path dir, String classPath) {
    try {
      Optional<String> unarchivable = unarchivableEntry(classPath);
      if (unarchivable.isPresent()) {
        LOG.info(
            "agent class-data archive not used: the agents' class path has {}", unarchivable.get());
        return Optional.empty();
      }
      if (!privateTo(dir)) {
        LOG.warn("agent class-data archive not used: {} is open to other users", dir);
        return Optional.empty();
      }
      Path archive = archiveIn(dir, classPath);
      if (Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS) && Files.size(archive) > 0) {
        return Optional.of(archive);
      }
      return train(archive, classPath);
    } catch (IOException | RuntimeException e) {
      LOG.warn("agent class-data archive not used: {}", e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * What keeps the JVM from archiving this class path: a directory (a build's classes, as in a test
   * JVM; the JVM refuses to write the archive then), or a jar that names further entries in its
   * manifest (surefire's booter jar). Only plain jars, as {@code bin/demo}'s, are archived.
   */
  static Optional<String> unarchivableEntry(String classPath) throws IOException {
    for (String entry : classPath.split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        return Optional.of("the directory " + entry);
      }
      if (Files.isRegularFile(path)) {
        try (JarFile jar = new JarFile(path.toFile())) {
          Manifest manifest = jar.getManifest();
          if (manifest != null
              && manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH) != null) {
            return Optional.of("the jar " + entry + " with a Class-Path of its own");
          }
        }
      }
    }
    return Optional.empty();
  }

  /** {@code $XDG_CACHE_HOME/ipsec-operator} or {@code ~/.cache/ipsec-operator}, mode 700. */
  private static Path cacheDirectory() throws IOException {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    Path dir = base.resolve("ipsec-operator");
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(base);
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return dir;
  }

  /** Owned by this user, not a link, and nobody else may write to it. */
  private static boolean privateTo(Path dir) throws IOException {
    if (Files.isSymbolicLink(dir)) {
      return false;
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
    String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
    return owner.equals(System.getProperty("user.name"))
        && !mode.contains(PosixFilePermission.GROUP_WRITE)
        && !mode.contains(PosixFilePermission.OTHERS_WRITE);
  }

  /** Where the archive of {@code classPath} is kept in {@code dir}. */
  static Path archiveIn(Path dir, String classPath) throws IOException {
    return dir.resolve("agent-" + classPathDigest(classPath) + ".jsa");
  }

  /** The JVM and every class path entry (path, size, modification time). */
  private static String classPathDigest(String classPath) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      update(digest, System.getProperty("java.home"));
      update(digest, System.getProperty("java.vm.version"));
      update(digest, String.join(" ", AGENT_JVM_OPTIONS));
      update(digest, TRAINING);
      for (String entry : classPath.split(File.pathSeparator)) {
        Path path = Path.of(entry);
        update(digest, entry);
        if (Files.isRegularFile(path)) {
          update(digest, Files.size(path) + "/" + Files.getLastModifiedTime(path).toMillis());
        }
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
  }

  /**
   * Runs an agent until its probe port answers, with the archive written at its exit, then moves
   * the archive into place (atomically: a concurrent demo sees a whole one or none).
   */
  private static Optional<Path> train(Path archive, String classPath)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    Path work = Files.createTempDirectory(archive.getParent(), "training-");
    try {
      Path configDir = Files.createDirectory(work.resolve("config"));
      TrainingVolume.writeTo(work, configDir);
      Path written = work.resolve("agent.jsa");
      TrainingTls tls = TrainingTls.writeTo(Files.createDirectory(work.resolve("agent-tls")));
      int probePort = freePort();
      int statePort = freePort();
      List<String> command = new ArrayList<>();
      command.add(HostContainerCommands.javaBinary());
      command.addAll(AGENT_JVM_OPTIONS);
      command.add("-XX:ArchiveClassesAtExit=" + written);
      command.addAll(
          List.of(
              "-cp",
              classPath,
              "dev.ipsec.operator.cli.Main",
              "agent",
              "--config-dir",
              configDir.toString(),
              "--vici",
              "unix://" + work.resolve("charon.vici"),
              "--listen",
              "127.0.0.1:" + statePort,
              "--probe-listen",
              "127.0.0.1:" + probePort));
      command.addAll(tls.agentArguments());
      // charon's stand-in outlives the agent: a charon gone first would train its retries
      try (TrainingCharon charon = TrainingCharon.listen(work.resolve("charon.vici"))) {
        Process agent =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("training.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
          if (!awaitProbes(agent, probePort)) {
            LOG.warn(
                "agent class-data archive not made: the training agent did not answer: {}",
                tail(work.resolve("training.log")));
            return Optional.empty();
          }
          if (!awaitFirstLoad(agent, charon)) {
            // still an archive, only without the first load's classes
            LOG.warn(
                "the training agent did not load its volume: {}",
                tail(work.resolve("training.log")));
          }
          if (!awaitLoadedState(tls, statePort)) {
            // still an archive, only without the handshake's classes
            LOG.warn("the training agent did not answer the state request over mutual TLS");
          }
        } finally {
          agent.destroy(); // SIGTERM: the JVM writes the archive on its way out
          if (!agent.waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        }
      }
      if (!Files.isRegularFile(written) || Files.size(written) == 0) {
        LOG.warn("agent class-data archive not made: {}", tail(work.resolve("training.log")));
        return Optional.empty();
      }
      Files.move(written, archive, StandardCopyOption.ATOMIC_MOVE);
      LOG.info(
          "made the agent class-data archive {} in {} ms",
          archive,
          (System.nanoTime() - start) / 1_000_000);
      return Optional.of(archive);
    } finally {
      FileTrees.deleteQuietly(work);
    }
  }

  /** Until the agent has sent {@code load-conn} for every connection of the training volume. */
  private static boolean awaitFirstLoad(Process agent, TrainingCharon charon)
      throws InterruptedException {
    long deadline = System.nanoTime() + TRAINING_TIMEOUT.toNanos();
    while (agent.isAlive() && System.nanoTime() < deadline) {
      if (charon.count("load-conn") >= TrainingVolume.CONNECTIONS) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  /**
   * Asks for the agent's state until it reports the loaded connections (the loader's status is
   * published just after the load's last command), so the state document is written as a gateway's
   * first answer is: with its connections.
   */
  private static boolean awaitLoadedState(TrainingTls tls, int port) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    boolean answered = false;
    while (System.nanoTime() < deadline) {
      Optional<String> state = tls.state(port);
      answered |= state.isPresent();
      String loaded = "\"" + TrainingVolume.INITIATING_CONNECTION + "\"";
      if (state.filter(s -> s.contains(loaded)).isPresent()) {
        return true;
      }
      Thread.sleep(50);
    }
    return answered;
  }

  /** Until the agent's probe port answers {@code /readyz} and {@code /metrics} once each. */
  private static boolean awaitProbes(Process agent, int port) throws InterruptedException {
    long deadline = System.nanoTime() + TRAINING_TIMEOUT.toNanos();
    while (agent.isAlive() && System.nanoTime() < deadline) {
      try {
        for (String path : List.of("/healthz", "/readyz", "/metrics")) {
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
        }
        return true;
      } catch (IOException e) {
        Thread.sleep(50); // not listening yet
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log);
      return text.substring(Math.max(0, text.length() - 500)).strip();
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
