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
 * create of {@code ..data}). Bursts of events are debounced into one callback. A periodic callback
 * is the fallback for what a watch cannot see (edits inside plain sub-folders, lost events); it is
 * cheap because applying an unchanged configuration sends nothing.
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
        if (!drain(key)) {
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
          if (drain(more)) {
            quietAt = System.nanoTime() + debounce.toNanos();
          }
        }
        notifyChange("directory event");
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Consumes a key's events; true if one matters. kubelet's own entries ({@code ..<timestamp>},
   * {@code ..data_tmp}) change before the swap is complete; only the {@code ..data} rename and
   * visible names count.
   */
  private static boolean drain(WatchKey key) {
    boolean relevant = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      String name = event.context() == null ? null : event.context().toString();
      relevant |=
          event.kind() == OVERFLOW
              || name == null
              || name.equals("..data")
              || !name.startsWith("..");
    }
    key.reset();
    return relevant;
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
