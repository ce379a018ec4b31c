package dev.ipsec.operator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Runs the operator against a Kubernetes API server.")
final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("ipsec-operator run: not yet available in this build");
    return 2;
  }
}
