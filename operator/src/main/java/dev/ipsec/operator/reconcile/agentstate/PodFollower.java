package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.pki.PeerIdentity;
import dev.ipsec.operator.reconcile.ownership.Hashing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of one pod's agent, for {@link GatewayPoller}: asks, records what came of it in the
 * store, and asks again (at once after news, after a backoff after a failure).
 *
 * <p>The backoff starts at {@link #FIRST_RETRY} and doubles with every failure in a row up to the
 * settings' {@code retryBackoff}: a new pod has its IP before its agent's JVM listens, and a
 * constant 2 s pause there added up to 2 s to every new gateway's first status (issue 17). A
 * follower of an agent that stays away still asks only every {@code retryBackoff}. Until an agent
 * has answered once, the first {@link #STARTING_RETRIES} failures all pause {@link
 * #STARTING_RETRY}: its JVM takes seconds to listen, and the status of a new gateway waits for the
 * first answer after that, on average half the pause (a quarter second's pace cost a new gateway an
 * eighth of a second on average, up to a quarter). Those {@value #STARTING_RETRIES} short pauses
 * cover the first 10 s of a pod, and one whose agent never listens is asked at the doubling pace
 * after them. Until the agent has answered, each request is preceded by a plain connect to its port
 * ({@link AgentPortCheck}): a refused request through the HTTP client cost about 1 ms of the
 * operator's CPU, 20 of them a second for each starting pod.
 */
final class PodFollower {

  private static final Logger LOG = LoggerFactory.getLogger(PodFollower.class);

  /** The pause after the first failure in a row. */
  static final Duration FIRST_RETRY = Duration.ofMillis(250);

  /** The pause after a failure while the agent has never answered. */
  static final Duration STARTING_RETRY = Duration.ofMillis(50);

  /** Failures in a row that pause {@link #STARTING_RETRY} while the agent has never answered. */
  static final int STARTING_RETRIES = 200;

  /** What every follower of one poller shares; records are made under {@code lock}. */
  record Shared(
      Object lock,
      GatewayStateStore store,
      AgentPolling settings,
      Clock clock,
      AgentStateFetcher fetcher,
      AgentPortCheck portCheck,
      ScheduledExecutorService scheduler) {}

  private final Shared shared;
  private final GatewayStateStore.GatewayId gateway;
  private final PeerIdentity identity;
  private final GatewayPoller.Target target;
  private volatile boolean stopped;
  private AgentReport last;
  private Instant failingSince;
  private int failuresInARow;

  /** Written under the poller's lock; read by {@link #poll} on the scheduler's thread. */
  private volatile boolean answeredOnce;

  /** {@code last} says that the agent speaks a state schema this operator does not know. */
  private boolean speaksOtherSchema;

  PodFollower(Shared shared, GatewayStateStore.GatewayId gateway, GatewayPoller.Target target) {
    this.shared = shared;
    this.gateway = gateway;
    this.identity = PeerIdentity.gateway(gateway.namespace(), gateway.name());
    this.target = target;
  }

  void schedule(Duration delay) {
    if (stopped || shared.scheduler().isShutdown()) {
      return;
    }
    shared.scheduler().schedule(this::poll, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  void stop() {
    stopped = true;
  }

  private void poll() {
    if (stopped) {
      return;
    }
    if (!answeredOnce) {
      // a starting pod refuses connections until its agent listens: find that out cheaply
      shared
          .portCheck()
          .check(target)
          .whenComplete(
              (closed, error) -> {
                if (closed == null || closed.isPresent()) {
                  String problem = closed == null ? String.valueOf(error) : closed.get();
                  record(new AgentStateFetcher.Fetched(null, problem, false), null);
                } else {
                  fetch();
                }
              });
      return;
    }
    fetch();
  }

  private void fetch() {
    if (stopped) {
      return;
    }
    // the first request after a failure or at start asks at once; later ones wait for news
    boolean longPoll = last != null && last.reachable() && failingSince == null;
    shared
        .fetcher()
        .fetch(
            target,
            identity,
            longPoll ? last.agentRevision() : null,
            shared.settings().longPollWait())
        .whenComplete(this::record);
  }

  /**
   * Records what a request gave, under the poller's lock: a follower stopped meanwhile (its pod or
   * its gateway gone) writes nothing into the store. Whatever goes wrong here, the next poll is
   * scheduled: a failure of one pod never ends its following.
   */
  private void record(AgentStateFetcher.Fetched fetched, Throwable error) {
    synchronized (shared.lock()) {
      if (stopped) {
        return;
      }
      Duration next = shared.settings().retryBackoff();
      try {
        next = fetched == null ? failed("the request failed: " + error) : recorded(fetched);
      } catch (RuntimeException e) {
        LOG.warn("agent of pod {} in {}: {}", target.pod(), gateway.namespace(), e.toString());
      } finally {
        schedule(next);
      }
    }
  }

  /** Records a report, a failure or a foreign schema; returns when to ask next. */
  private Duration recorded(AgentStateFetcher.Fetched fetched) {
    if (fetched.report() != null) {
      return succeeded(fetched.report());
    }
    return fetched.foreignSchema() ? notUnderstood(fetched.problem()) : failed(fetched.problem());
  }

  /** Records a report; the next poll follows at once. */
  private Duration succeeded(AgentReport report) {
    if (!answeredOnce || (last != null && !last.reachable())) {
      // the counterpart of the unreachable line, once per pod and per outage
      LOG.info(
          "gateway {}/{}: agent of pod {} answered",
          gateway.namespace(),
          gateway.name(),
          target.pod());
    }
    failingSince = null;
    failuresInARow = 0;
    answeredOnce = true;
    speaksOtherSchema = false;
    if (last == null || !last.reachable() || !Hashing.sameJson(last, report)) {
      shared.store().put(gateway, report);
    }
    last = report;
    return Duration.ZERO;
  }

  /** Records a failure (unreachable only after the grace); the next poll follows a backoff. */
  private Duration failed(String problem) {
    Instant now = Instant.now(shared.clock());
    if (failingSince == null) {
      failingSince = now;
    }
    LOG.debug("agent of pod {} in {}: {}", target.pod(), gateway.namespace(), problem);
    boolean beyondGrace = !now.isBefore(failingSince.plus(shared.settings().unreachableAfter()));
    if (beyondGrace && (last == null || last.reachable() || speaksOtherSchema)) {
      // one transition to unreachable, however long the outage lasts
      speaksOtherSchema = false;
      last =
          AgentReport.unreachable(
              target.pod(),
              "agent of pod "
                  + target.pod()
                  + " not reachable since "
                  + failingSince.truncatedTo(ChronoUnit.SECONDS)
                  + ": "
                  + problem,
              last);
      shared.store().put(gateway, last);
      LOG.info(
          "gateway {}/{}: agent of pod {} unreachable: {}",
          gateway.namespace(),
          gateway.name(),
          target.pod(),
          problem);
    }
    failuresInARow++;
    return backoff(failuresInARow, answeredOnce, shared.settings().retryBackoff());
  }

  /**
   * The pause after {@code failuresInARow} failures of an agent that has {@code answeredOnce} or
   * not: while it never has, {@link #STARTING_RETRIES} pauses of {@link #STARTING_RETRY} (or {@code
   * max}, when that is shorter) before the doubling starts.
   */
  static Duration backoff(int failuresInARow, boolean answeredOnce, Duration max) {
    if (!answeredOnce && failuresInARow <= STARTING_RETRIES) {
      return STARTING_RETRY.compareTo(max) < 0 ? STARTING_RETRY : max;
    }
    return backoff(answeredOnce ? failuresInARow : failuresInARow - STARTING_RETRIES, max);
  }

  /**
   * The pause after {@code failuresInARow} (at least 1) failures: doubling, at most {@code max}.
   */
  static Duration backoff(int failuresInARow, Duration max) {
    long millis = FIRST_RETRY.toMillis() << Math.min(Math.max(failuresInARow, 1) - 1, 20);
    return millis >= max.toMillis() ? max : Duration.ofMillis(millis);
  }

  /**
   * The agent answered with a state schema this operator does not know. Reading it anyway could
   * show a peer wrongly, so its peers turn Unknown with the reason, at once: unlike an outage,
   * waiting does not help. Only another operator or agent image does, so it asks again only at the
   * long-poll pace.
   */
  private Duration notUnderstood(String problem) {
    failingSince = null;
    failuresInARow = 0;
    answeredOnce = true;
    if (!speaksOtherSchema || !problem.equals(last.problem())) {
      LOG.warn("gateway {}/{}: {}", gateway.namespace(), gateway.name(), problem);
      last = AgentReport.unreachable(target.pod(), problem, last);
      shared.store().put(gateway, last);
    }
    speaksOtherSchema = true;
    return shared.settings().longPollWait();
  }

  GatewayPoller.Target target() {
    return target;
  }
}
