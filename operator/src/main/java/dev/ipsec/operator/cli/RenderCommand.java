package dev.ipsec.operator.cli;

import dev.ipsec.operator.render.RenderedGateway;
import dev.ipsec.operator.volume.ConfigVolumePlan;
import dev.ipsec.operator.volume.ConfigVolumePlanner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The offline preview a reviewer runs on a pull request: the files one gateway would load, with
 * every secret masked, or the validation errors (exit code 1). With {@code --volume-dir} or {@code
 * --out} it writes the gateway's configuration volume instead, real secrets included, from the same
 * plan the operator writes ({@link ConfigVolumePlanner}), so an agent can load it.
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Renders resources to strongSwan configuration offline: prints it with secrets masked, or"
            + " writes the gateway's configuration volume with real secrets (--volume-dir, --out).")
final class RenderCommand implements Callable<Integer> {

  /** A PSK or passphrase line of a secrets.d file; values are quoted and never span lines. */
  private static final Pattern SECRET_LINE = Pattern.compile("(?m)^(\\s*secret = )\".*\"$");

  static final String MASK = "\"<masked>\"";

  @Spec CommandSpec spec;

  @Mixin ResourceFileOptions input;

  @Option(
      names = "--gateway",
      paramLabel = "NAME",
      description = "The IpsecGlobal to render; required when the files hold several.")
  String gateway;

  @ArgGroup(exclusive = true)
  Output output;

  /** Where to write the volume instead of printing; secret files get mode 0600. */
  static final class Output {
    @Option(
        names = "--volume-dir",
        paramLabel = "DIR",
        description =
            "Write exactly the files the gateway's configuration volume holds, flat and byte for"
                + " byte as the operator stores them (swanctl.conf, manifest.json,"
                + " secrets-manifest.json, each shard's manifests..config-<i>.json and"
                + " manifests..secrets-<i>.json, conf.d..<peer>.conf, ...), real secrets included;"
                + " DIR must be new or empty and becomes 0700, secret files 0600.")
    Path volumeDir;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description =
            "Write strongswan.conf and the swanctl directory nested"
                + " (DIR/swanctl/conf.d/<peer>.conf, with the manifests), real secrets included;"
                + " DIR must be new or empty.")
    Path out;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ResourceFiles.Loaded loaded = input.load();
    GatewayInputs inputs =
        new GatewayInputs(
            loaded.documents().stream().map(ResourceFiles.Document::resource).toList());
    int gateways = inputs.gateways().size();
    if (gateways == 0) {
      err.println("no IpsecGlobal found in the given files");
      return 1;
    }
    if (gateway == null && gateways > 1) {
      err.println("the files hold " + gateways + " IpsecGlobals: choose one with --gateway NAME");
      return 2;
    }
    String selected = gateway != null ? gateway : inputs.gateways().get(0).getMetadata().getName();
    ResourceReport report =
        ResourceReport.build(loaded, ValidateCommand.resourceChecks(), selected);
    if (!report.rendered.containsKey(selected)) {
      err.println("IpsecGlobal \"" + selected + "\" not found in the given files");
      return 1;
    }
    if (!report.errors.isEmpty()) {
      report.printErrors(err);
      return 1;
    }
    RenderedGateway rendered = report.rendered.get(selected);
    if (output == null) {
      print(rendered, out);
      return 0;
    }
    ConfigVolumePlan plan = report.plans.get(selected);
    Path dir = output.volumeDir != null ? output.volumeDir : output.out;
    try {
      int files =
          output.volumeDir != null
              ? VolumeDirectoryWriter.writeFlat(dir, plan)
              : VolumeDirectoryWriter.writeNested(
                  dir, plan, rendered.strongswanConf().orElseThrow());
      out.println("wrote " + files + " files of revision " + plan.revision() + " to " + dir);
      out.flush();
      return 0;
    } catch (VolumeDirectoryWriter.UnusableDirectoryException e) {
      err.println(e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("cannot write " + dir + ": " + e.getMessage());
      return 1;
    }
  }

  static void print(RenderedGateway rendered, PrintWriter out) {
    rendered.strongswanConf().ifPresent(conf -> section(out, "strongswan.conf", conf));
    for (Map.Entry<String, String> file : rendered.configFiles().entrySet()) {
      section(out, "swanctl/" + file.getKey(), file.getValue());
    }
    for (Map.Entry<String, byte[]> file : rendered.secretFiles().entrySet()) {
      String name = "swanctl/" + file.getKey();
      if (file.getKey().endsWith(".conf")) {
        section(
            out,
            name + " (Secret)",
            SECRET_LINE
                .matcher(new String(file.getValue(), StandardCharsets.UTF_8))
                .replaceAll("$1" + Matcher.quoteReplacement(MASK)));
      } else {
        section(out, name + " (Secret)", "<masked: " + file.getValue().length + " bytes>\n");
      }
    }
    out.flush();
  }

  private static void section(PrintWriter out, String name, String content) {
    out.println("# ---- " + name);
    out.print(content);
    if (!content.endsWith("\n")) {
      out.println();
    }
  }
}
