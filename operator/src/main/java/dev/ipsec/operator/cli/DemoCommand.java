package dev.ipsec.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ipsec.operator.api.schema.ResourceValidator;
import dev.ipsec.operator.api.schema.SchemaViolation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The demonstration. Until the embedded two-gateway demo lands, it walks through the examples:
 * every resource, checked against the CRD schema and its CEL rules as the API server would, then
 * the configuration the site-to-site example renders for its first gateway (secrets masked).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Runs a demonstration: for now, the examples checked against the CRDs.")
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--examples", description = "Examples directory (default: ${DEFAULT-VALUE}).",
      defaultValue = "examples")
  Path examples;

  @Option(names = "--once", description = "Exit after one pass (0 when everything is valid).")
  boolean once;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isDirectory(examples)) {
      spec.commandLine().getErr().printf("no examples directory at %s%n", examples.toAbsolutePath());
      return 2;
    }
    ResourceValidator validator = ResourceValidator.bundled();
    int invalid = 0;
    int total = 0;
    out.printf("%-16s %-12s %-28s %s%n", "EXAMPLE", "KIND", "NAME", "SCHEMA");
    List<Path> directories;
    try (Stream<Path> list = Files.list(examples)) {
      directories = list.filter(Files::isDirectory).sorted().toList();
    }
    for (Path directory : directories) {
      for (JsonNode resource : YamlResources.read(directory)) {
        String kind = resource.path("kind").asText();
        if (!validator.handles(kind)) {
          continue;
        }
        total++;
        List<SchemaViolation> violations = validator.validate(resource);
        invalid += violations.isEmpty() ? 0 : 1;
        out.printf("%-16s %-12s %-28s %s%n", directory.getFileName(), kind,
            resource.at("/metadata/name").asText(),
            violations.isEmpty() ? "valid" : violations.toString());
      }
    }
    out.printf("%n%d resources, %d invalid.%n", total, invalid);
    out.flush();
    if (invalid > 0) {
      return 1;
    }
    Path siteToSite = examples.resolve("site-to-site");
    if (Files.isDirectory(siteToSite)) {
      out.printf("%nWhat gateway site-a would load (ipsec-operator render -f %s --gateway site-a):%n%n",
          siteToSite);
      out.flush();
      return spec.commandLine().getParent().execute("render", "-f", siteToSite.toString(),
          "--gateway", "site-a");
    }
    return 0;
  }
}
