package dev.ipsec.operator.agent.state;

import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciCommands;
import dev.ipsec.operator.vici.ViciEventListener;
import dev.ipsec.operator.vici.ViciException;
import dev.ipsec.operator.vici.ViciMessage;
import dev.ipsec.operator.vici.ViciSubscription;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link SaStateTracker} from a live charon: subscribes to the state events on their own
 * connection and polls {@code list-sas} ({@code noblock}) every {@code pollInterval}, and soon
 * (50 ms) after any event, since events alone never give the full picture. {@code list-conns} is
 * re-read when charon logs a connection (re)load, to learn each connection's {@code dpd_action}.
 * When the event connection comes back after a break, charon has restarted: the tracker is told
 * and the {@code onDaemonRestart} hook (the agent's full reload) runs. The hook is called on the
 * event thread: it must only hand the work to another thread.
 */
public final class SaStateMonitor implements AutoCloseable {

  public static final List<String> EVENTS = List.of("ike-updown", "child-updown", "ike-rekey", "child-rekey", "log");
  private static final Logger LOG = LoggerFactory.getLogger(SaStateMonitor.class);
  private static final long EVENT_DEBOUNCE_MILLIS = 50;

  private final ViciCommands commands;
  private final SaStateTracker tracker;
  private final Duration pollInterval;
  private final Runnable onDaemonRestart;
  private final Thread poller;
  private final Object wake = new Object();
  private ViciSubscription subscription;
  private boolean pollRequested; // guarded by wake
  private boolean connsRequested = true; // guarded by wake
  private volatile boolean closed;

  public SaStateMonitor(ViciClient client, SaStateTracker tracker, Duration pollInterval, Runnable onDaemonRestart) {
    this.commands = new ViciCommands(client);
    this.tracker = tracker;
    this.pollInterval = pollInterval;
    this.onDaemonRestart = onDaemonRestart;
    this.poller = new Thread(this::pollLoop, "sa-state-poller");
    this.poller.setDaemon(true);
  }

  public SaStateMonitor start() {
    subscription = commands.client().subscribe(EVENTS, new Listener());
    poller.start();
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
    poller.interrupt();
    try {
      poller.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
      if (generation > 1) {
        LOG.info("charon is back (event connection #{}): it restarted, state reset", generation);
        tracker.onDaemonRestart();
        if (onDaemonRestart != null) {
          onDaemonRestart.run();
        }
      }
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
        LOG.debug("list-sas poll failed: {}", e.getMessage());
      }
    }
  }
}
