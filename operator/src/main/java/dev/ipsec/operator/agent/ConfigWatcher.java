package dev.ipsec.operator.agent;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back when the configuration directory changes.
 *
 * <p>kubelet updates a projected volume by writing a new timestamped directory, pointing {@code
 * ..data_tmp} at it and renaming that over {@code ..data}; the visible files are symlinks through
 * {@code ..data}. So one watch on the directory itself sees every update (the rename shows up as a
 * create of {@code ..data}). That rename is reported at once: it makes a whole generation visible
 * in one step, so waiting would only add latency. Other events (files edited in a plain directory)
 * are debounced: a burst of them becomes one callback once quiet. A periodic callback is the
 * fallback for what a watch cannot see (edits inside plain sub-folders, lost events); it is cheap
 * because applying an unchanged configuration sends nothing.
 */
public final class ConfigWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Path dir;
  private final Duration debounce;
  private final Duration rescan;
  private final Runnable onChange;
  private final WatchService watchService;
  private final Thread thread;

  public ConfigWatcher(Path dir, Duration debounce, Duration rescan, Runnable onChange)
      throws IOException {
    this.dir = dir;
    this.debounce = debounce;
    this.rescan = rescan;
    this.onChange = onChange;
    this.watchService = dir.getFileSystem().newWatchService();
    dir.register(watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY, OVERFLOW);
    this.thread = new Thread(this::run, "config-watcher");
    this.thread.setDaemon(true);
  }

  public ConfigWatcher start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        WatchKey key = watchService.poll(rescan.toMillis(), TimeUnit.MILLISECONDS);
        if (key == null) {
          notifyChange("periodic re-scan");
          continue;
        }
        Seen seen = drain(key);
        if (seen == Seen.NOTHING) {
          continue;
        }
        if (seen == Seen.SWAP) {
          // the rename is atomic: the whole new generation is visible from this moment on, so
          // there is nothing to wait for
          notifyChange("..data swapped");
          continue;
        }
        // debounce: read once no relevant event came for the debounce period. kubelet's own
        // housekeeping (deleting the previous ..<timestamp> directory) does not delay the read.
        long quietAt = System.nanoTime() + debounce.toNanos();
        long remaining;
        while ((remaining = quietAt - System.nanoTime()) > 0) {
          WatchKey more = watchService.poll(remaining, TimeUnit.NANOSECONDS);
          if (more == null) {
            break;
          }
          if (drain(more) != Seen.NOTHING) {
            quietAt = System.nanoTime() + debounce.toNanos();
          }
        }
        notifyChange("directory event");
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a key's events amount to. */
  private enum Seen {
    /** only the kubelet's own entries changed: nothing to read yet */
    NOTHING,
    /** visible names changed (or events were lost): read once they have settled */
    CHANGE,
    /** {@code ..data} was renamed over: a complete new generation is visible at once */
    SWAP
  }

  /**
   * Consumes a key's events. kubelet's own entries ({@code ..<timestamp>}, {@code ..data_tmp})
   * change before the swap is complete and do not count; the {@code ..data} rename completes it;
   * other visible names count as a change that may still be under way.
   */
  private static Seen drain(WatchKey key) {
    Seen seen = Seen.NOTHING;
    for (WatchEvent<?> event : key.pollEvents()) {
      String name = event.context() == null ? null : event.context().toString();
      if (event.kind() == ENTRY_CREATE && "..data".equals(name)) {
        seen = Seen.SWAP;
      } else if (seen == Seen.NOTHING
          && (event.kind() == OVERFLOW
              || name == null
              || name.equals("..data")
              || !name.startsWith(".."))) {
        seen = Seen.CHANGE;
      }
    }
    key.reset();
    return seen;
  }

  private void notifyChange(String why) {
    LOG.debug("configuration directory {}: {}", dir, why);
    try {
      onChange.run();
    } catch (RuntimeException e) {
      LOG.warn("configuration change handler failed", e);
    }
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      watchService.close();
      thread.join(2000);
    } catch (IOException e) {
      LOG.debug("closing watch service", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
