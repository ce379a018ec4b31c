package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.threads.DaemonThreads;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In front of the mock API server's store: counts the status writes of IpsecPeers and IpsecGlobals
 * by kind and answer (a 409 is a write refused for a stale resourceVersion, after which JOSDK's
 * {@code PrimaryUpdateAndCacheUtils} waits for the informer to show a newer one and writes again),
 * and hands each accepted write, with when it arrived and when it was answered, to a listener on a
 * thread of its own ({@code benchmark-stages}), so that reading the written status costs the
 * server's threads nothing but a reference.
 */
final class StatusWriteTrace extends Dispatcher {

  /** An accepted status write: {@code body} is the status as the operator wrote it. */
  interface Listener {
    void written(String plural, String name, String body, long arrived, long answered);
  }

  private static final Pattern STATUS =
      Pattern.compile(
          "^/apis/ipsec\\.dev/v1alpha1/namespaces/[^/]+/(ipsecpeers|ipsecglobals)/([^/?]+)/status");

  private final Dispatcher store;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final ExecutorService reader =
      Executors.newSingleThreadExecutor(DaemonThreads.named("benchmark-stages"));
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
    Buffer body = request.getBody();
    if (to != null && code / 100 == 2 && body != null) {
      String name = status.group(2);
      reader.execute(() -> to.written(plural, name, body.readUtf8(), arrived, answered));
    }
    return response;
  }

  @Override
  public void shutdown() {
    reader.shutdownNow();
    store.shutdown();
  }
}
