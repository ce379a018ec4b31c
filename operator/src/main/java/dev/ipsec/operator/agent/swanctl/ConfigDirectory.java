package dev.ipsec.operator.agent.swanctl;

import dev.ipsec.operator.settings.ConfigTree;
import dev.ipsec.operator.settings.SettingsException;
import dev.ipsec.operator.settings.SettingsParseResult;
import dev.ipsec.operator.settings.SettingsParser;
import dev.ipsec.operator.settings.SettingsSection;
import dev.ipsec.operator.vici.ViciMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A swanctl configuration directory ({@code swanctl.conf} plus the credential folders, as in {@code
 * /etc/swanctl}), read into a {@link DesiredConfig}. Reading never throws for bad content: every
 * problem becomes an error of the connection, secret, credential or file concerned.
 *
 * <p>Not thread-safe: each read reuses the parse trees and translations of the previous one for
 * files whose text did not change (one agent thread owns an instance).
 */
public final class ConfigDirectory {

  /** Optional file at the root whose content names the configuration revision. */
  public static final String REVISION_FILE = "revision";

  /**
   * The credential folders in the order they are read, with the {@code load-cert} type and flag or
   * the {@code load-key} type swanctl uses for each.
   */
  private static final Map<String, CredentialKind> CREDENTIAL_FOLDERS =
      orderedMap(
          "x509ca", CredentialKind.certificate("X509", "CA"),
          "x509aa", CredentialKind.certificate("X509", "AA"),
          "x509ocsp", CredentialKind.certificate("X509", "OCSP"),
          "x509", CredentialKind.certificate("X509", "NONE"),
          "x509ac", CredentialKind.certificate("X509_AC", "NONE"),
          "x509crl", CredentialKind.certificate("X509_CRL", "NONE"),
          "private", CredentialKind.privateKey("any"),
          "rsa", CredentialKind.privateKey("rsa"),
          "ecdsa", CredentialKind.privateKey("ecdsa"),
          "pkcs8", CredentialKind.privateKey("any"));

  /** What a credential folder holds: the command that loads its files, and a file's request. */
  private record CredentialKind(String command, Function<byte[], ViciMessage> request) {

    static CredentialKind certificate(String type, String flag) {
      String pemLabel = type.equals("X509_CRL") ? "X509 CRL" : "CERTIFICATE";
      return new CredentialKind(
          "load-cert",
          content ->
              ViciMessage.empty()
                  .put("type", type)
                  .put("flag", flag)
                  .put("data", Pem.asText(content, pemLabel)));
    }

    static CredentialKind privateKey(String type) {
      return new CredentialKind(
          "load-key",
          content ->
              ViciMessage.empty()
                  .put("type", type)
                  .put("data", Pem.asText(content, "PRIVATE KEY")));
    }
  }

  private final Path dir;
  private final SwanctlTranslator translator;

  /** Reused between reads: a swap rewrites every file, but few change. */
  private final SettingsParser.ParseCache parseCache = new SettingsParser.ParseCache();

  private final CachedSectionTranslator<SectionSpec> connectionTranslator;
  private final CachedSectionTranslator<SectionSpec> secretTranslator;

  public ConfigDirectory(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    this.translator = new SwanctlTranslator(this.dir);
    // connections that read certificate or key files are always translated: those files can
    // change on their own
    this.connectionTranslator =
        new CachedSectionTranslator<>(
            "connections", (name, section) -> !readsFiles(section), translator::connection);
    // a key section only names a key file, which can change on its own: always checked again
    this.secretTranslator =
        new CachedSectionTranslator<>(
            "secrets", (id, section) -> !SwanctlTranslator.isKeySection(id), this::secret);
  }

  public Path path() {
    return dir;
  }

  /**
   * Reads everything; throws only if the directory itself cannot be read.
   *
   * <p>In a projected volume the whole read must come from one generation: if {@code ..data} was
   * swapped while reading, the read is repeated (a few times at most; kubelet swaps rarely).
   */
  public DesiredConfig read() throws IOException {
    for (int attempt = 1; ; attempt++) {
      Optional<Path> generation = dataGeneration();
      DesiredConfig config = readOnce();
      if (generation.equals(dataGeneration()) || attempt == 5) {
        return config;
      }
    }
  }

