package dev.ipsec.operator.kubelet;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short host commands (ip, nsenter, mount) with a hard timeout, failing loudly. */
public final class HostCommands {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private HostCommands() {}

  /** Runs the command and returns its standard output; throws with stderr on a non-zero exit. */
  public static String run(List<String> command) {
    return run(command, null);
  }

  /**
   * Runs the command with {@code input} as its standard input (none when null), e.g. the lines of
   * {@code ip -batch -}: one process for what would otherwise be one each.
   */
  public static String run(List<String> command, String input) {
    File out = null;
    File err = null;
    File in = null;
    try {
      out = File.createTempFile("host", ".out");
      err = File.createTempFile("host", ".err");
      if (input != null) {
        in = File.createTempFile("host", ".in");
        Files.writeString(in.toPath(), input, StandardCharsets.UTF_8);
      }
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out)
              .redirectError(err)
              .redirectInput(ProcessBuilder.Redirect.from(in != null ? in : new File("/dev/null")))
              .start();
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException("timed out after " + TIMEOUT + ": " + command);
      }
      String stdout = Files.readString(out.toPath(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            command
                + " failed ("
                + process.exitValue()
                + "): "
                + Files.readString(err.toPath(), StandardCharsets.UTF_8).strip());
      }
      return stdout;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    } finally {
      if (out != null) {
        out.delete();
      }
      if (err != null) {
        err.delete();
      }
      if (in != null) {
        in.delete();
      }
    }
  }

  /** Like {@link #run} but never throws: for cleanup, where the thing may already be gone. */
  public static void runQuietly(List<String> command) {
    try {
      run(command);
    } catch (IllegalStateException ignored) {
      // already removed, or never created
    }
  }
}
