package dev.ipsec.operator.testing;

/** Exit code and output of a finished command. */
public record ExecResult(int exitCode, String stdout, String stderr) {

  public boolean ok() {
    return exitCode == 0;
  }

  /** Returns this result, or throws with the output when the command failed. */
  public ExecResult orThrow(String what) {
    if (!ok()) {
      throw new IllegalStateException(
          what
              + " failed with exit code "
              + exitCode
              + "\nstdout: "
              + stdout
              + "\nstderr: "
              + stderr);
    }
    return this;
  }
}
