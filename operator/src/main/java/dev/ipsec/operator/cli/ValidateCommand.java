package dev.ipsec.operator.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Checks resources without printing configuration: every problem of every document, each once, then
 * exit code 0 when all are valid, 1 otherwise.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Validates resources as the API server and the operator would: binding, the CRD schema"
          + " and CEL rules, then the operator's checks and the rendering of every gateway. Every"
          + " problem is printed once as Kind/name: field.path: message; the exit code is 1 when"
          + " there is any."
    })
final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ResourceFileOptions input;

  @Option(
      names = "--offline",
      description =
          "For Git repositories whose Secrets are sealed (SealedSecret, ExternalSecret): a Secret"
              + " that a peer names and the files do not hold is taken on trust instead of being"
              + " an error. Everything else is still checked, Secrets the files do hold included.")
  boolean offline;

  /** Per-resource checks run before rendering: the CRD schema, defaults and CEL rules. */
  static List<ResourceCheck> resourceChecks() {
    return List.of(new CrdSchemaCheck());
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ResourceFiles.Loaded loaded = input.load();
    ResourceReport report = ResourceReport.build(loaded, resourceChecks(), null, offline);
    if (!report.errors.isEmpty()) {
      report.printErrors(err);
      return 1;
    }
    Set<String> onTrust = report.secretsTakenOnTrust();
    out.println(
        loaded.documents().size()
            + " resource(s) valid, "
            + report.rendered.size()
            + " gateway(s) rendered"
            + (onTrust.isEmpty()
                ? ""
                : ", " + onTrust.size() + " Secret(s) not in the files taken on trust " + onTrust));
    out.flush();
    return 0;
  }
}
