package dev.ipsec.operator.agent.swanctl;

import dev.ipsec.operator.agent.volume.VerifiedView;
import dev.ipsec.operator.settings.InMemorySource;
import dev.ipsec.operator.settings.SettingsException;
import dev.ipsec.operator.settings.SettingsParseResult;
import dev.ipsec.operator.settings.SettingsParser;
import dev.ipsec.operator.settings.SettingsSection;
import dev.ipsec.operator.vici.ViciMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A swanctl configuration directory ({@code swanctl.conf} plus the credential folders, as in {@code
 * /etc/swanctl}), read into a {@link DesiredConfig} from a {@link VerifiedView} of it: the files
 * its manifests list, with the bytes that were checked. Nothing is read from disk here, and only
 * listed files exist: an {@code include} glob, a {@code certs} reference or a credential folder
 * never reaches a file that no manifest lists. Reading never throws for bad content: every problem
 * becomes an error of the connection, secret, credential or file concerned.
 *
 * <p>Not thread-safe: each read reuses the parse trees and translations of the previous one for
 * files whose text did not change (one agent thread owns an instance).
 */
public final class ConfigDirectory {

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

  /** The view being read: where the translator finds the files that connections refer to. */
  private VerifiedView view;

  /** Reused between reads: a swap rewrites every file, but few change. */
  private final SettingsParser.ParseCache parseCache = new SettingsParser.ParseCache();

  private final CachedSectionTranslator<SectionSpec> connectionTranslator;
  private final CachedSectionTranslator<SectionSpec> secretTranslator;

  /**
   * @param dir where the files lie; errors name them under it ({@code
   *     /etc/swanctl/conf.d/site-b.conf:4})
   */
  public ConfigDirectory(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    this.translator = new SwanctlTranslator(this.dir, path -> view.file(path));
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

  /** Reads the listed files of one complete revision. */
  public DesiredConfig read(VerifiedView verified) {
    this.view = verified;
    SettingsParseResult parsed =
        SettingsParser.parse(new InMemorySource(dir, verified.files()), parseCache);
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
    fileErrors.addAll(translator.checkTopLevel(parsed.tree()));

    Map<String, SectionSpec> connections = connectionTranslator.translate(parsed, connectionErrors);
    Map<String, SectionSpec> secrets = secretTranslator.translate(parsed, secretErrors);

    Map<String, CredentialSpec> credentials = new LinkedHashMap<>();
    readCredentials(credentials);

    boolean entryFailed = parsed.failedFiles().contains(dir.resolve(SettingsParser.ENTRY_FILE));
    return new DesiredConfig(
        verified.revision(),
        connections,
        secrets,
        credentials,
        connectionErrors,
        secretErrors,
        Map.of(),
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

  /** Every listed file directly inside a credential folder, in folder order, then by name. */
  private void readCredentials(Map<String, CredentialSpec> credentials) {
    CREDENTIAL_FOLDERS.forEach(
        (folder, kind) ->
            forEachFile(
                folder,
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

  private void forEachFile(String folder, FileConsumer consumer) {
    // '0' follows '/': the sub-map holds exactly the paths that start with "folder/"
    view.files()
        .subMap(folder + "/", folder + "0")
        .forEach(
            (path, content) -> {
              if (path.indexOf('/', folder.length() + 1) < 0) {
                consumer.accept(path, content);
              }
            });
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
