package dev.ipsec.operator.reconcile;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a client's requests by verb and resource ({@code PUT ipsecpeers/status}, {@code WATCH
 * configmaps}), not by name: what a benchmark's operator asked of the API server, a figure that
 * does not depend on the machine's load.
 */
final class RequestCounter implements Interceptor {

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    counts.computeIfAbsent(key(request), k -> new LongAdder()).increment();
  }

  /** The counts so far, sorted by key. */
  Map<String, Long> counts() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** How many requests have {@code key} ({@code "PUT ipsecpeers/status"}). */
  long count(String key) {
    LongAdder n = counts.get(key);
    return n == null ? 0 : n.sum();
  }

  static String key(HttpRequest request) {
    String query = request.uri().getRawQuery();
    boolean watch = query != null && query.contains("watch=true");
    return (watch ? "WATCH" : request.method()) + " " + resource(request.uri().getPath());
  }

  /**
   * The resource of a path with its subresource: {@code
   * /apis/g/v/namespaces/ns/ipsecpeers/p/status} -> {@code ipsecpeers/status}; {@code
   * /api/v1/namespaces/ns/configmaps} -> {@code configmaps}.
   */
  static String resource(String path) {
    String[] parts = path.replaceFirst("^/", "").split("/");
    int at = parts[0].equals("api") ? 2 : 3; // api/v1/... or apis/group/version/...
    if (at + 1 < parts.length && parts[at].equals("namespaces")) {
      at += 2;
    }
    if (at >= parts.length) {
      return path;
    }
    String resource = parts[at];
    return at + 2 < parts.length ? resource + "/" + parts[at + 2] : resource;
  }
}
