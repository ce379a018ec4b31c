package dev.ipsec.operator.agent.apply;

import dev.ipsec.operator.agent.swanctl.CredentialSpec;
import dev.ipsec.operator.agent.swanctl.DesiredChange;
import dev.ipsec.operator.agent.swanctl.DesiredConfig;
import dev.ipsec.operator.agent.swanctl.SectionSpec;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.vici.ViciCommandException;
import dev.ipsec.operator.vici.ViciMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings charon to a {@link DesiredConfig} with as few VICI commands as possible, the way {@code
 * swanctl --load-all} would but only for what changed.
 *
 * <ul>
 *   <li>Connections, shared secrets and credentials are compared by fingerprint against what this
 *       applier loaded before; an unchanged item gets no command at all.
 *   <li>A removed connection gets {@code unload-conn} and {@code terminate ike=<name>}: unload
 *       alone leaves the SAs of children without {@code start} action up.
 *   <li>VICI 5.9 cannot unload a single certificate or key, so a removed or changed one means
 *       {@code clear-creds} and a reload of all credentials and shared secrets (which {@code
 *       clear-creds} also drops); connections are not touched.
 *   <li>A full load (start, charon restart) forgets what was loaded and reconciles with charon's
 *       own view, unloading what the files no longer define: connections as {@code list-conns}
 *       streams them ({@link CharonConnections}); shared secrets need no read, since the full
 *       load's {@code clear-creds} drops them all. Nothing it reads from charon comes in one
 *       message that grows with the peers, so no read meets VICI's 512 KiB limit.
 *   <li>An item that failed to read or load keeps charon's last good version; a failed command is
 *       not repeated until the item's content changes or the next full load.
 *   <li>A read that differs from the one applied last only in a few items ({@link DesiredChange})
 *       is applied by looking at those items alone, and the status is updated for them alone: every
 *       other item was brought to what it asks by the apply before, and asks the same. So a
 *       one-peer change among thousands costs what that peer costs.
 * </ul>
 *
 * Not thread-safe: one agent thread owns it. A {@link dev.ipsec.operator.vici.ViciException} other
 * than a command refusal aborts the apply; the caller then does a full load once charon is back.
 */
