package dev.ipsec.operator.cli;

import dev.ipsec.operator.threads.CommonPoolParallelism;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point of the jar: every sub-command of {@code ipsec-operator}. The demo is not one
 * of them: it has a module and a jar of its own ({@code demo/}, {@code bin/demo}).
 */
@Command(
    name = "ipsec-operator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runs strongSwan IPsec gateways on Kubernetes from VyOS-style resources.",
    subcommands = {
      RunCommand.class,
      AgentCommand.class,
      RenderCommand.class,
      ValidateCommand.class,
      ImportVyosCommand.class,
      ExportVyosCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("run")) {
      // first: the common pool's size is read at its first use; the operator's HTTP responses
      // run there (the agent's JVM, whose start counts, is left as the JDK makes it)
      CommonPoolParallelism.atLeastTwo();
    }
    System.exit(execute(args));
  }

  /** Runs the command line without exiting, so tests can call it in-process. */
  public static int execute(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
