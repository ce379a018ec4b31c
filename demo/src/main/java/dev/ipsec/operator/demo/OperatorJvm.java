package dev.ipsec.operator.demo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator as an operator pod runs it: {@code ipsec-operator run} in a JVM of its own, from
 * this process's class path, against the embedded API server through a kubeconfig. Unlike the
 * operator started in this process, it can be killed with SIGKILL: no shutdown hook, no informer
 * stopped, no request finished, exactly what an OOM kill or a lost node does to an operator pod.
 * {@link #start()} after {@link #kill()} is the new pod the Deployment would start.
 */
final class OperatorJvm implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Path kubeconfig;
  private final String namespace;
  private final Path log;
  private Process process;
  private int httpPort;

  /**
   * @param kubeconfig points at the embedded API server
   * @param namespace the namespace it watches, which is also its own (CA Secret)
   * @param log where its output is appended, across restarts
   */
  OperatorJvm(Path kubeconfig, String namespace, Path log) {
    this.kubeconfig = kubeconfig;
    this.namespace = namespace;
    this.log = log;
  }

  /** Starts a new operator process; the previous one must be gone. */
  synchronized OperatorJvm start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the operator is still running (pid " + process.pid() + ")");
    }
    httpPort = freePort();
    List<String> command =
        new ArrayList<>(
            List.of(
                HostContainerCommands.javaBinary(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                HostContainerCommands.absoluteClassPath(),
                "dev.ipsec.operator.cli.Main",
                "run",
                "--kubeconfig",
                kubeconfig.toString(),
                "--namespace",
                namespace,
                "--ca-namespace",
                namespace,
                "--http-listen",
                "127.0.0.1:" + httpPort));
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the operator", e);
    }
    return this;
  }

  /** SIGKILL, and waits until the process is gone. */
  synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the operator did not die of SIGKILL within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The exit status of the last operator process, once it has ended (137 after SIGKILL). */
  synchronized int exitValue() {
    return process.exitValue();
  }

  /** Whether the running operator answers {@code /readyz} with 200 (started, informers synced). */
  synchronized boolean isReady() {
    if (process == null || !process.isAlive()) {
      return false;
    }
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The log the operator processes write to. */
  Path log() {
    return log;
  }

  /** Stops the operator for good (SIGTERM, as at a pod's deletion, then SIGKILL after 15 s). */
  @Override
  public synchronized void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the operator's HTTP endpoint", e);
    }
  }
}
