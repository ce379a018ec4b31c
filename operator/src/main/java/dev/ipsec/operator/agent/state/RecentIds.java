package dev.ipsec.operator.agent.state;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last few SA unique ids of one kind that a connection has seen, oldest forgotten first.
 * charon's unique ids only grow while it runs, so a short memory is enough to recognise an id met a
 * moment ago; it is cleared when charon restarts and starts counting from 1 again.
 */
final class RecentIds {

  private final int capacity;
  private final Deque<Long> ids = new ArrayDeque<>();

  RecentIds(int capacity) {
    this.capacity = capacity;
  }

  /** Remembers the id; returns false if it was already remembered. */
  boolean add(long id) {
    if (ids.contains(id)) {
      return false;
    }
    ids.addLast(id);
    if (ids.size() > capacity) {
      ids.removeFirst();
    }
    return true;
  }

  boolean contains(long id) {
    return ids.contains(id);
  }

  boolean isEmpty() {
    return ids.isEmpty();
  }

  void clear() {
    ids.clear();
  }
}
