package dev.ipsec.operator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "agent", mixinStandardHelpOptions = true, description = "Runs the gateway agent next to charon.")
final class AgentCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("ipsec-operator agent: not yet available in this build");
    return 2;
  }
}