public final class ConfigApplier {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigApplier.class);

  /**
   * Where connections and shared secrets differ for this applier, down to which of its maps hold
   * what it loaded of the kind and the refusals.
   */
  private record SectionKind(
      String keyPrefix,
      String loadCommand,
      String unloadCommand,
      Function<DesiredConfig, Map<String, SectionSpec>> wanted,
      Function<DesiredConfig, Map<String, String>> unreadable,
      BiConsumer<ViciChannel, String> unload,
      Function<ConfigApplier, Map<String, SectionSpec>> loaded,
      Function<ConfigApplier, Map<String, String>> errors) {}

  private static final SectionKind CONNECTIONS =
      new SectionKind(
          "conn:",
          "load-conn",
          "unload-conn",
          DesiredConfig::connections,
          DesiredConfig::connectionErrors,
          ConfigApplier::unloadConnection,
          applier -> applier.loadedConnections,
          applier -> applier.connectionErrors);

  private static final SectionKind SECRETS =
      new SectionKind(
          "secret:",
          "load-shared",
          "unload-shared",
          DesiredConfig::secrets,
          DesiredConfig::secretErrors,
          ConfigApplier::unloadSecret,
          applier -> applier.loadedSecrets,
          applier -> applier.secretErrors);

  private final ViciChannel vici;
  private final Clock clock;

  private final Map<String, SectionSpec> loadedConnections = new LinkedHashMap<>();

  /** By id, sorted: the status lists them so. */
  private final Map<String, SectionSpec> loadedSecrets = new TreeMap<>();

  private final Map<String, CredentialSpec> loadedCredentials = new LinkedHashMap<>();

  /**
   * When each loaded certificate expires: parsed once as it is loaded, not on every pass, since a
   * one-peer change must not re-read every certificate of the gateway.
   */
  private final Map<String, Instant> loadedCertificatesNotAfter = new TreeMap<>();

  /**
   * Fingerprint of the last failed attempt per item, so a refused item is not resent every scan.
   */
  private final Map<String, String> failedAttempts = new HashMap<>();

  private final Map<String, String> connectionErrors = new TreeMap<>();
  private final Map<String, String> secretErrors = new TreeMap<>();
  private final Map<String, String> credentialErrors = new TreeMap<>();

  private DesiredConfig lastDesired;
  private Instant lastApplied;

  /**
   * The read that the last apply brought charon to completely; null while none did (before the
   * first, or when one was cut short by an exception). Only a change of it may be applied by its
   * changed items alone.
   */
  private DesiredConfig settled;

  /** Each connection's entry of the status, kept between passes; rebuilt when {@code null}. */
  private TreeMap<String, LoaderStatus.Connection> connectionStatus;

  /** Connections whose status entry may be out of date since the last {@link #status()}. */
  private final Set<String> connectionStatusTouched = new HashSet<>();

  public ConfigApplier(ViciChannel vici, Clock clock) {
    this.vici = vici;
    this.clock = clock;
  }

  public ApplyResult apply(DesiredConfig desired, boolean full) {
    return apply(desired, full, Optional.empty());
  }

  /**
   * Brings charon to {@code desired}. When {@code change} says how it differs from the read this
   * applier brought charon to last (by identity), and this is no full load, only the items it names
   * are looked at: the others were made what they ask by that apply, and ask the same now.
   */
  public ApplyResult apply(DesiredConfig desired, boolean full, Optional<DesiredChange> change) {
    DesiredConfig base = settled;
    settled = null; // an apply cut short is no base for one of changed items
    Optional<DesiredChange> scope = change.filter(c -> !full && base != null && c.base() == base);
    if (scope.isEmpty()) {
      return applyAll(desired, full);
    }
    ApplyResult result = applyChanged(desired, scope.get());
    settled = desired;
    return result;
  }

  /**
   * The apply of a read that differs from the last one in {@code change}'s items alone: the same
   * steps as {@link #applyAll}, in the same order, for those items. The credentials, the file
   * errors and the failed files are the last read's, so nothing is done for them.
   */
  private ApplyResult applyChanged(DesiredConfig desired, DesiredChange change) {
    List<String> actions = new ArrayList<>();
    int failuresBefore = failureCount();
    lastDesired = desired;
    for (String id : change.secrets()) {
      applySecret(desired, id, actions);
    }
    for (String name : change.connections()) {
      SectionSpec spec = desired.connections().get(name);
      if (spec != null) {
        applyConnection(spec, actions);
      }
      String error = desired.connectionErrors().get(name);
      if (error != null) {
        connectionErrors.put(name, error);
      }
    }
    for (String name : change.connections()) {
      if (loadedConnections.containsKey(name)) {
        removeIfUndefined(CONNECTIONS, desired, name, actions);
      }
      keepErrorIfKnown(
          connectionErrors,
          name,
          desired.connections(),
          desired.connectionErrors(),
          loadedConnections);
    }
    for (String id : change.secrets()) {
      if (loadedSecrets.containsKey(id)) {
        removeIfUndefined(SECRETS, desired, id, actions);
      }
      keepErrorIfKnown(secretErrors, id, desired.secrets(), desired.secretErrors(), loadedSecrets);
    }
    connectionStatusTouched.addAll(change.connections());
    return finish(desired, false, actions, failuresBefore);
  }

  private ApplyResult applyAll(DesiredConfig desired, boolean full) {
    connectionStatus = null; // every entry may change
    List<String> actions = new ArrayList<>();
    int failuresBefore = failureCount();
    Set<String> charonConnections = Set.of();
    Map<String, SectionSpec> previousConnections = Map.of();
    Map<String, SectionSpec> previousSecrets = Map.of();
    if (full) {
      // charon may have lost everything: forget what was loaded, but keep the last good versions
      // of items whose files are broken now, to load them again below
      previousConnections = new LinkedHashMap<>(loadedConnections);
      previousSecrets = new LinkedHashMap<>(loadedSecrets);
      loadedConnections.clear();
      loadedSecrets.clear();
      loadedCredentials.clear();
      loadedCertificatesNotAfter.clear();
      failedAttempts.clear();
      // streamed, one small event per connection: get-conns answers in one message, which
      // charon discards past 512 KiB. Shared secrets are not read at all: the full load's
      // clear-creds drops every one of them, so none can be left to unload
      charonConnections = CharonConnections.read(vici);
    }
    lastDesired = desired;

    applyCredentials(desired, full, actions);
    applySecrets(desired, actions);
    previousSecrets.values().stream()
        .filter(s -> !loadedSecrets.containsKey(s.name()))
        .filter(
            s -> desired.secretErrors().containsKey(s.name()) || desired.keepsStale(s.sources()))
        .forEach(s -> loadSecret(s, actions));
    applyConnections(desired, actions);
    for (SectionSpec previous : previousConnections.values()) {
      boolean broken =
          desired.connectionErrors().containsKey(previous.name())
              || connectionErrors.containsKey(previous.name())
              || (!desired.connections().containsKey(previous.name())
                  && desired.keepsStale(previous.sources()));
      if (broken && !loadedConnections.containsKey(previous.name())) {
        restoreConnection(previous, actions);
      }
    }
    removeUndefined(CONNECTIONS, desired, charonConnections, actions);
    removeUndefined(SECRETS, desired, Set.of(), actions);

    keepErrorsOfKnownItems(
        connectionErrors, desired.connections(), desired.connectionErrors(), loadedConnections);
    keepErrorsOfKnownItems(secretErrors, desired.secrets(), desired.secretErrors(), loadedSecrets);
    keepErrorsOfKnownItems(
        credentialErrors, desired.credentials(), desired.credentialErrors(), Map.of());
    ApplyResult result = finish(desired, full, actions, failuresBefore);
    settled = desired;
    return result;
  }

  private ApplyResult finish(
      DesiredConfig desired, boolean full, List<String> actions, int failuresBefore) {
    lastApplied = clock.instant();
    if (!actions.isEmpty() || full) {
      LOG.info(
          "applied config revision {} ({}): {} change(s) {}",
          desired.revision(),
          full ? "full load" : "incremental",
          actions.size(),
          actions.size() > 20 ? actions.subList(0, 20) + "..." : actions);
    }
    return new ApplyResult(full, actions, Math.max(0, failureCount() - failuresBefore));
  }

  private void applyCredentials(DesiredConfig desired, boolean full, List<String> actions) {
    boolean removedOrChanged =
        loadedCredentials.values().stream()
            .anyMatch(
                loaded -> {
                  CredentialSpec wanted = desired.credentials().get(loaded.file());
                  boolean unreadable = desired.credentialErrors().containsKey(loaded.file());
                  return wanted == null
                      ? !unreadable
                      : !wanted.fingerprint().equals(loaded.fingerprint());
                });
    if (full || removedOrChanged) {
      call("clear-creds", ViciMessage.empty());
      actions.add("clear-creds");
      // clear-creds dropped every credential and shared secret: reload the ones kept from before
      Map<String, CredentialSpec> keep = new LinkedHashMap<>();
      loadedCredentials.forEach(
          (file, spec) -> {
            if (!desired.credentials().containsKey(file)
                && desired.credentialErrors().containsKey(file)) {
              keep.put(file, spec);
            }
          });
      loadedCredentials.clear();
      loadedCertificatesNotAfter.clear();
      keep.values().forEach(spec -> loadCredential(spec, actions));
      List<SectionSpec> secrets = List.copyOf(loadedSecrets.values());
      loadedSecrets.clear();
      secrets.stream()
          .filter(s -> !desired.secrets().containsKey(s.name()))
          .filter(
              s -> desired.secretErrors().containsKey(s.name()) || desired.keepsStale(s.sources()))
          .forEach(s -> loadSecret(s, actions));
      failedAttempts
          .keySet()
          .removeIf(k -> k.startsWith("cred:") || k.startsWith(SECRETS.keyPrefix()));
    }
    loadChanged(
        desired.credentials(),
        loadedCredentials,
        CredentialSpec::fingerprint,
        "cred:",
        credentialErrors,
        spec -> loadCredential(spec, actions));
    desired.credentialErrors().forEach(credentialErrors::put);
  }

  private void loadCredential(CredentialSpec spec, List<String> actions) {
    String key = "cred:" + spec.file();
    if (attempt(
        spec.command(), spec.request(), key, spec.fingerprint(), credentialErrors, spec.file())) {
      loadedCredentials.put(spec.file(), spec);
      spec.certificateNotAfter().ifPresent(at -> loadedCertificatesNotAfter.put(spec.file(), at));
      actions.add(spec.command() + " " + spec.file());
    }
  }

  private void applySecrets(DesiredConfig desired, List<String> actions) {
    loadChanged(
        desired.secrets(),
        loadedSecrets,
        SectionSpec::fingerprint,
        SECRETS.keyPrefix(),
        secretErrors,
        spec -> loadSecret(spec, actions));
    desired.secretErrors().forEach(secretErrors::put);
  }

  /** {@link #applySecrets} for one id. */
  private void applySecret(DesiredConfig desired, String id, List<String> actions) {
    SectionSpec spec = desired.secrets().get(id);
    if (spec != null) {
      loadChanged(
          Map.of(id, spec),
          loadedSecrets,
          SectionSpec::fingerprint,
          SECRETS.keyPrefix(),
          secretErrors,
          s -> loadSecret(s, actions));
    }
    String error = desired.secretErrors().get(id);
    if (error != null) {
      secretErrors.put(id, error);
    }
  }

  /**
   * Loads each wanted item (by its name) whose fingerprint differs from the loaded one, unless that
   * very version was refused before; an item already loaded as wanted has no error left.
   */
  private <S> void loadChanged(
      Map<String, S> wanted,
      Map<String, S> loaded,
      Function<S, String> fingerprint,
      String keyPrefix,
      Map<String, String> errors,
      Consumer<S> load) {
    wanted.forEach(
        (name, spec) -> {
          S current = loaded.get(name);
          if (current != null && fingerprint.apply(current).equals(fingerprint.apply(spec))) {
            errors.remove(name);
          } else if (shouldTry(keyPrefix + name, fingerprint.apply(spec))) {
            load.accept(spec);
          }
        });
  }

  private void loadSecret(SectionSpec spec, List<String> actions) {
    load(SECRETS, spec, actions);
  }

  /** Sends the load command of a connection or shared secret; a refusal is recorded against it. */
  private void load(SectionKind kind, SectionSpec spec, List<String> actions) {
    if (attempt(
        kind.loadCommand(),
        spec.request(),
        kind.keyPrefix() + spec.name(),
        spec.fingerprint(),
        kind.errors().apply(this),
        spec.name())) {
      kind.loaded().apply(this).put(spec.name(), spec);
      actions.add(kind.loadCommand() + " " + spec.name());
    }
  }

  private void applyConnections(DesiredConfig desired, List<String> actions) {
    for (SectionSpec spec : desired.connections().values()) {
      applyConnection(spec, actions);
    }
    desired.connectionErrors().forEach(connectionErrors::put);
  }

  private void applyConnection(SectionSpec spec, List<String> actions) {
    SectionSpec loaded = loadedConnections.get(spec.name());
    if (loaded != null && loaded.fingerprint().equals(spec.fingerprint())) {
      loadedConnections.put(spec.name(), spec); // same content; sources may have moved
      connectionErrors.remove(spec.name()); // e.g. a broken file was restored
      return;
    }
    if (shouldTry(CONNECTIONS.keyPrefix() + spec.name(), spec.fingerprint())) {
      load(CONNECTIONS, spec, actions);
    }
  }

  /** Loads the last good version of a connection whose current file is broken. */
  private void restoreConnection(SectionSpec previous, List<String> actions) {
    try {
      call("load-conn", previous.request());
      loadedConnections.put(previous.name(), previous);
      actions.add("load-conn " + previous.name() + " (last good version)");
    } catch (ViciCommandException e) {
      LOG.warn(
          "load-conn {} (last good version) failed: {}",
          previous.name(),
          e.errmsg().orElse(e.getMessage()));
    }
  }

  /**
   * Unloads each item of a kind that this applier loaded, or that charon has (after a full load),
   * and that the files no longer define, unless its file did not parse: then charon keeps it.
   */
  private void removeUndefined(
      SectionKind kind, DesiredConfig desired, Set<String> inCharon, List<String> actions) {
    Map<String, SectionSpec> loaded = kind.loaded().apply(this);
    for (String name : union(loaded.keySet(), inCharon, Set.of())) {
      removeIfUndefined(kind, desired, name, actions);
    }
  }

  /** {@link #removeUndefined} for one item. */
  private void removeIfUndefined(
      SectionKind kind, DesiredConfig desired, String name, List<String> actions) {
    if (kind.wanted().apply(desired).containsKey(name)
        || kind.unreadable().apply(desired).containsKey(name)) {
      return;
    }
    Map<String, SectionSpec> loaded = kind.loaded().apply(this);
    SectionSpec spec = loaded.get(name);
    if (desired.entryFileFailed() || (spec != null && desired.keepsStale(spec.sources()))) {
      return; // its file did not parse: keep what charon has
    }
    kind.unload().accept(vici, name);
    loaded.remove(name);
    failedAttempts.remove(kind.keyPrefix() + name);
    actions.add(kind.unloadCommand() + " " + name);
  }

  private static void unloadConnection(ViciChannel vici, String name) {
    try {
      vici.call("unload-conn", ViciMessage.empty().put("name", name));
    } catch (ViciCommandException e) {
      LOG.warn("unload-conn {}: {}", name, e.getMessage());
    }
    try {
      vici.call(
          "terminate",
          ViciMessage.empty().put("ike", name).put("force", "yes").put("timeout", "2000"));
    } catch (ViciCommandException e) {
      LOG.debug("terminate ike={}: {}", name, e.getMessage()); // usually: no SAs to terminate
    }
  }

  private static void unloadSecret(ViciChannel vici, String id) {
    try {
      vici.call("unload-shared", ViciMessage.empty().put("id", id));
    } catch (ViciCommandException e) {
      LOG.warn("unload-shared {}: {}", id, e.getMessage());
    }
  }

  /** An error is kept while its item is wanted, unreadable or loaded; else it is forgotten. */
  private static void keepErrorsOfKnownItems(
      Map<String, String> errors,
      Map<String, ?> wanted,
      Map<String, String> unreadable,
      Map<String, ?> loaded) {
    errors.keySet().retainAll(union(wanted.keySet(), unreadable.keySet(), loaded.keySet()));
  }

  /** {@link #keepErrorsOfKnownItems} for one item. */
  private static void keepErrorIfKnown(
      Map<String, String> errors,
      String name,
      Map<String, ?> wanted,
      Map<String, String> unreadable,
      Map<String, ?> loaded) {
    if (!wanted.containsKey(name) && !unreadable.containsKey(name) && !loaded.containsKey(name)) {
      errors.remove(name);
    }
  }

  private boolean shouldTry(String key, String fingerprint) {
    return !fingerprint.equals(failedAttempts.get(key));
  }

  /** Sends one load command; a refusal is recorded against the item and does not stop the rest. */
  private boolean attempt(
      String command,
      ViciMessage request,
      String key,
      String fingerprint,
      Map<String, String> errors,
      String item) {
    try {
      call(command, request);
      failedAttempts.remove(key);
      errors.remove(item);
      return true;
    } catch (ViciCommandException e) {
      String reason = e.errmsg().orElse(e.getMessage());
      LOG.warn("{} {} failed: {}", command, item, reason);
      failedAttempts.put(key, fingerprint);
      errors.put(item, command + " failed: " + reason);
      return false;
    }
  }

  /** Calls a command and turns {@code success = no} into a {@link ViciCommandException}. */
  private ViciMessage call(String command, ViciMessage request) {
    ViciMessage response = vici.call(command, request);
    if (response.string("success").filter("no"::equals).isPresent()) {
      throw new ViciCommandException(command, response.string("errmsg", "no error message"));
    }
    return response;
  }

  private LoaderStatus.Connection connectionStatus(String name) {
    SectionSpec loaded = loadedConnections.get(name);
    SectionSpec wanted = lastDesired == null ? null : lastDesired.connections().get(name);
    return new LoaderStatus.Connection(
        name,
        loaded != null,
        loaded == null ? null : loaded.fingerprint(),
        loaded != null && wanted != null && loaded.fingerprint().equals(wanted.fingerprint()),
        connectionErrors.get(name));
  }

  private int failureCount() {
    return connectionErrors.size() + secretErrors.size() + credentialErrors.size();
  }

  private static Set<String> union(Set<String> a, Set<String> b, Set<String> c) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    all.addAll(c);
    return all;
  }

  /** When each loaded certificate expires, by its file in the volume (for the agent's metrics). */
  public Map<String, Instant> loadedCertificatesNotAfter() {
    return Map.copyOf(loadedCertificatesNotAfter);
  }

  /**
   * What is loaded and what failed, for the state API; no secret values. Every known connection has
   * an entry; after an apply of changed items alone only their entries are made again.
   */
  public LoaderStatus status() {
    if (connectionStatus == null) {
      connectionStatus = new TreeMap<>();
      Set<String> names = new TreeSet<>(loadedConnections.keySet());
      names.addAll(connectionErrors.keySet());
      if (lastDesired != null) {
        names.addAll(lastDesired.connections().keySet());
      }
      names.forEach(name -> connectionStatus.put(name, connectionStatus(name)));
    } else {
      for (String name : connectionStatusTouched) {
        boolean known =
            loadedConnections.containsKey(name)
                || connectionErrors.containsKey(name)
                || (lastDesired != null && lastDesired.connections().containsKey(name));
        if (known) {
          connectionStatus.put(name, connectionStatus(name));
        } else {
          connectionStatus.remove(name);
        }
      }
    }
    connectionStatusTouched.clear();
    List<String> failedFiles =
        lastDesired == null
            ? List.of()
            : lastDesired.failedFiles().stream().map(Path::toString).sorted().toList();
    return new LoaderStatus(
        lastDesired == null ? null : lastDesired.revision(),
        lastApplied,
        loadedConnections.size(),
        List.copyOf(connectionStatus.values()),
        List.copyOf(loadedSecrets.keySet()),
        Map.copyOf(secretErrors),
        Map.copyOf(credentialErrors),
        lastDesired == null ? List.of() : lastDesired.fileErrors(),
        failedFiles,
        null,
        List.of());
  }
}
