package dev.ipsec.operator.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * Every request the embedded API server received, in order, as its authorizer would see it ({@link
 * ApiRequest}): what lets a test prove which permissions a client really uses. Thread-safe; the
 * server's dispatcher threads append, tests read copies.
 */
public final class ApiRequestLog {
  private final List<ApiRequest> requests = new ArrayList<>();

  synchronized void record(List<ApiRequest> authorized) {
    requests.addAll(authorized);
  }

  /** Every request so far. */
  public synchronized List<ApiRequest> all() {
    return List.copyOf(requests);
  }

  /** How many requests so far: a mark that {@link #since} takes. */
  public synchronized int size() {
    return requests.size();
  }

  /** The requests after the first {@code mark} ({@link #size()} at some earlier moment). */
  public synchronized List<ApiRequest> since(int mark) {
    return List.copyOf(requests.subList(mark, requests.size()));
  }

  /** The requests of the clients whose User-Agent starts with {@code prefix}. */
  public synchronized List<ApiRequest> byUserAgent(String prefix) {
    return requests.stream().filter(r -> r.userAgent().startsWith(prefix)).toList();
  }
}
