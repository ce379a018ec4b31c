package dev.ipsec.operator.cli;

import dev.ipsec.operator.render.RenderedGateway;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The offline preview a reviewer runs on a pull request: the files one gateway would load, with
 * every secret masked, or the validation errors (exit code 1).
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = "Renders resources to strongSwan configuration offline (secrets masked).")
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
    print(report.rendered.get(selected), out);
    return 0;
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
