package dev.ipsec.operator.agent.state;

import dev.ipsec.operator.threads.DaemonThreads;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciCommands;
import dev.ipsec.operator.vici.ViciConnectionException;
import dev.ipsec.operator.vici.ViciEventListener;
import dev.ipsec.operator.vici.ViciException;
import dev.ipsec.operator.vici.ViciMessage;
import dev.ipsec.operator.vici.ViciSubscription;
import dev.ipsec.operator.vici.ViciTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link SaStateTracker} from a live charon: subscribes to the state events on their own
 * connection and polls {@code list-sas} ({@code noblock}) every {@code pollInterval}, and soon (50
 * ms) after any event, since events alone never give the full picture. {@code list-conns} is
 * re-read when charon logs a connection (re)load, to learn each connection's {@code dpd_action}.
 *
 * <p>Each poll first asks {@code stats} for charon's start time ({@code uptime.since}): when it
 * changes, charon was restarted and lost everything loaded over VICI, so the tracker is told
 * (before it sees SAs of the new daemon, which reuses unique ids) and the {@code onDaemonRestart}
 * hook runs, once per restart, on the poller thread (hand long work such as the agent's full reload
 * to another thread). While charon cannot be reached at all, the tracker shows no SAs.
 */
public final class SaStateMonitor implements AutoCloseable {

  public static final List<String> EVENTS =
      List.of("ike-updown", "child-updown", "ike-rekey", "child-rekey", "log");
  private static final Logger LOG = LoggerFactory.getLogger(SaStateMonitor.class);
  private static final long EVENT_DEBOUNCE_MILLIS = 50;

  private final ViciCommands commands;
  private final SaStateTracker tracker;
  private final Duration pollInterval;
  private final Runnable onDaemonRestart;
  private final ExecutorService poller;
  private final Object wake = new Object();
  private ViciSubscription subscription;
  private boolean pollRequested; // guarded by wake
  private boolean connsRequested = true; // guarded by wake
  private volatile boolean closed;
  private ViciCommands.DaemonStats daemonRun; // only touched by the poller thread

  public SaStateMonitor(
      ViciClient client, SaStateTracker tracker, Duration pollInterval, Runnable onDaemonRestart) {
    this.commands = new ViciCommands(client);
    this.tracker = tracker;
    this.pollInterval = pollInterval;
    this.onDaemonRestart = onDaemonRestart;
    this.poller = Executors.newSingleThreadExecutor(DaemonThreads.named("sa-state-poller"));
  }

  public SaStateMonitor start() {
    subscription = commands.client().subscribe(EVENTS, new Listener());
    poller.execute(this::pollLoop);
    return this;
  }

  /** Waits until the event subscription is registered (so no transition is missed from now on). */
  public boolean awaitSubscribed(Duration maxWait) throws InterruptedException {
    return subscription.awaitConnected(maxWait);
  }

  /** Asks for a {@code list-sas} poll as soon as possible. */
  public void pollNow() {
    synchronized (wake) {
      pollRequested = true;
      wake.notifyAll();
    }
  }

  @Override
  public void close() {
    closed = true;
    if (subscription != null) {
      subscription.close();
    }
    DaemonThreads.stop(poller, Duration.ofSeconds(5));
  }

  private final class Listener implements ViciEventListener {
    @Override
    public void onEvent(String event, ViciMessage message) {
      tracker.onEvent(event, message);
      if (event.equals("log")) {
        LogSignal signal = LogSignal.classify(message.string("msg", null));
        if (signal.kind() == LogSignal.Kind.CONNECTION_CONFIG_CHANGED) {
          synchronized (wake) {
            connsRequested = true;
            wake.notifyAll();
          }
        }
        return;
      }
      pollNow();
    }

    @Override
    public void onConnected(long generation) {
      // after a break: charon may have restarted; the next poll finds out from its start time
      synchronized (wake) {
        connsRequested = true;
      }
      pollNow();
    }

    @Override
    public void onDisconnected(ViciException cause) {
      LOG.warn("lost the event connection to charon: {}", cause.getMessage());
    }
  }

  /** Compares charon's start time with the last one seen; a change means a restart. */
  private boolean checkDaemonRun() {
    ViciCommands.DaemonStats stats = commands.stats();
    boolean restarted = daemonRun != null && !stats.sameDaemonRunAs(daemonRun);
    if (restarted) {
      LOG.info(
          "charon restarted (running since {}, before since {}): state reset",
          stats.since(),
          daemonRun.since());
      tracker.onDaemonRestart();
      if (onDaemonRestart != null) {
        onDaemonRestart.run();
      }
    }
    daemonRun = stats;
    return restarted;
  }

  private void pollLoop() {
    while (!closed) {
      boolean refreshConns;
      try {
        synchronized (wake) {
          if (!pollRequested) {
            wake.wait(pollInterval.toMillis());
          }
          pollRequested = false;
          refreshConns = connsRequested;
          connsRequested = false;
        }
        Thread.sleep(EVENT_DEBOUNCE_MILLIS); // let a burst of events settle into one poll
      } catch (InterruptedException e) {
        return;
      }
      try {
        if (checkDaemonRun()) {
          refreshConns = true;
        }
        if (refreshConns) {
          tracker.onListConns(commands.listConns(Optional.empty()));
        }
        tracker.onListSas(commands.listSas(true, Optional.empty()));
      } catch (ViciException e) {
        if (refreshConns) {
          synchronized (wake) {
            connsRequested = true;
          }
        }
        if (e instanceof ViciConnectionException && !(e instanceof ViciTimeoutException)) {
          tracker.onDaemonUnreachable(); // no charon, no SAs: do not keep showing the old ones
        }
        LOG.debug("list-sas poll failed: {}", e.getMessage());
      }
    }
  }
}
