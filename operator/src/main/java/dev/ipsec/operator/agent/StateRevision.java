package dev.ipsec.operator.agent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The agent's state revision: a counter bumped on every visible change (loader status, charon
 * reachability, SA state), telling its listeners (the long-polls of the state API) about each new
 * value.
 */
public final class StateRevision {

  private final AtomicLong revision = new AtomicLong(1);
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

  public long current() {
    return revision.get();
  }

  public long bump() {
    long next = revision.incrementAndGet();
    listeners.forEach(listener -> listener.accept(next));
    return next;
  }

  /** {@code listener} is called with each new revision, on the thread that bumped it. */
  public void onBump(LongConsumer listener) {
    listeners.add(listener);
  }
}
