package dev.ipsec.operator.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Checks resources without printing configuration: exit code 0 when all are valid, 1 otherwise. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Validates resources against the schema and the rendering rules.")
final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ResourceFileOptions input;

  /** Per-resource checks run before rendering: the CRD schema, defaults and CEL rules. */
  static List<ResourceCheck> resourceChecks() {
    return List.of(new CrdSchemaCheck());
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ResourceFiles.Loaded loaded = input.load();
    ResourceReport report = ResourceReport.build(loaded, resourceChecks(), null);
    if (!report.errors.isEmpty()) {
      report.printErrors(err);
      return 1;
    }
    out.println(
        loaded.documents().size()
            + " resource(s) valid, "
            + report.rendered.size()
            + " gateway(s) rendered");
    out.flush();
    return 0;
  }
}
