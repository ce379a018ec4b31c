package dev.ipsec.operator.reconcile.agentstate;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In front of the mock API server's store: counts the status writes of IpsecPeers and IpsecGlobals
 * by kind and answer (a 409 is a write refused for a stale resourceVersion, after which JOSDK's
 * {@code PrimaryUpdateAndCacheUtils} waits for the informer to show a newer one and writes again),
 * and tells a listener of each accepted one, with when it arrived and when it was answered. The
 * body is not read: the store reads it once, and a read before it would leave the store nothing.
 */
final class StatusWriteTrace extends Dispatcher {

  /** An accepted status write. */
  interface Listener {
    void written(String plural, String name, long arrived, long answered);
  }

  private static final Pattern STATUS =
      Pattern.compile(
          "^/apis/ipsec\\.dev/v1alpha1/namespaces/[^/]+/(ipsecpeers|ipsecglobals)/([^/?]+)/status");

  private final Dispatcher store;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private volatile Listener listener;

  StatusWriteTrace(Dispatcher store) {
    this.store = store;
  }

  void listen(Listener listener) {
    this.listener = listener;
  }

  /** Status writes so far by {@code <plural> <code>}, e.g. {@code ipsecglobals 409}. */
  Map<String, Long> counts() {
    Map<String, Long> copy = new java.util.TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String method = request.getMethod();
    Matcher status =
        "PUT".equals(method) || "PATCH".equals(method) ? STATUS.matcher(request.getPath()) : null;
    if (status == null || !status.find()) {
      return store.dispatch(request);
    }
    long arrived = System.nanoTime();
    MockResponse response = store.dispatch(request);
    long answered = System.nanoTime();
    String plural = status.group(1);
    int code = response.code();
    counts.computeIfAbsent(plural + " " + code, k -> new AtomicLong()).incrementAndGet();
    Listener to = listener;
    if (to != null && code / 100 == 2) {
      to.written(plural, status.group(2), arrived, answered);
    }
    return response;
  }

  @Override
  public void shutdown() {
    store.shutdown();
  }
}
