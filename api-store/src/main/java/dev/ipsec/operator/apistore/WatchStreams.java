package dev.ipsec.operator.apistore;

import io.fabric8.kubernetes.client.Watcher.Action;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;

/**
 * The open watches of the store, and one change told to all of them with each event's JSON made
 * once, as a kube-apiserver does: fabric8's own watches parse the stored object and serialize the
 * event again for every watch it matches (six watches of the operator and the benchmark on an
 * IpsecPeer: six parses and six serializations of every status write, under the store's write
 * lock).
 *
 * <p>What each watch receives is fabric8's: on open an {@code ADDED} event for every stored object
 * it matches, in the store's order, under the store's read lock; then for each change {@code
 * MODIFIED} when the object matched before and after, {@code DELETED} (the object as it was) when
 * only before, {@code ADDED} when only after; nothing when the stored JSON did not change. Each
 * watch sends from a thread of its own, in order, as fabric8's does. The event is {@code
 * {"type":...,"object":<the stored JSON>}}: the object's bytes as stored, not parsed and written
 * again.
 */
final class WatchStreams {

  private static final AtomicLong THREADS = new AtomicLong();

  private final Set<Stream> open = new CopyOnWriteArraySet<>();

  /** A new watch of the objects that match {@code query}, not yet open. */
  WebSocketListener watch(AttributeSet query, Map<AttributeSet, String> store, Lock readLock) {
    Stream stream = new Stream(query, store, readLock);
    open.add(stream);
    return stream;
  }

  /**
   * Tells every watch about one change of the store: the object under {@code oldKey} was {@code
   * before} (both null for a create), under {@code newKey} it is {@code after} (both null for a
   * delete).
   */
  void changed(AttributeSet oldKey, String before, AttributeSet newKey, String after) {
    String modified = null;
    String added = null;
    String deleted = null;
    for (Stream stream : open) {
      boolean matchedBefore = oldKey != null && oldKey.matches(stream.query);
      boolean matchesNow = newKey != null && newKey.matches(stream.query);
      if (matchedBefore && matchesNow) {
        modified = modified == null ? event(Action.MODIFIED, after) : modified;
        stream.send(modified);
      } else if (matchedBefore) {
        deleted = deleted == null ? event(Action.DELETED, before) : deleted;
        stream.send(deleted);
      } else if (matchesNow) {
        added = added == null ? event(Action.ADDED, after) : added;
        stream.send(added);
      }
    }
  }

  int size() {
    return open.size();
  }

  /** A watch event around the stored JSON of an object, which is already a JSON object. */
  static String event(Action action, String object) {
    return "{\"type\":\"" + action.name() + "\",\"object\":" + object + "}";
  }

  /** One watch: its query, its socket once open, and the thread that sends its events in order. */
  private final class Stream extends WebSocketListener {
    private final AttributeSet query;
    private final Map<AttributeSet, String> store;
    private final Lock readLock;
    private final AtomicReference<WebSocket> socket = new AtomicReference<>();
    private final ExecutorService sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "api-store-watch-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });

    Stream(AttributeSet query, Map<AttributeSet, String> store, Lock readLock) {
      this.query = query;
      this.store = store;
      this.readLock = readLock;
    }

    void send(String event) {
      try {
        sender.execute(
            () -> {
              WebSocket ws = socket.get();
              if (ws != null) {
                ws.send(event);
              }
            });
      } catch (RejectedExecutionException closed) {
        // the watch closed while this change was told: nobody is listening any more
      }
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      socket.set(webSocket);
      readLock.lock();
      try {
        for (Map.Entry<AttributeSet, String> entry : store.entrySet()) {
          if (entry.getKey().matches(query)) {
            send(event(Action.ADDED, entry.getValue()));
          }
        }
      } finally {
        readLock.unlock();
      }
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      webSocket.close(code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      close(code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      close(1000, t.getMessage());
    }

    private void close(int code, String reason) {
      open.remove(this);
      WebSocket ws = socket.get();
      if (ws != null) {
        ws.close(code, reason);
      }
      sender.shutdown();
      try {
        sender.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
