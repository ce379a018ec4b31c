package dev.ipsec.operator.reconcile.peer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One label patch of a referenced object at a time, shared by every reconcile. At a start, each of
 * the reconcile threads read the same unlabelled Secret (thousands of peers name it) and each
 * patched the label on it: 16 PATCHes of one Secret at 10,000 peers. A lookup that reads an object
 * without the label now joins the patch in flight for it, or takes the result of the last patch if
 * that completed after its own read began: such a patch was applied after the read (had it been
 * applied before, the read would have found the label), so its answer is the object as new as the
 * read or newer. Only a read that began after the last patch completed and still finds no label
 * (someone removed it, or the object was created again) patches once more.
 *
 * <p>What is kept: the patch in flight and the last answer per object, its labels and data
 * included, until the next patch of the same object replaces it; the same objects the {@link
 * ReferencedObjectCache} holds, never written anywhere. Keys are {@code Kind/namespace/name}.
 */
final class LabelPatches {

  /**
   * Above this many objects remembered, the answers are forgotten: a handful of objects is usual.
   */
  static final int KEPT = 4096;

  private record Done(long completedAt, HasMetadata labelled) {}

  private final AtomicLong clock = new AtomicLong();
  private final Map<String, CompletableFuture<HasMetadata>> inFlight = new HashMap<>();
  private final Map<String, Done> done = new HashMap<>();

  /** A read of an object begins: the ticket its {@link #label} takes. */
  long readBegins() {
    return clock.incrementAndGet();
  }

  /**
   * The object {@code key}, read without the label under {@code ticket} with {@code uid}, labelled:
   * by the patch in flight for it, by the last one if it completed after the read began and
   * labelled the same object (uid), else by {@code patch}, run on this thread while others wait for
   * it. A failed patch fails every lookup that waited for it.
   *
   * @throws RuntimeException what {@code patch} threw (a {@code KubernetesClientException}: 404
   *     when the object is gone)
   */
  @SuppressWarnings("unchecked")
  <R extends HasMetadata> R label(String key, String uid, long ticket, Supplier<R> patch) {
    CompletableFuture<HasMetadata> mine;
    CompletableFuture<HasMetadata> theirs;
    synchronized (this) {
      Done last = done.get(key);
      if (last != null
          && last.completedAt() > ticket
          && Objects.equals(last.labelled().getMetadata().getUid(), uid)) {
        return (R) last.labelled();
      }
      theirs = inFlight.get(key);
      mine = theirs == null ? new CompletableFuture<>() : null;
      if (mine != null) {
        inFlight.put(key, mine);
      }
    }
    if (theirs != null) {
      try {
        return (R) theirs.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      R labelled = patch.get();
      synchronized (this) {
        inFlight.remove(key);
        if (done.size() >= KEPT) {
          done.clear();
        }
        done.put(key, new Done(clock.incrementAndGet(), labelled));
      }
      mine.complete(labelled);
      return labelled;
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        inFlight.remove(key);
      }
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /** How many objects have a patch in flight: for tests. */
  synchronized int inFlight() {
    return inFlight.size();
  }
}
