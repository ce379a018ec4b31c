package dev.ipsec.operator.reconcile.agentstate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the time from an agent's change to its status goes, stage by stage, for one kind of
 * resource (the benchmark keeps one for IpsecPeers, one for IpsecGlobals): made by the fake agent,
 * in the operator's {@link GatewayStateStore}, a status write carrying it arrived at the API server
 * (the operator's queueing, coalescing and reconcile before the write), and received by the
 * benchmark's watch (the server's write and its watch event). A status that shows a value shows
 * every earlier change of the resource too (a later change may have superseded them), as the
 * benchmark's own matching counts it: each stage closes every open change up to the newest one
 * showing that value. The server sends the watch event before it answers the write, so a change is
 * counted once both its write and its watch event are known, in either order.
 */
final class ChangeStages {

  /** One change of one resource: the value its status must show, and when each stage was seen. */
  private static final class Trace {
    final long value;
    final long made;
    long reported;
    long arrived;
    long seen;

    Trace(long value, long made) {
      this.value = value;
      this.made = made;
    }
  }

  /** The stages, each a list of durations in nanoseconds. */
  static final String[] STAGES = {
    "change -> operator's store", "store -> status write at the server", "write -> watch"
  };

  private final Map<String, Deque<Trace>> open = new ConcurrentHashMap<>();
  private final List<List<Long>> durations = new ArrayList<>();
  private long outOfOrder;

  ChangeStages() {
    for (int i = 0; i < STAGES.length; i++) {
      durations.add(new ArrayList<>());
    }
  }

  /** A change of {@code key}'s status to {@code value}, made at {@code now}. */
  void made(String key, long value, long now) {
    Deque<Trace> traces = open.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (traces) {
      traces.addLast(new Trace(value, now));
    }
  }

  /** The operator's store got a report of {@code key}: every change made before is in it. */
  void reported(String key, long now) {
    Deque<Trace> traces = open.get(key);
    if (traces == null) {
      return;
    }
    synchronized (traces) {
      for (Trace t : traces) {
        if (t.reported == 0 && t.made <= now) {
          t.reported = now;
        }
      }
    }
  }

  /**
   * A status write of {@code key} arrived at the server at {@code at}: it carries every change the
   * operator's store had when its reconcile started, taken here as every change reported before it
   * arrived (the body is not read; a write from a reconcile that started just before the report
   * makes this stage shorter than it was, and the next one longer).
   */
  void written(String key, long at) {
    Deque<Trace> traces = open.get(key);
    if (traces == null) {
      return;
    }
    synchronized (traces) {
      for (Trace t : traces) {
        if (t.arrived == 0 && t.reported != 0 && t.reported <= at) {
          t.arrived = at;
        }
      }
      closeDone(traces);
    }
  }

  /** The benchmark's watch received {@code key}'s status showing {@code value}. */
  void seen(String key, long value, long now) {
    Deque<Trace> traces = open.get(key);
    if (traces == null) {
      return;
    }
    synchronized (traces) {
      Trace newest = newestShowing(traces, value, now);
      for (Trace t : traces) {
        if (newest == null) {
          break;
        }
        if (t.seen == 0) {
          t.seen = now;
        }
        if (t == newest) {
          break;
        }
      }
      closeDone(traces);
    }
  }

  private static Trace newestShowing(Deque<Trace> traces, long value, long notAfter) {
    Trace newest = null;
    for (Trace t : traces) {
      if (t.value == value && t.made <= notAfter) {
        newest = t;
      }
    }
    return newest;
  }

  /** Counts the oldest changes whose write and watch event are both known. */
  private void closeDone(Deque<Trace> traces) {
    while (!traces.isEmpty()
        && traces.peekFirst().seen != 0
        && (traces.peekFirst().arrived != 0 || traces.peekFirst().reported == 0)) {
      record(traces.removeFirst());
    }
  }

  private synchronized void record(Trace t) {
    if (t.reported == 0 || t.arrived == 0) {
      outOfOrder++; // shown by the watch before its report or its write was seen here
      return;
    }
    durations.get(0).add(t.reported - t.made);
    durations.get(1).add(t.arrived - t.reported);
    durations.get(2).add(Math.max(0, t.seen - t.arrived));
  }

  /** Each stage's p50 and p99 over the changes seen with every stage in order. */
  synchronized String summary() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < STAGES.length; i++) {
      List<Long> sorted = new ArrayList<>(durations.get(i));
      Collections.sort(sorted);
      out.append(
          String.format(
              "%s%s p50 %.1f ms, p99 %.1f ms",
              i == 0 ? "" : "; ",
              STAGES[i],
              percentile(sorted, 50) / 1e6,
              percentile(sorted, 99) / 1e6));
    }
    out.append(
        String.format(
            " (over %d changes; %d shown before their report or write was seen)",
            durations.get(0).size(), outOfOrder));
    return out.toString();
  }

  private static double percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
