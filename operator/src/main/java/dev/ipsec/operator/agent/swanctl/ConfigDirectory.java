package dev.ipsec.operator.agent.swanctl;

import dev.ipsec.operator.agent.volume.VerifiedView;
import dev.ipsec.operator.settings.DecodedTexts;
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
import java.util.Optional;
import java.util.Set;
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

  private final DecodedTexts texts = new DecodedTexts();

  /** The previous read, and what it gave: the base of a read of only what changed. */
  private ChangedSections.LastRead last;

  private DesiredConfig lastDesired;

  private boolean lastReadChangedOnly;

  /** How the last read differs from the one before, when it read only changed sections. */
  private DesiredChange lastChange;

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

  /** Whether the last read translated only the sections of changed files (for tests). */
  boolean lastReadChangedOnly() {
    return lastReadChangedOnly;
  }

  /**
   * How the last {@link #read} differs from the read before it, when it read only the sections of
   * changed files; empty after a read in full.
   */
  public Optional<DesiredChange> lastChange() {
    return Optional.ofNullable(lastChange);
  }

  /**
   * Reads the listed files of one complete revision: in full, or only the sections of the files
   * that changed since the previous read when the change is local to them ({@link
   * ChangedSections}); both give the same result.
   */
  public DesiredConfig read(VerifiedView verified) {
    this.view = verified;
    lastChange = null;
    if (last != null) {
      Optional<ChangedSections> changed = ChangedSections.of(dir, texts, last, verified.files());
      if (changed.isPresent()) {
        DesiredConfig base = lastDesired;
        lastDesired = withChanges(verified.revision(), changed.get());
        lastChange =
            new DesiredChange(
                base, changed.get().names("connections"), changed.get().names("secrets"));
        lastReadChangedOnly = true;
        last =
            new ChangedSections.LastRead(
                verified.files(), last.tree(), last.parsedFiles(), last.clean());
        return lastDesired;
      }
    }
    return readAll(verified);
  }

  /**
   * The previous result with the sections of the changed files translated again, every item kept in
   * the order of the previous read's merged tree (the same names, by {@link ChangedSections}).
   */
  private DesiredConfig withChanges(String revision, ChangedSections changed) {
    DesiredConfig before = lastDesired;
    if (changed.none()) {
      return new DesiredConfig(
          revision,
          before.connections(),
          before.secrets(),
          before.credentials(),
          before.connectionErrors(),
          before.secretErrors(),
          before.credentialErrors(),
          before.fileErrors(),
          before.failedFiles(),
          before.entryFileFailed());
    }
    Map<String, SectionSpec> connections = new LinkedHashMap<>();
    Map<String, String> connectionErrors = new LinkedHashMap<>();
    retranslate(
        "connections",
        changed,
        before.connections(),
        before.connectionErrors(),
        translator::connection,
        connections,
        connectionErrors);
    Map<String, SectionSpec> secrets = new LinkedHashMap<>();
    Map<String, String> secretErrors = new LinkedHashMap<>();
    retranslate(
        "secrets",
        changed,
        before.secrets(),
        before.secretErrors(),
        this::secret,
        secrets,
        secretErrors);
    return new DesiredConfig(
        revision,
        connections,
        secrets,
        before.credentials(),
        connectionErrors,
        secretErrors,
        before.credentialErrors(),
        before.fileErrors(),
        before.failedFiles(),
        before.entryFileFailed());
  }

  private void retranslate(
      String top,
      ChangedSections changed,
      Map<String, SectionSpec> itemsBefore,
      Map<String, String> errorsBefore,
      CachedSectionTranslator.SectionTranslation<SectionSpec> translation,
      Map<String, SectionSpec> items,
      Map<String, String> errors) {
    if (retranslateInPlace(
        changed.names(top),
        name -> changed.section(top, name).orElseThrow(),
        itemsBefore,
        errorsBefore,
        translation,
        items,
        errors)) {
      return;
    }
    items.clear();
    errors.clear();
    SettingsSection names = last.tree().section(top).orElseGet(SettingsSection::new);
    for (String name : names.sections().keySet()) {
      Optional<SettingsSection> now = changed.section(top, name);
      if (now.isEmpty()) {
        if (itemsBefore.containsKey(name)) {
          items.put(name, itemsBefore.get(name));
        }
        if (errorsBefore.containsKey(name)) {
          errors.put(name, errorsBefore.get(name));
        }
        continue;
      }
      try {
        SectionSpec item = translation.translate(name, now.get());
        if (item != null) {
          items.put(name, item);
        }
      } catch (ConfigItemException e) {
        errors.put(name, e.getMessage());
      }
    }
  }

  /**
   * The common case of {@link #retranslate}: every changed name stays what it was (an item, an
   * error or a section that loads nothing), so the previous maps are copied and those entries
   * replaced where they stand, in the order of the previous read, without walking every name of the
   * tree.
   *
   * @return false, with {@code items} and {@code errors} in no particular state, when a changed
   *     name moves between items and errors: only the walk in tree order places it as a full read
   *     would
   */
  private static boolean retranslateInPlace(
      Set<String> changedNames,
      Function<String, SettingsSection> changedSectionOf,
      Map<String, SectionSpec> itemsBefore,
      Map<String, String> errorsBefore,
      CachedSectionTranslator.SectionTranslation<SectionSpec> translation,
      Map<String, SectionSpec> items,
      Map<String, String> errors) {
    Map<String, SectionSpec> newItems = new HashMap<>();
    Map<String, String> newErrors = new HashMap<>();
    // the sections come from the changed files' new text, so translating them here is the same
    // work the walk would do
    for (String name : changedNames) {
      try {
        SectionSpec item = translation.translate(name, changedSectionOf.apply(name));
        if (item != null) {
          newItems.put(name, item);
        }
      } catch (ConfigItemException e) {
        newErrors.put(name, e.getMessage());
      }
      if (newItems.containsKey(name) != itemsBefore.containsKey(name)
          || newErrors.containsKey(name) != errorsBefore.containsKey(name)) {
        return false;
      }
    }
    items.putAll(itemsBefore);
    items.putAll(newItems);
    errors.putAll(errorsBefore);
    errors.putAll(newErrors);
    return true;
  }

  private DesiredConfig readAll(VerifiedView verified) {
    lastReadChangedOnly = false;
    SettingsParseResult parsed =
        SettingsParser.parse(new InMemorySource(dir, verified.files(), texts), parseCache);
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
    last =
        new ChangedSections.LastRead(
            verified.files(), parsed.tree(), parsed.parsedFiles(), parsed.errors().isEmpty());
    lastDesired =
        new DesiredConfig(
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
    return lastDesired;
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
