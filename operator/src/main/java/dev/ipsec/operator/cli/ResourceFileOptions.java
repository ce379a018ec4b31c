package dev.ipsec.operator.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code -f} option render and validate share, as a picocli mixin, so both read it alike. */
final class ResourceFileOptions {

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE_OR_DIR",
      description =
          "YAML files or directories (recursive), as given to kubectl apply -f; - reads standard"
              + " input.")
  List<Path> files;

  /** The resources of the given files and directories. */
  ResourceFiles.Loaded load() {
    return new ResourceFiles(System.in).load(files);
  }
}
