package dev.ipsec.operator.agent.apply;

import dev.ipsec.operator.vici.ViciMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Decorator that counts commands by name and remembers the last ones sent (command plus the
 * connection or secret it names), so metrics and tests can see exactly what the loader did. Only
 * names are kept, never request contents.
 */
public final class CountingViciChannel implements ViciChannel {

  private static final int HISTORY = 10_000;

  private final ViciChannel delegate;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final List<String> history = new ArrayList<>();
  private volatile BiConsumer<String, String> listener = (command, target) -> {};

  public CountingViciChannel(ViciChannel delegate) {
    this.delegate = delegate;
  }

  @Override
  public ViciMessage call(String command, ViciMessage request) {
    record(command, request);
    return delegate.call(command, request);
  }

  @Override
  public void stream(
      String command, String event, ViciMessage request, Consumer<ViciMessage> onEvent) {
    record(command, request);
    delegate.stream(command, event, request, onEvent);
  }

  private void record(String command, ViciMessage request) {
    String target = targetOf(command, request);
    counts.computeIfAbsent(command, c -> new AtomicLong()).incrementAndGet();
    synchronized (history) {
      if (history.size() == HISTORY) {
        history.remove(0);
      }
      history.add(target.isEmpty() ? command : command + " " + target);
    }
    listener.accept(command, target);
  }

  /** Called for every command, with the name it targets (may be empty). */
  public void onCommand(BiConsumer<String, String> listener) {
    this.listener = listener;
  }

  public long count(String command) {
    AtomicLong n = counts.get(command);
    return n == null ? 0 : n.get();
  }

  public Map<String, Long> counts() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Commands sent so far, oldest first, as {@code "load-conn peer7"}. */
  public List<String> history() {
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  /** History entries after the first {@code skip}. */
  public List<String> historySince(int skip) {
    List<String> all = history();
    return all.subList(Math.min(skip, all.size()), all.size());
  }

  /** The name a command acts on: the connection of load-conn, the id of a secret, and so on. */
  static String targetOf(String command, ViciMessage request) {
    return switch (command) {
      case "load-conn" -> request.entries().keySet().stream().findFirst().orElse("");
      case "unload-conn" -> request.string("name", "");
      case "load-shared", "unload-shared" -> request.string("id", "");
      case "terminate", "initiate" -> request.string("ike", request.string("child", ""));
      default -> "";
    };
  }
}
