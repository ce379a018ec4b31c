package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.reconcile.ownership.Hashing;
import dev.ipsec.operator.reconcile.ownership.WriteFailure;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a resource's status, and when the API server refuses it (403 while the operator's Role on
 * the status subresource is missing, an admission webhook, see {@link WriteFailure#isReported}),
 * tells the resource's readers with one Warning Event {@value #REASON}: the status cannot say it.
 * Once per refusal: a retry refused the same way records nothing, a different refusal is told
 * again, and a write that succeeds forgets it. What the refused status would have told (its
 * transition Events) waits for the write that succeeds.
 *
 * <p>The refusal is remembered in memory, since the status that could carry it is what is refused:
 * a restarted operator tells a lasting refusal once more. The caller tries again after {@link
 * #FIRST}, then after as long as the refusal has lasted, at most {@link #LONGEST}, without JOSDK's
 * retry, which gives up after a few attempts: a Role that comes into effect later still heals it.
 */
public final class RefusedStatusWrites {

  public static final String REASON = "StatusNotWritten";
  static final Duration FIRST = Duration.ofSeconds(5);
  static final Duration LONGEST = Duration.ofSeconds(60);

  private record Refusal(String message, Instant since) {}

  private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();
  private final EventRecorder events;
  private final Clock clock;

  public RefusedStatusWrites(EventRecorder events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  /**
   * Writes {@code status} whole ({@link Statuses#write}) when it differs from the primary's.
   *
   * @return empty when written or equal; else how soon to try again, the refusal told
   */
  public <S, R extends CustomResource<?, S>> Optional<Duration> writeIfChanged(
      R primary, S status, Context<R> context) {
    return Hashing.sameJson(status, primary.getStatus())
        ? Optional.empty()
        : write(primary, status, context);
  }

  /**
   * Writes {@code status} whole ({@link Statuses#write}).
   *
   * @return empty when written; else how soon to try again, the refusal told
   */
  public <S, R extends CustomResource<?, S>> Optional<Duration> write(
      R primary, S status, Context<R> context) {
    String key =
        primary.getKind()
            + "/"
            + primary.getMetadata().getNamespace()
            + "/"
            + primary.getMetadata().getName();
    try {
      Statuses.write(primary, status, context);
    } catch (KubernetesClientException e) {
      if (!WriteFailure.isReported(e)) {
        throw e;
      }
      return Optional.of(refused(primary, key, WriteFailure.of(primary, "update status", e)));
    }
    refusals.remove(key);
    return Optional.empty();
  }

  private Duration refused(CustomResource<?, ?> primary, String key, WriteFailure failure) {
    String message = "the operator cannot write this status: " + failure.describe();
    Instant now = clock.instant();
    Refusal before = refusals.get(key);
    if (before == null || !before.message().equals(message)) {
      events.record(primary, EventRecorder.WARNING, REASON, message);
      refusals.put(key, new Refusal(message, before == null ? now : before.since()));
    }
    Duration refusedFor = Duration.between(refusals.get(key).since(), now);
    if (refusedFor.compareTo(FIRST) < 0) {
      return FIRST;
    }
    return refusedFor.compareTo(LONGEST) > 0 ? LONGEST : refusedFor;
  }
}
