package dev.ipsec.operator.reconcile.peer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Whether the {@link ReferencedObjectCache}'s first sight of an object tells its peers anything
 * they have not read. Before an object enters the cache (it has no label yet), lookups read it with
 * a GET ({@link ReferenceLookup}) and each says here what it read ({@link #begin}, {@link #end}).
 * When the object then arrives, usually because the first lookup labelled it, its peers already
 * hold it: if every read since the last arrival or departure found exactly the content it arrives
 * with, the arrival reconciles nobody. Anything else (a read that found another content or nothing,
 * no read at all: a Secret created with the label) reconciles every peer that names it, as every
 * change does.
 *
 * <p>A read still in flight when the object arrives may have fetched an older content just before a
 * change: the decision then waits for the last such read to end. A lookup that misses the cache and
 * begins after the arrival was decided reads the server after the server sent the arrival, so it
 * finds that content or a newer one, whose own change event follows. Keys are {@code
 * Kind/namespace/name}; the contents are {@link ReferencedContent} keys, never values.
 */
final class FirstSight {

  /** More distinct contents read than this and the arrival reconciles the peers anyway. */
  static final int CONTENTS_KEPT = 8;

  private static final class Reads {
    int inFlight;
    final Set<String> contents = new HashSet<>();
    boolean overflow;
    String arrived; // the content an undecided arrival came with
    Runnable announce; // what tells the peers, for an undecided arrival

    boolean idle() {
      return inFlight == 0 && contents.isEmpty() && !overflow && arrived == null;
    }
  }

  private final Map<String, Reads> objects = new HashMap<>();

  /** A lookup of {@code object} missed the cache and asks the server. */
  synchronized void begin(String object) {
    objects.computeIfAbsent(object, o -> new Reads()).inFlight++;
  }

  /**
   * The lookup begun for {@code object} ended.
   *
   * @param content what it read ({@link ReferencedContent#MISSING} when nothing), null when it
   *     failed: the failed reconcile is retried and reads again
   */
  void end(String object, String content) {
    Runnable announce = null;
    synchronized (this) {
      Reads reads = objects.get(object);
      if (reads == null) {
        return;
      }
      reads.inFlight--;
      if (content != null) {
        read(reads, content);
      }
      if (reads.inFlight == 0 && reads.arrived != null) {
        announce = decide(reads);
      }
      if (reads.idle()) {
        objects.remove(object);
      }
    }
    if (announce != null) {
      announce.run();
    }
  }

  /**
   * The cache saw {@code object} for the first time, with {@code content}: {@code announce} runs
   * unless every read since the last arrival found that content; now, or when the reads in flight
   * end.
   */
  void arrived(String object, String content, Runnable announce) {
    Runnable now;
    synchronized (this) {
      Reads reads = objects.get(object);
      if (reads == null) {
        now = announce; // nobody read it: a Secret created with the label
      } else {
        reads.arrived = content;
        reads.announce = announce;
        if (reads.inFlight > 0) {
          return;
        }
        now = decide(reads);
        if (reads.idle()) {
          objects.remove(object);
        }
      }
    }
    if (now != null) {
      now.run();
    }
  }

  /**
   * {@code object} left the cache (deleted, or its label removed): its peers are all reconciled, so
   * what was read before is superseded, and an undecided arrival with it.
   */
  synchronized void left(String object) {
    Reads reads = objects.get(object);
    if (reads == null) {
      return;
    }
    reads.contents.clear();
    reads.overflow = false;
    reads.arrived = null;
    reads.announce = null;
    if (reads.idle()) {
      objects.remove(object);
    }
  }

  /** How many objects have reads or an arrival pending: for tests. */
  synchronized int pending() {
    return objects.size();
  }

  private static void read(Reads reads, String content) {
    if (reads.contents.size() >= CONTENTS_KEPT && !reads.contents.contains(content)) {
      reads.overflow = true;
    } else {
      reads.contents.add(content);
    }
  }

  /** The announcement an arrival needs, null when every read found its content; resets. */
  private static Runnable decide(Reads reads) {
    boolean known =
        !reads.overflow
            && !reads.contents.isEmpty()
            && reads.contents.stream().allMatch(reads.arrived::equals);
    Runnable announce = known ? null : reads.announce;
    reads.contents.clear();
    reads.overflow = false;
    reads.arrived = null;
    reads.announce = null;
    return announce;
  }
}
