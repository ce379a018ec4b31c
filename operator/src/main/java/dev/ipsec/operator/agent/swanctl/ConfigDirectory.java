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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** Certificate folders and the {@code load-cert} type and flag swanctl uses for each. */
  private static final Map<String, String[]> CERT_FOLDERS =
      orderedMap(
          "x509ca", new String[] {"X509", "CA"},
          "x509aa", new String[] {"X509", "AA"},
          "x509ocsp", new String[] {"X509", "OCSP"},
          "x509", new String[] {"X509", "NONE"},
          "x509ac", new String[] {"X509_AC", "NONE"},
          "x509crl", new String[] {"X509_CRL", "NONE"});

  /** Private key folders and the {@code load-key} type. */
  private static final Map<String, String> KEY_FOLDERS =
      orderedMap("private", "any", "rsa", "rsa", "ecdsa", "ecdsa", "pkcs8", "any");

  private final Path dir;
  private final SwanctlTranslator translator;

  /** The view being read: where the translator finds the files that connections refer to. */
  private VerifiedView view;

  /** Reused between reads: a swap rewrites every file, but few change. */
  private final SettingsParser.ParseCache parseCache = new SettingsParser.ParseCache();

  private Map<String, Cached<ConnectionSpec>> connectionCache = new HashMap<>();
  private Map<String, Cached<SharedSecretSpec>> secretCache = new HashMap<>();

  /** A translated item and the texts of the files it came from. */
  private record Cached<T>(Map<Path, String> sourceTexts, T spec) {}

  @FunctionalInterface
  private interface Translation<T> {
    T translate() throws ConfigItemException;
  }

  @FunctionalInterface
  private interface SectionTranslation<T> {
    T translate(String name, SettingsSection section) throws ConfigItemException;
  }

  /**
   * @param dir where the files lie; errors name them under it ({@code
   *     /etc/swanctl/conf.d/site-b.conf:4})
   */
  public ConfigDirectory(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    this.translator = new SwanctlTranslator(this.dir, path -> view.file(path));
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

    Map<String, Cached<ConnectionSpec>> nextCache = new HashMap<>();
    // connections that read certificate or key files are always translated: those files can
    // change on their own
    Map<String, ConnectionSpec> connections =
        translateSections(
            parsed,
            "connections",
            connectionErrors,
            (name, section) ->
                cached(
                    name,
                    section,
                    parsed.contents(),
                    connectionCache,
                    nextCache,
                    !readsFiles(section),
                    () -> translator.connection(name, section)));
    connectionCache = nextCache;

    Map<String, Cached<SharedSecretSpec>> nextSecretCache = new HashMap<>();
    Map<String, SharedSecretSpec> secrets =
        translateSections(
            parsed,
            "secrets",
            secretErrors,
            (id, section) -> {
              if (SwanctlTranslator.isKeySection(id)) {
                translator.keyReference(id, section);
                return null;
              }
              return cached(
                  id,
                  section,
                  parsed.contents(),
                  secretCache,
                  nextSecretCache,
                  true,
                  () -> translator.sharedSecret(id, section));
            });
    secretCache = nextSecretCache;

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

  /**
   * Translates each subsection of the top-level section {@code top} ({@code connections}, {@code
   * secrets}) into the item of its name, recording refusals in {@code errors}; {@code translation}
   * returns null for a section that loads nothing itself.
   */
  private static <T> Map<String, T> translateSections(
      SettingsParseResult parsed,
      String top,
      Map<String, String> errors,
      SectionTranslation<T> translation) {
    Map<String, T> items = new LinkedHashMap<>();
    SettingsSection sections = parsed.tree().section(top).orElseGet(SettingsSection::new);
    for (Map.Entry<String, SettingsSection> e : sections.sections().entrySet()) {
      try {
        T item = translation.translate(e.getKey(), e.getValue());
        if (item != null) {
          items.put(e.getKey(), item);
        }
      } catch (ConfigItemException ex) {
        errors.merge(e.getKey(), ex.getMessage(), (a, b) -> a + "; " + b);
      }
    }
    // an item split over a good and a broken file is incomplete: keep charon's version
    errors.keySet().forEach(items::remove);
    return items;
  }

  /**
   * Translates an item, or reuses the previous translation when every file that defines it has the
   * same text as then (a swap rewrites every file, but few change).
   */
  private static <T> T cached(
      String name,
      SettingsSection section,
      Map<Path, String> texts,
      Map<String, Cached<T>> previous,
      Map<String, Cached<T>> next,
      boolean cacheable,
      Translation<T> translation)
      throws ConfigItemException {
    Map<Path, String> sourceTexts = new HashMap<>();
    section.sources().forEach(p -> sourceTexts.put(p, texts.get(p)));
    Cached<T> hit = previous.get(name);
    if (hit != null && hit.sourceTexts().equals(sourceTexts)) {
      next.put(name, hit);
      return hit.spec();
    }
    T spec = translation.translate();
    if (cacheable) {
      next.put(name, new Cached<>(sourceTexts, spec));
    }
    return spec;
  }

  private static boolean readsFiles(SettingsSection section) {
    return section.values().keySet().stream()
            .anyMatch(SwanctlTranslator.FILE_LIST_KEYS::containsKey)
        || section.sections().values().stream().anyMatch(ConfigDirectory::readsFiles);
  }

  /** Every listed file directly inside a credential folder, in folder order, then by name. */
  private void readCredentials(Map<String, CredentialSpec> credentials) {
    CERT_FOLDERS.forEach(
        (folder, typeAndFlag) ->
            forEachFile(
                folder,
                (name, content) -> {
                  ViciMessage request =
                      ViciMessage.empty()
                          .put("type", typeAndFlag[0])
                          .put("flag", typeAndFlag[1])
                          .put(
                              "data",
                              Pem.asText(
                                  content,
                                  typeAndFlag[0].equals("X509_CRL") ? "X509 CRL" : "CERTIFICATE"));
                  credentials.put(
                      name,
                      new CredentialSpec(name, "load-cert", request, Fingerprint.of(request)));
                }));
    KEY_FOLDERS.forEach(
        (folder, type) ->
            forEachFile(
                folder,
                (name, content) -> {
                  ViciMessage request =
                      ViciMessage.empty()
                          .put("type", type)
                          .put("data", Pem.asText(content, "PRIVATE KEY"));
                  credentials.put(
                      name, new CredentialSpec(name, "load-key", request, Fingerprint.of(request)));
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
