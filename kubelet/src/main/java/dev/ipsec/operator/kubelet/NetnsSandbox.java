package dev.ipsec.operator.kubelet;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private mount namespace with a tmpfs of its own on {@code /run}, inside an existing network
 * namespace: what a pod's sandbox gives its containers. The one way this project starts a process
 * (charon, the agent) in a network namespace, for the demo's pods and the tests' charons alike.
 *
 * <pre>{@code
 * try (NetnsSandbox sandbox = NetnsSandbox.open("gw-1")) {
 *   sandbox.run(List.of("mount", "--bind", "/tmp/conf", "/etc/ipsec-gw"));   // only in here
 *   Process charon = sandbox.start(List.of("/usr/lib/ipsec/charon"), env, log);
 * }   // what it started is stopped, then the sandbox itself: its mounts are gone
 * }</pre>
 *
 * <p>A sleeping holder process (a pod's pause container) keeps the mount namespace alive while no
 * other process is in it, so a process started again finds the same mounts and the same {@code
 * /run}. Several sandboxes can share a network namespace without sharing {@code /run}, where charon
 * keeps its pid file. Needs root and util-linux ({@code unshare}, {@code nsenter}). Every wait is
 * bounded; a sandbox that cannot be set up is removed before {@link #open} throws.
 */
public final class NetnsSandbox implements AutoCloseable {
  private static final Duration HOLDER_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final String networkNamespace;
  private final Process holder;
  private final List<Process> started = new ArrayList<>();
  private boolean closed;

  private NetnsSandbox(String networkNamespace, Process holder) {
    this.networkNamespace = networkNamespace;
    this.holder = holder;
  }

  /**
   * A new sandbox in {@code networkNamespace} (a name under {@code /run/netns}), once its mount
   * namespace is private and its {@code /run} a fresh tmpfs.
   *
   * @throws IllegalStateException if the sandbox cannot be set up within a few seconds
   */
  public static NetnsSandbox open(String networkNamespace) {
    NetnsSandbox sandbox = new NetnsSandbox(networkNamespace, startHolder(networkNamespace));
    try {
      sandbox.awaitHolder();
      sandbox.dropNetnsMountCopiesAndMountRun();
      return sandbox;
    } catch (RuntimeException e) {
      sandbox.close();
      throw e;
    }
  }

  /**
   * {@code ip netns exec} enters the network namespace and gives the holder a mount namespace in
   * which {@code /sys} shows that network namespace; {@code unshare} makes it private, so that no
   * mount made in the sandbox reaches the host.
   */
  private static Process startHolder(String networkNamespace) {
    try {
      return new ProcessBuilder(
              "ip",
              "netns",
              "exec",
              networkNamespace,
              "unshare",
              "--mount",
              "--propagation",
              "private",
              "sleep",
              "infinity")
          .redirectInput(Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a sandbox in " + networkNamespace, e);
    }
  }

  /**
   * Waits until the holder sleeps: {@code ip netns exec} and {@code unshare} exec each other, so
   * once the process is {@code sleep} its mount namespace is final (and must not be ours).
   */
  private void awaitHolder() {
    long deadline = System.nanoTime() + HOLDER_TIMEOUT.toNanos();
    while (!holderSleepsInItsOwnMountNamespace()) {
      if (!holder.isAlive()) {
        throw new IllegalStateException(
            "cannot create a sandbox in " + networkNamespace + ": " + holderOutput());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the sandbox in " + networkNamespace + " was not ready within " + HOLDER_TIMEOUT);
      }
      sleepBriefly();
    }
  }

  private boolean holderSleepsInItsOwnMountNamespace() {
    Path proc = Path.of("/proc", String.valueOf(holder.pid()));
    try {
      return Files.readString(proc.resolve("comm")).strip().equals("sleep")
          && !Files.readSymbolicLink(proc.resolve("ns/mnt"))
              .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")));
    } catch (IOException e) {
      return false; // exited meanwhile: awaitHolder says why
    }
  }

  /** What the holder printed before it died, i.e. why it could not enter the namespace. */
  private String holderOutput() {
    try {
      holder.waitFor(1, TimeUnit.SECONDS);
      return new String(holder.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  /**
   * The new mount namespace is a copy of the host's, with the {@code /run/netns} bind mount of
   * every network namespace alive at that moment; each copy keeps its network namespace (and its
   * veths) alive after {@code ip netns del} until the sandbox ends. The tmpfs on {@code /run} would
   * only hide them, so they go first; both in one process, as a pod's start waits for each.
   */
  private void dropNetnsMountCopiesAndMountRun() {
    run(
        List.of(
            "sh",
            "-c",
            "awk '$5 ~ /^\\/run\\/netns/ {print $5}' /proc/self/mountinfo"
                + " | sort -ru | while read -r m; do umount -l \"$m\" 2>/dev/null; done;"
                + " mount -t tmpfs tmpfs /run"));
  }

  /**
   * Runs a short command (mkdir, mount) in the sandbox and returns its standard output.
   *
   * @throws IllegalStateException if it fails or takes more than a few seconds
   */
  public String run(List<String> command) {
    return HostCommands.run(inSandbox(command));
  }

  /**
   * Starts a process in the sandbox with these environment variables added to this JVM's, its
   * standard output and error appended to {@code output}, its standard input empty. The process is
   * the command itself ({@code nsenter} execs it), so its pid and exit are the command's.
   */
  public synchronized Process start(List<String> command, Map<String, String> env, Path output) {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    ProcessBuilder builder =
        new ProcessBuilder(inSandbox(command))
            .redirectInput(Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(Redirect.appendTo(output.toFile()));
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      started.removeIf(p -> !p.isAlive());
      started.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command + " in " + this, e);
    }
  }

  private List<String> inSandbox(List<String> command) {
    List<String> full =
        new ArrayList<>(List.of("nsenter", "-t", String.valueOf(holder.pid()), "-m", "-n", "--"));
    full.addAll(command);
    return full;
  }

  /**
   * Stops every process started here that still runs (SIGTERM to it and its children, SIGKILL after
   * a few seconds), then the holder: with its last process the mount namespace, its tmpfs and every
   * mount made in it disappear. The network namespace stays. Safe to call twice.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Process process : started) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
    }
    started.forEach(NetnsSandbox::awaitOrKill);
    started.clear();
    holder.destroyForcibly();
    awaitOrKill(holder);
    try {
      holder.getInputStream().close();
    } catch (IOException ignored) {
      // the pipe of a dead process: nothing left to release
    }
  }

  private static void awaitOrKill(Process process) {
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating a sandbox", e);
    }
  }

  @Override
  public String toString() {
    return "sandbox in " + networkNamespace + " (holder pid " + holder.pid() + ")";
  }
}
