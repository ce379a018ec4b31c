package dev.ipsec.operator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "validate", mixinStandardHelpOptions = true, description = "Validates resources against the schema and the rendering rules.")
final class ValidateCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("ipsec-operator validate: not yet available in this build");
    return 2;
  }
}