  /** Where {@code ..data} points now (empty for a plain directory). */
  private Optional<Path> dataGeneration() {
    Path data = dir.resolve("..data");
    try {
      return Files.isSymbolicLink(data)
          ? Optional.of(Files.readSymbolicLink(data))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private DesiredConfig readOnce() throws IOException {
    SettingsParseResult parsed = SettingsParser.parseDirectory(dir, parseCache);
    Map<String, String> connectionErrors = new LinkedHashMap<>();
    Map<String, String> secretErrors = new LinkedHashMap<>();
    List<String> fileErrors = new ArrayList<>();
    for (SettingsException e : parsed.errors()) {
      List<String> path = e.sectionPath();
      if (path.size() >= 2 && path.get(0).equals("connections")) {
        connectionErrors.merge(path.get(1), e.getMessage(), (a, b) -> a + "; " + b);
      } else if (path.size() >= 2 && path.get(0).equals("secrets")) {
        secretErrors.merge(path.get(1), e.getMessage(), (a, b) -> a + "; " + b);
      } else {
        fileErrors.add(e.getMessage());
      }
    }

    Map<String, SectionSpec> connections = connectionTranslator.translate(parsed, connectionErrors);
    Map<String, SectionSpec> secrets = secretTranslator.translate(parsed, secretErrors);

    Map<String, CredentialSpec> credentials = new LinkedHashMap<>();
    Map<String, String> credentialErrors = new LinkedHashMap<>();
    readCredentials(credentials, credentialErrors);

    boolean entryFailed = parsed.failedFiles().contains(dir.resolve(SettingsParser.ENTRY_FILE));
    return new DesiredConfig(
        revision(),
        connections,
        secrets,
        credentials,
        connectionErrors,
        secretErrors,
        credentialErrors,
        fileErrors,
        parsed.failedFiles(),
        entryFailed);
  }

  /** A shared secret, or null for a key section: its key is loaded from the key folders. */
  private SectionSpec secret(String id, SettingsSection section) throws ConfigItemException {
    if (SwanctlTranslator.isKeySection(id)) {
      translator.keyReference(id, section);
      return null;
    }
    return translator.sharedSecret(id, section);
  }

  private static boolean readsFiles(SettingsSection section) {
    return section.values().keySet().stream()
            .anyMatch(SwanctlTranslator.FILE_LIST_KEYS::containsKey)
        || section.sections().values().stream().anyMatch(ConfigDirectory::readsFiles);
  }

  private void readCredentials(
      Map<String, CredentialSpec> credentials, Map<String, String> errors) {
    ConfigTree tree = new ConfigTree(dir);
    CREDENTIAL_FOLDERS.forEach(
        (folder, kind) ->
            forEachFile(
                tree,
                folder,
                errors,
                (name, content) -> {
                  ViciMessage request = kind.request().apply(content);
                  credentials.put(
                      name,
                      new CredentialSpec(name, kind.command(), request, Fingerprint.of(request)));
                }));
  }

  private interface FileConsumer {
    void accept(String relativeName, byte[] content);
  }

  private void forEachFile(
      ConfigTree tree, String folder, Map<String, String> errors, FileConsumer consumer) {
    for (Path logical : tree.children(dir.resolve(folder))) {
      if (logical.getFileName().toString().startsWith(".")) {
        continue; // the projected volume's internals
      }
      String name = folder + "/" + logical.getFileName();
      Path file = tree.locate(logical);
      try {
        if (!file.toRealPath().startsWith(dir.toRealPath())) {
          errors.put(name, "resolves outside the configuration directory");
          continue;
        }
        if (Files.isRegularFile(file)) {
          consumer.accept(name, Files.readAllBytes(file));
        }
      } catch (IOException e) {
        errors.put(name, "cannot read: " + e.getClass().getSimpleName());
      }
    }
  }

  /** Entries of a folder in name order, without dot-names (the projected volume's internals). */
  private static List<Path> listVisible(Path folder) {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return files;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        if (!entry.getFileName().toString().startsWith(".")) {
          files.add(entry);
        }
      }
    } catch (IOException e) {
      return files;
    }
    files.sort(null);
    return files;
  }

  /** The {@code revision} file's content, else a SHA-256 over all visible files and their names. */
  public String revision() throws IOException {
    Path revisionFile = dir.resolve(REVISION_FILE);
    if (Files.isRegularFile(revisionFile)) {
      return Files.readString(revisionFile, StandardCharsets.UTF_8).strip();
    }
    Map<String, Path> files = new TreeMap<>();
    collect(dir, "", files, 0);
    MessageDigest digest = Fingerprint.sha256();
    for (Map.Entry<String, Path> e : files.entrySet()) {
      digest.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(Files.readAllBytes(e.getValue()));
      digest.update((byte) 0);
    }
    return "sha256:" + HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  private static void collect(Path folder, String prefix, Map<String, Path> files, int depth) {
    if (depth > 8) {
      return;
    }
    for (Path entry : listVisible(folder)) {
      String name = prefix + entry.getFileName();
      if (Files.isDirectory(entry)) {
        collect(entry, name + "/", files, depth + 1);
      } else if (Files.isRegularFile(entry)) {
        files.put(name, entry);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> orderedMap(Object... keysAndValues) {
    Map<String, V> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
    }
    return map;
  }
}
