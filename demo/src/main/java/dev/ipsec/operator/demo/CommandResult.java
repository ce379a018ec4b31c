package dev.ipsec.operator.demo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Exit code and merged output of a finished command ({@code -1} when it timed out). */
public record CommandResult(int exitCode, String output) {

  /** Runs {@code command} to completion, killing it after {@code timeout}. */
  public static CommandResult run(List<String> command, Duration timeout) {
    Path output = null;
    try {
      // to a file, not a pipe: a chatty command can never block on a full pipe
      output = Files.createTempFile("ipsec-cmd-", ".out");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        return new CommandResult(-1, "timed out after " + timeout + ": " + command);
      }
      return new CommandResult(process.exitValue(), Files.readString(output));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    } finally {
      if (output != null) {
        output.toFile().delete();
      }
    }
  }

  public boolean succeeded() {
    return exitCode == 0;
  }
}
