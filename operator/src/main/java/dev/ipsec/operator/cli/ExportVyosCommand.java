package dev.ipsec.operator.cli;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.vyos.VyosExport;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The way back to VyOS: resources as {@code set vpn ipsec ...} commands. Pre-shared keys are left
 * out unless asked for, since the output is plain text on stdout.
 */
@Command(
    name = "export-vyos",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Writes the IkeGroups, EspGroups and IpsecPeers of the files as VyOS `set vpn ipsec`"
          + " commands, the inverse of import-vyos.",
      "Exit codes: 0 written, 1 the files cannot be read or bound (nothing written), 2 wrong"
          + " usage."
    })
final class ExportVyosCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ResourceFileOptions input;

  @Option(
      names = "--secrets",
      paramLabel = "include|omit",
      defaultValue = "omit",
      description =
          "omit (default): leave out the pre-shared-secret lines; the peers concerned are listed on"
              + " stderr. include: write the keys of the Secrets in the files.")
  ImportVyosCommand.SecretsMode secrets;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ResourceFiles.Loaded loaded = input.load();
    List<String> problems = new ArrayList<>(loaded.errors());
    List<IkeGroup> ike = new ArrayList<>();
    List<EspGroup> esp = new ArrayList<>();
    List<IpsecPeer> peers = new ArrayList<>();
    Map<String, Map<String, String>> secretData = new HashMap<>();
    for (ResourceFiles.Document document : loaded.documents()) {
      HasMetadata resource = document.resource();
      document.bindingProblems().forEach(p -> problems.add(document.source() + ": " + p));
      if (resource instanceof IkeGroup g) {
        ike.add(g);
      } else if (resource instanceof EspGroup g) {
        esp.add(g);
      } else if (resource instanceof IpsecPeer p) {
        peers.add(p);
      } else if (resource instanceof Secret s) {
        secretData.put(s.getMetadata().getName(), values(s));
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(err::println);
      err.println(problems.size() + " error(s), nothing written");
      err.flush();
      return 1;
    }
    TreeSet<String> left = new TreeSet<>();
    String text =
        VyosExport.toText(
            ike,
            esp,
            peers,
            (name, key) -> {
              Optional<String> value =
                  secrets == ImportVyosCommand.SecretsMode.include
                      ? Optional.ofNullable(secretData.getOrDefault(name, Map.of()).get(key))
                      : Optional.empty();
              if (value.isEmpty()) {
                left.add(name + "/" + key);
              }
              return value;
            });
    if (!left.isEmpty()) {
      err.println("pre-shared-secret lines left out, from Secret keys " + left);
    }
    out.print(text);
    out.flush();
    err.flush();
    return 0;
  }

  private static Map<String, String> values(Secret secret) {
    Map<String, String> values = new HashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }
}
