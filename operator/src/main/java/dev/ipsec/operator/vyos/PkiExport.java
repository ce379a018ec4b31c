package dev.ipsec.operator.vyos;

import dev.ipsec.operator.api.v1alpha1.CaCertificateRef;
import dev.ipsec.operator.api.v1alpha1.RsaAuthentication;
import dev.ipsec.operator.api.v1alpha1.X509Authentication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code set pki} entries x509 and rsa peers name, from the Secrets and ConfigMaps they refer
 * to, as VyOS keeps them (PEM bodies without armour): the inverse of {@link PkiAuthentication}. A
 * certificate Secret becomes {@code pki certificate NAME} (its first certificate and its key), a CA
 * reference {@code pki ca NAME}, an rsa local key {@code pki key-pair NAME private key}, and the
 * remote public key {@code pki key-pair <peer>-remote public key}. What the lookups do not give
 * (Secrets left out) is simply not written; the import then says what is missing.
 */
final class PkiExport {

  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  /** Entries by "kind name", each with its paths and values in VyOS's order. */
  private final TreeMap<String, Map<String, String>> entries = new TreeMap<>();

  private final List<String> warnings;
  private final BiFunction<String, String, Optional<String>> secrets;
  private final BiFunction<String, String, Optional<String>> configMaps;

  PkiExport(
      List<String> warnings,
      BiFunction<String, String, Optional<String>> secrets,
      BiFunction<String, String, Optional<String>> configMaps) {
    this.warnings = warnings;
    this.secrets = secrets;
    this.configMaps = configMaps;
  }

  /** The peer's x509 lines below {@code authentication}, and its pki entries. */
  List<String[]> x509(X509Authentication x) {
    List<String[]> lines = new ArrayList<>();
    for (CaCertificateRef ref : x.getCaCertificates()) {
      String name;
      Optional<String> pem;
      if (ref.getSecretRef() != null) {
        name = ref.getSecretRef().getName();
        pem = secrets.apply(name, ref.getSecretRef().getKey());
      } else if (ref.getConfigMapRef() != null) {
        name = ref.getConfigMapRef().getName();
        pem = configMaps.apply(name, ref.getConfigMapRef().getKey());
      } else {
        continue;
      }
      lines.add(new String[] {"x509 ca-certificate", name});
      pem.flatMap(p -> firstBlock(p, "ca " + name))
          .ifPresent(b -> put("ca " + name, "certificate", b.body()));
    }
    if (x.getCertificate() != null && x.getCertificate().getName() != null) {
      String name = x.getCertificate().getName();
      lines.add(new String[] {"x509 certificate", name});
      secrets
          .apply(name, PkiAuthentication.TLS_CERT)
          .flatMap(p -> firstBlock(p, "certificate " + name))
          .ifPresent(b -> put("certificate " + name, "certificate", b.body()));
      privateKey("certificate " + name, name, PkiAuthentication.TLS_KEY);
    }
    if (x.getPassphrase() != null) {
      secrets
          .apply(x.getPassphrase().getName(), x.getPassphrase().getKey())
          .ifPresent(v -> lines.add(new String[] {"x509 passphrase", v}));
    }
    return lines;
  }

  /** The peer's rsa lines below {@code authentication}, and its pki key-pairs. */
  List<String[]> rsa(String peerName, RsaAuthentication r) {
    List<String[]> lines = new ArrayList<>();
    if (r.getLocalKey() != null) {
      String name = r.getLocalKey().getName();
      lines.add(new String[] {"rsa local-key", name});
      privateKey("key-pair " + name, name, r.getLocalKey().getKey());
    }
    if (r.getRemotePublicKey() != null) {
      String name = peerName + "-remote";
      lines.add(new String[] {"rsa remote-key", name});
      firstBlock(r.getRemotePublicKey(), "key-pair " + name)
          .ifPresent(b -> put("key-pair " + name, "public key", b.body()));
    }
    return lines;
  }

  /** The {@code set pki} lines, entries sorted as VyOS prints them. */
  List<String> lines() {
    List<String> out = new ArrayList<>();
    entries.forEach(
        (entry, paths) ->
            paths.forEach(
                (path, value) ->
                    out.add(
                        "set pki "
                            + entry
                            + " "
                            + path
                            + (value == null ? "" : " " + VyosQuoting.quote(value)))));
    return out;
  }

  private void privateKey(String entry, String secret, String key) {
    secrets
        .apply(secret, key)
        .flatMap(p -> firstBlock(p, entry))
        .ifPresent(
            b -> {
              put(entry, "private key", b.body());
              if (b.label().startsWith("ENCRYPTED")) {
                put(entry, "private password-protected", null);
              }
            });
  }

  private record Block(String label, String body) {}

  private Optional<Block> firstBlock(String pem, String entry) {
    Matcher m = PEM_BLOCK.matcher(pem);
    if (!m.find()) {
      warnings.add("pki " + entry + ": no PEM block in its source, left out");
      return Optional.empty();
    }
    Block first = new Block(m.group(1), m.group(2).replaceAll("\\s+", ""));
    if (m.find()) {
      warnings.add(
          "pki " + entry + " holds only the first PEM block of its source (VyOS keeps one)");
    }
    return Optional.of(first);
  }

  private void put(String entry, String path, String value) {
    entries.computeIfAbsent(entry, e -> new LinkedHashMap<>()).put(path, value);
  }
}
