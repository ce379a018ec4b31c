package dev.ipsec.operator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true, description = "Runs a two-site demonstration on an embedded API server.")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("ipsec-operator demo: not yet available in this build");
    return 2;
  }
}
