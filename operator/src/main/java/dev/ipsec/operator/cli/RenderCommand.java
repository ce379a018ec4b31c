package dev.ipsec.operator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "render", mixinStandardHelpOptions = true, description = "Renders resources to strongSwan configuration offline.")
final class RenderCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("ipsec-operator render: not yet available in this build");
    return 2;
  }
}
