package dev.ipsec.operator.agent;

import dev.ipsec.operator.agent.apply.ApplyResult;
import dev.ipsec.operator.agent.apply.CharonConnections;
import dev.ipsec.operator.agent.apply.CountingViciChannel;
import dev.ipsec.operator.agent.apply.ViciChannel;
import dev.ipsec.operator.agent.wire.CharonStatus;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.agent.wire.StateSnapshot;
import dev.ipsec.operator.threads.DaemonThreads;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciCommandException;
import dev.ipsec.operator.vici.ViciCommands;
import dev.ipsec.operator.vici.ViciException;
import dev.ipsec.operator.vici.ViciMessage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loader half of the gateway agent: keeps charon loaded with the configuration directory.
 *
 * <p>One thread ("agent-loop") owns the {@link ConfigLoader}. It
 *
 * <ul>
 *   <li>probes charon with {@code stats} every {@code probeInterval}; while charon cannot be
 *       reached it retries with exponential backoff from 50 ms (forever, logging; each retry when
 *       its back-off has passed, not at the next periodic probe), and when charon answers after an
 *       outage, or its start time ({@code uptime.since}) changed, it does a full load;
 *   <li>re-reads the directory when {@link ConfigWatcher} reports a change and applies only the
 *       difference.
 * </ul>
 *
 * Loader commands go through a {@link CountingViciChannel} ({@link #loaderChannel()}); the probes
 * do not, so the channel shows exactly what was done to connections, secrets and credentials.
 */
public final class GatewayAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayAgent.class);

  private final AgentSettings settings;
  private final ViciClient client;
  private final Clock clock;
  private final CountingViciChannel loaderChannel;
  private final ConfigLoader loader;
  private final StateRevision revision;
  private final ScheduledExecutorService loop;
  private final AtomicBoolean reloadQueued = new AtomicBoolean();
  private final List<Consumer<ApplyResult>> applyListeners = new CopyOnWriteArrayList<>();
  private ConfigWatcher watcher;
  private InitiatorKeeper initiatorKeeper;
  private Map<String, List<String>> initiating = Map.of();
  private ScheduledFuture<?> recheck;
  private ScheduledFuture<?> initiatorCheck;
  private ScheduledFuture<?> retryProbe;

  /** The first wait after charon did not answer; it doubles with each failure up to maxBackoff. */
  static final long FIRST_RETRY_MILLIS = 50;

  // owned by the loop thread, published through volatile fields for readers
  private volatile boolean needsFullLoad = true;
  private volatile boolean reachable;
  private volatile Instant lastContact;
  private volatile String version;
  private volatile Map<String, SortedSet<String>> algorithms = Map.of();
  private volatile String charonSince;
  private volatile long restarts;
  private volatile LoaderStatus loaderStatus;
  private volatile Map<String, Instant> certificatesNotAfter = Map.of();
  private volatile String lastReadError;
  private volatile Error stoppedBy;
  private int failedProbes;
  private Instant nextProbe = Instant.MIN;
  private long generationLoaded = -1;

  /** The VICI connection on which the last restart was counted. */
  private long restartCountedFor = -1;

  public GatewayAgent(
      AgentSettings settings, ViciClient client, StateRevision revision, Clock clock) {
    this.settings = settings;
    this.client = client;
    this.clock = clock;
    this.revision = revision;
    this.loaderChannel = new CountingViciChannel(ViciChannel.over(client));
    this.loader =
        new ConfigLoader(settings.configDir(), loaderChannel, clock, settings.settleTime());
    this.loaderStatus = loader.status();
    this.loop = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("agent-loop"));
  }

  /**
   * Re-initiates connections with {@code start_action = start} that charon gave up on (see {@link
   * InitiatorKeeper}), judged by {@code state}, on every probe. Call before {@link #start()}.
   */
  public GatewayAgent keepInitiatorsTrying(Supplier<StateSnapshot> state) {
    this.initiatorKeeper =
        new InitiatorKeeper(
            client, state, clock, InitiatorKeeper.FIRST_RETRY, InitiatorKeeper.MAX_RETRY);
    return this;
  }

  /** Starts probing, loading and watching. */
  public GatewayAgent start() throws IOException {
    loop.scheduleWithFixedDelay(
        guarded(this::probe), 0, settings.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
    watcher =
        new ConfigWatcher(
                settings.configDir(),
                settings.debounce(),
                settings.rescanInterval(),
                this::requestReload)
            .start();
    return this;
  }

  /** Asks the loop to re-read the directory; requests made while one is queued are merged. */
  public void requestReload() {
    if (reloadQueued.compareAndSet(false, true)) {
      loop.execute(
          guarded(
              () -> {
                reloadQueued.set(false);
                reload();
              }));
    }
  }

  /**
   * Asks for a full load soon (e.g. the event connection saw charon come back). Only hands the work
   * to the loop thread, so it may be called from any thread.
   */
  public void requestFullLoad() {
    needsFullLoad = true;
    loop.execute(
        guarded(
            () -> {
              nextProbe = Instant.MIN;
              probe();
            }));
  }

  /**
   * Whether the loop still runs (for liveness): not closed, and no Error escaped a task on it. An
   * Error (out of memory, a bug past every catch) ends the periodic probe for good, silently, while
   * the executor itself stays up; the agent is then restarted rather than left serving a state that
   * nothing updates any more.
   */
  public boolean isRunning() {
    return !loop.isShutdown() && stoppedBy == null;
  }

  /** {@code task} on the loop, with an Error that escapes it recorded and logged, then rethrown. */
  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Error e) {
        stoppedBy = e;
        LOG.error("agent loop stopped: {}", e.toString(), e);
        throw e;
      }
    };
  }

  /**
   * Called on the loop thread after every apply (most change nothing: see {@link
   * ApplyResult#actions()}).
   */
  public void onApply(Consumer<ApplyResult> listener) {
    applyListeners.add(listener);
  }

  public CountingViciChannel loaderChannel() {
    return loaderChannel;
  }

  public LoaderStatus loaderStatus() {
    return loaderStatus;
  }

  /** When each certificate loaded into charon expires, by its file in the volume. */
  public Map<String, Instant> certificatesNotAfter() {
    return certificatesNotAfter;
  }

  public CharonStatus charonStatus() {
    return new CharonStatus(
        reachable,
        lastContact,
        version,
        charonSince,
        restarts,
        !needsFullLoad && reachable,
        algorithms);
  }

  /** A directory-level read error (e.g. the directory is missing), or null. */
  public String lastReadError() {
    return lastReadError;
  }

  private void probe() {
    Instant now = clock.instant();
    if (now.isBefore(nextProbe)) {
      return;
    }
    try {
      ViciMessage stats = client.call("stats", ViciMessage.empty());
      String since = stats.section("uptime").flatMap(u -> u.string("since")).orElse("");
      boolean firstContact = charonSince == null;
      boolean restarted = false;
      if (!sameStart(since, charonSince)) {
        restarted = !firstContact;
        charonSince = since;
        version = client.call("version", ViciMessage.empty()).string("version", "unknown");
        // a charon from another image may offer other algorithms: read them again on every start
        algorithms = Collections.unmodifiableMap(new ViciCommands(client).getAlgorithms());
        needsFullLoad = true;
      }
      if (client.connectionGeneration() != generationLoaded && generationLoaded >= 0) {
        needsFullLoad = true; // the connection broke and came back: charon may have lost our config
        // A restart within the start-time jitter is only visible as a daemon that lost everything;
        // once per connection: when the full load after a counted restart fails and is retried,
        // charon still has nothing loaded, and that is the same restart
        if (!restarted && restartCountedFor != client.connectionGeneration()) {
          restarted = lostLoadedConnections();
        }
      }
      if (restarted) {
        restarts++;
        restartCountedFor = client.connectionGeneration();
        LOG.info("charon restarted (running since {}): loading everything again", since);
      }
      markReachable(now);
      if (needsFullLoad) {
        load(true);
      }
      checkInitiators();
    } catch (ViciException e) {
      markUnreachable(e);
    } catch (RuntimeException e) {
      LOG.error("agent loop: unexpected failure", e);
    }
  }

  /**
   * Lets the {@link InitiatorKeeper} retry what charon gave up on, and calls it again when its next
   * retry is due rather than at the next probe: its first retry comes sooner than a probe interval.
   */
  private void checkInitiators() {
    if (initiatorKeeper == null || needsFullLoad) {
      return;
    }
    if (initiatorCheck != null) {
      initiatorCheck.cancel(false);
      initiatorCheck = null;
    }
    initiatorKeeper
        .check(initiating)
        .ifPresent(
            due ->
                initiatorCheck =
                    loop.schedule(
                        guarded(this::checkInitiatorsNow),
                        Math.max(0, Duration.between(clock.instant(), due).toMillis()) + 5,
                        TimeUnit.MILLISECONDS));
  }

  private void checkInitiatorsNow() {
    try {
      checkInitiators();
    } catch (ViciException e) {
      markUnreachable(e);
    } catch (RuntimeException e) {
      LOG.error("agent loop: unexpected failure", e);
    }
  }

  /** Whether charon no longer has any of the connections this agent had loaded into it. */
  private boolean lostLoadedConnections() {
    if (loaderStatus().connectionsLoaded() == 0) {
      return false;
    }
    // streamed like the full load's read: get-conns would not be answered past 512 KiB
    return CharonConnections.read(ViciChannel.over(client)).isEmpty();
  }

  private static final DateTimeFormatter SINCE =
      DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.ENGLISH);

  /**
   * Whether two {@code uptime.since} values name the same daemon start. charon computes the value
   * from its monotonic uptime on every call, so it jitters by a second; a restart within that
   * window still breaks the VICI connection, which is caught separately.
   */
  static boolean sameStart(String a, String b) {
    if (a == null || b == null) {
      return a == b;
    }
    try {
      LocalDateTime ta = LocalDateTime.parse(a.replaceAll("\\s+", " "), SINCE);
      LocalDateTime tb = LocalDateTime.parse(b.replaceAll("\\s+", " "), SINCE);
      return Math.abs(Duration.between(ta, tb).toSeconds()) <= 2;
    } catch (DateTimeParseException e) {
      return a.equals(b);
    }
  }

  private void reload() {
    if (needsFullLoad || !reachable) {
      nextProbe = Instant.MIN;
      probe();
      return;
    }
    try {
      load(false);
    } catch (ViciException e) {
      markUnreachable(e);
    } catch (RuntimeException e) {
      LOG.error("agent loop: unexpected failure", e);
    }
  }

  private void load(boolean full) {
    ConfigLoader.Pass pass;
    long generation = client.connectionGeneration();
    long started = System.nanoTime();
    try {
      pass = loader.load(full);
      lastReadError = null;
    } catch (IOException e) {
      lastReadError =
          "cannot read "
              + settings.configDir()
              + ": "
              + e.getClass().getSimpleName()
              + " "
              + e.getMessage();
      LOG.warn(lastReadError);
      publishStatus();
      return;
    }
    recheckAt(pass.recheckAt());
    ApplyResult result = pass.applied();
    if (result == null) {
      // the volume holds no complete revision, and charon keeps what it has
      publishStatus();
      return;
    }
    if (!result.actions().isEmpty()) {
      LOG.debug(
          "read and applied {} change(s) from {} in {} ms",
          result.actions().size(),
          settings.configDir(),
          (System.nanoTime() - started) / 1_000_000);
    }
    if (full) {
      needsFullLoad = false;
      generationLoaded = generation;
    }
    LoaderStatus status = publishStatus();
    applyListeners.forEach(l -> l.accept(result));
    // for the probes that follow; nothing here reaches charon, so it waits until the apply is told
    initiating = InitiatorKeeper.initiatingChildren(pass.desired(), status);
    // a connection loaded just now is looked at by its first retry, not the next probe
    checkInitiators();
    if (pass.unchecked()) {
      requestReload(); // the rest of the volume is checked right after charon has the change
    }
  }

  /**
   * Looks at the volume again at {@code at}: what is not reported yet (an incomplete view, an
   * unlisted file) may have lasted past the settle time by then, without any event to tell.
   */
  private void recheckAt(Optional<Instant> at) {
    if (recheck != null) {
      recheck.cancel(false);
      recheck = null;
    }
    at.ifPresent(
        when ->
            recheck =
                loop.schedule(
                    this::requestReload,
                    Math.max(0, Duration.between(clock.instant(), when).toMillis()) + 5,
                    TimeUnit.MILLISECONDS));
  }

  /** Publishes the loader's status (once per pass: it lists every connection) and returns it. */
  private LoaderStatus publishStatus() {
    certificatesNotAfter = loader.loadedCertificatesNotAfter();
    LoaderStatus status = loader.status();
    LoaderStatus previous = loaderStatus;
    loaderStatus = status;
    if (!sameExceptTime(previous, status)) {
      revision.bump();
    }
    return status;
  }

  private static boolean sameExceptTime(LoaderStatus a, LoaderStatus b) {
    // before the first load too: a volume that stays incomplete must not bump on every probe
    return Objects.equals(a.configRevision(), b.configRevision())
        && a.connections().equals(b.connections())
        && a.secretsLoaded().equals(b.secretsLoaded())
        && a.secretErrors().equals(b.secretErrors())
        && a.credentialErrors().equals(b.credentialErrors())
        && a.fileErrors().equals(b.fileErrors())
        && a.failedFiles().equals(b.failedFiles())
        && Objects.equals(a.pending(), b.pending())
        && a.ignoredFiles().equals(b.ignoredFiles());
  }

  private void markReachable(Instant now) {
    lastContact = now;
    failedProbes = 0;
    if (!reachable) {
      reachable = true;
      LOG.info("charon {} reachable over VICI", version);
      revision.bump();
    }
  }

  private void markUnreachable(ViciException e) {
    if (e instanceof ViciCommandException) {
      LOG.warn("charon refused a probe: {}", e.getMessage());
      return;
    }
    needsFullLoad = true;
    failedProbes++;
    long backoffMillis =
        Math.min(
            settings.maxBackoff().toMillis(), FIRST_RETRY_MILLIS << Math.min(failedProbes - 1, 16));
    nextProbe = clock.instant().plusMillis(backoffMillis);
    retryProbeIn(backoffMillis);
    if (reachable || failedProbes == 1 || failedProbes % 10 == 0) {
      LOG.warn(
          "charon not reachable over VICI (attempt {}): {}; retrying in {} ms",
          failedProbes,
          e.getMessage(),
          backoffMillis);
    }
    if (reachable) {
      reachable = false;
      revision.bump();
    }
  }

  /**
   * Probes again when the back-off has passed rather than at the next periodic probe: charon that
   * is not up yet when a new pod's agent first asks (their containers start together) is reached
   * within 50 ms of its socket, not a probe interval (2 s) later.
   */
  private void retryProbeIn(long millis) {
    if (retryProbe != null) {
      retryProbe.cancel(false);
    }
    if (loop.isShutdown()) {
      return; // closing: a probe that failed on the way out asks for nothing more
    }
    retryProbe = loop.schedule(guarded(this::probe), millis, TimeUnit.MILLISECONDS);
  }

  /** Waits until the agent has applied the configuration once, or {@code timeout} passes. */
  public boolean awaitApplied(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (charonStatus().configApplied()) {
        return true;
      }
      Thread.sleep(20);
    }
    return charonStatus().configApplied();
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    DaemonThreads.stop(loop, Duration.ofSeconds(5));
  }
}
