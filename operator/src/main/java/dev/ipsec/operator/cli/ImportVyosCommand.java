package dev.ipsec.operator.cli;

import dev.ipsec.operator.vyos.ImportedSecret;
import dev.ipsec.operator.vyos.VyosImport;
import dev.ipsec.operator.vyos.VyosImportResult;
import dev.ipsec.operator.vyos.VyosProblem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * VyOS migration: {@code show configuration commands} output in, YAML for {@code kubectl apply}
 * out. Warnings and errors go to stderr with their line; on any error nothing is written to stdout,
 * so that a half import is never applied.
 */
@Command(
    name = "import-vyos",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Turns VyOS configuration as `show configuration commands` prints it (set vpn ipsec ..."
          + " lines, and the set pki lines x509 and rsa peers name; other lines are ignored) into"
          + " IkeGroups, EspGroups, IpsecPeers, an IpsecGlobal and the Secrets of the pre-shared"
          + " keys, certificates and private keys, as YAML for kubectl apply. What has no"
          + " equivalent is a warning naming the line; unknown or malformed lines are errors.",
      "Exit codes: 0 written (warnings may have been printed), 1 errors in the input or the file"
          + " cannot be read (nothing written), 2 wrong usage."
    })
final class ImportVyosCommand implements Callable<Integer> {

  /** Whether the pre-shared keys are written. */
  enum SecretsMode {
    include,
    omit
  }

  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE",
      defaultValue = "-",
      description = "The VyOS configuration; - (the default) reads standard input.")
  String file;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description = "Namespace written into every object; unset leaves it to kubectl.")
  String namespace;

  @Option(
      names = "--gateway",
      paramLabel = "NAME",
      defaultValue = "vyos",
      description = "Name of the IpsecGlobal the peers are served by. Default ${DEFAULT-VALUE}.")
  String gateway;

  @Option(
      names = "--secrets",
      paramLabel = "include|omit",
      defaultValue = "include",
      description =
          "include (default): write the pre-shared keys, passphrases, certificates and private"
              + " keys as Secrets. omit: write"
              + " only the references, for secrets kept elsewhere; the Secrets to create are listed"
              + " on stderr by name and key, never with their values.")
  SecretsMode secrets;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String text;
    try {
      text = read();
    } catch (IOException e) {
      err.println("import-vyos: cannot read " + file + ": " + e.getMessage());
      err.flush();
      return 1;
    }
    VyosImportResult result = VyosImport.fromText(text, namespace, gateway);
    for (VyosProblem problem : result.problems()) {
      err.println((file.equals("-") ? "<stdin>" : file) + ": " + problem);
    }
    if (result.hasErrors()) {
      err.println(result.errors().size() + " error(s), nothing written");
      err.flush();
      return 1;
    }
    out.print(yaml(result, err));
    out.flush();
    err.flush();
    return 0;
  }

  private String read() throws IOException {
    if (file.equals("-")) {
      InputStream in = System.in;
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return Files.readString(Path.of(file), StandardCharsets.UTF_8);
  }

  private String yaml(VyosImportResult result, PrintWriter err) {
    List<HasMetadata> objects = new ArrayList<>();
    for (ImportedSecret secret : result.secrets()) {
      if (secrets == SecretsMode.include) {
        objects.add(secret(secret));
      } else {
        err.println(
            "create Secret "
                + secret.name()
                + " (type "
                + secret.type()
                + ") with key(s) "
                + new TreeMap<>(secret.data()).keySet()
                + " (omitted by --secrets=omit)");
      }
    }
    objects.add(result.global());
    objects.addAll(result.ikeGroups());
    objects.addAll(result.espGroups());
    objects.addAll(result.peers());
    StringBuilder yaml = new StringBuilder();
    for (HasMetadata object : objects) {
      String doc = Serialization.asYaml(object);
      yaml.append(doc.startsWith("---") ? doc : "---\n" + doc);
      if (!doc.endsWith("\n")) {
        yaml.append('\n');
      }
    }
    return yaml.toString();
  }

  private Secret secret(ImportedSecret secret) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(secret.name())
        .withNamespace(namespace)
        .endMetadata()
        .withType(secret.type())
        .withStringData(new TreeMap<>(secret.data()))
        .build();
  }
}
