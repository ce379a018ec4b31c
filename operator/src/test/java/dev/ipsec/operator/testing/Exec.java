package dev.ipsec.operator.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion with a hard timeout; output goes through temp files (no pipe
 * deadlock).
 */
public final class Exec {

  private Exec() {}

  public static ExecResult run(Duration timeout, List<String> command) {
    return run(timeout, command, Map.of());
  }

  public static ExecResult run(Duration timeout, List<String> command, Map<String, String> env) {
    File out = null;
    File err = null;
    try {
      out = File.createTempFile("exec", ".out");
      err = File.createTempFile("exec", ".err");
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(env);
      Process process = pb.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException("command timed out after " + timeout + ": " + command);
      }
      return new ExecResult(
          process.exitValue(),
          Files.readString(out.toPath(), StandardCharsets.UTF_8),
          Files.readString(err.toPath(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(File f) {
    if (f != null) {
      try {
        Files.deleteIfExists(f.toPath());
      } catch (IOException ignored) {
        // a temp file left behind is harmless
      }
    }
  }
}
