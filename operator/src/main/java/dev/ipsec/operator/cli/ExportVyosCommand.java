package dev.ipsec.operator.cli;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.vyos.VyosExport;
import io.fabric8.kubernetes.api.model.ConfigMap;
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
      "Writes the IkeGroups, EspGroups, IpsecPeers and the IpsecGlobal's VyOS options of the"
          + " files as VyOS `set vpn ipsec` commands, the inverse of import-vyos. Pre-shared keys"
          + " become global `authentication psk` entries, as VyOS 1.4 keeps them.",
      "Exit codes: 0 written, 1 the files cannot be read or bound (nothing written), 2 wrong"
          + " usage."
    })
final class ExportVyosCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ResourceFileOptions input;

  @Option(
      names = "--gateway",
      paramLabel = "NAME",
      description =
          "The IpsecGlobal whose options and peers are written (a VyOS router is one gateway);"
              + " needed only when the files hold several. Unset with one IpsecGlobal: that one and"
              + " every peer.")
  String gateway;

  @Option(
      names = "--secrets",
      paramLabel = "include|omit",
      defaultValue = "omit",
      description =
          "omit (default): leave out the secret lines of the pre-shared keys; the Secret keys"
              + " concerned are listed on stderr. include: write the keys of the Secrets in the"
              + " files, and the certificates and keys of x509 and rsa peers as set pki lines.")
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
    List<IpsecGlobal> gateways = new ArrayList<>();
    Map<String, Map<String, String>> secretData = new HashMap<>();
    Map<String, Map<String, String>> configMapData = new HashMap<>();
    for (ResourceFiles.Document document : loaded.documents()) {
      HasMetadata resource = document.resource();
      document.bindingProblems().forEach(p -> problems.add(document.source() + ": " + p));
      if (resource instanceof IkeGroup g) {
        ike.add(g);
      } else if (resource instanceof EspGroup g) {
        esp.add(g);
      } else if (resource instanceof IpsecPeer p) {
        peers.add(p);
      } else if (resource instanceof IpsecGlobal g) {
        gateways.add(g);
      } else if (resource instanceof Secret s) {
        secretData.put(s.getMetadata().getName(), values(s));
      } else if (resource instanceof ConfigMap c) {
        configMapData.put(c.getMetadata().getName(), c.getData() == null ? Map.of() : c.getData());
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(err::println);
      err.println(problems.size() + " error(s), nothing written");
      err.flush();
      return 1;
    }
    IpsecGlobal chosen = null;
    if (gateway != null) {
      chosen =
          gateways.stream()
              .filter(g -> gateway.equals(g.getMetadata().getName()))
              .findFirst()
              .orElse(null);
      if (chosen == null) {
        problems.add("no IpsecGlobal named " + gateway + " in the files");
      }
      peers.removeIf(p -> !gateway.equals(p.getSpec() == null ? null : p.getSpec().getGateway()));
    } else if (gateways.size() == 1) {
      chosen = gateways.get(0);
    } else if (gateways.size() > 1) {
      problems.add(
          "the files hold "
              + gateways.size()
              + " IpsecGlobals: choose the one to write with --gateway");
    }
    if (!problems.isEmpty()) {
      problems.forEach(err::println);
      err.println(problems.size() + " error(s), nothing written");
      err.flush();
      return 1;
    }
    TreeSet<String> left = new TreeSet<>();
    VyosExport.Result result =
        VyosExport.export(
            chosen,
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
            },
            (name, key) ->
                Optional.ofNullable(configMapData.getOrDefault(name, Map.of()).get(key)));
    result.warnings().forEach(w -> err.println("warning: " + w));
    if (!left.isEmpty()) {
      err.println(
          "lines left out (pre-shared keys, passphrases, and the pki certificates and keys kept in"
              + " Secrets), from Secret keys "
              + left);
    }
    out.print(result.text());
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
