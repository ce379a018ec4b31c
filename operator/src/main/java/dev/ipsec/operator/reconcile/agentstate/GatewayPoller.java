package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.pki.PeerIdentity;
import dev.ipsec.operator.reconcile.ownership.Hashing;
import dev.ipsec.operator.threads.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows each gateway pod's agent with the long-poll of its state API ({@code GET
 * /v1/state?since=N&wait=S} over mutual TLS, through {@link AgentStateFetcher}) and puts what it
 * learns into the {@link GatewayStateStore}. Which pods to follow is the caller's choice: only
 * those the operator owns ({@code reconcile.gateway.GatewayPods}).
 *
 * <p>Failures do not flap: an agent counts as unreachable only after it failed continuously for
 * {@code unreachableAfter}, and one success makes it reachable again.
 *
 * <p>A gateway's pollers end with its pods ({@link #follow} with the pods that remain) or with the
 * gateway ({@link #retire}, when its IpsecGlobal is deleted). A retired gateway's uid is
 * remembered, so a reconcile of it that was still running cannot start its pollers again.
 */
public final class GatewayPoller implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayPoller.class);

  /** One pod to follow: its name and where its agent listens. */
  public record Target(String pod, String host, int port) {}

  private final GatewayStateStore store;
  private final AgentPolling settings;
  private final Clock clock;
  private final AgentStateFetcher fetcher;
  private final AgentClient client;
  private final ScheduledExecutorService scheduler;
  private final Map<GatewayStateStore.GatewayId, Map<String, Follower>> followers =
      new ConcurrentHashMap<>();
  private static final int RETIRED_REMEMBERED = 1024;

  /** uids of deleted gateways, the most recent ones (a late reconcile comes within seconds). */
  private final Set<String> retired =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > RETIRED_REMEMBERED;
            }
          });

  public GatewayPoller(
      GatewayStateStore store, AgentPolling settings, Clock clock, AgentClient client) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.client = client;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("gateway-poller"));
    this.fetcher = new AgentStateFetcher(client, settings.maxStateBytes());
  }

  /**
   * Makes the pollers of a gateway match its current pods: starts new ones, stops gone ones. Does
   * nothing for a gateway (by uid) that was {@linkplain #retire retired}.
   */
  public synchronized void follow(
      GatewayStateStore.GatewayId gateway, String uid, Set<Target> targets) {
    if (!settings.enabled() || retired.contains(uid)) {
      return;
    }
    reconcileFollowers(gateway, targets);
  }

  /** The gateway was deleted: stops its pollers and forgets what its agents reported. */
  public synchronized void retire(GatewayStateStore.GatewayId gateway, String uid) {
    retired.add(uid);
    reconcileFollowers(gateway, Set.of());
  }

  /** How many pods of the gateway are being followed. */
  public synchronized int following(GatewayStateStore.GatewayId gateway) {
    return followers.getOrDefault(gateway, Map.of()).size();
  }

  private void reconcileFollowers(GatewayStateStore.GatewayId gateway, Set<Target> targets) {
    Map<String, Follower> current =
        followers.computeIfAbsent(gateway, g -> new ConcurrentHashMap<>());
    current
        .values()
        .removeIf(
            f -> {
              boolean gone = !targets.contains(f.target);
              if (gone) {
                f.stop();
              }
              return gone;
            });
    for (Target t : targets) {
      current.computeIfAbsent(
          t.pod(),
          p -> {
            Follower f = new Follower(gateway, t);
            f.schedule(Duration.ZERO);
            return f;
          });
    }
    store.retainPods(gateway, targets.stream().map(Target::pod).collect(Collectors.toSet()));
    if (current.isEmpty()) {
      followers.remove(gateway);
    }
  }

  @Override
  public void close() {
    followers.values().forEach(m -> m.values().forEach(Follower::stop));
    followers.clear();
    scheduler.shutdownNow();
    client.close();
  }

  /** The poll loop of one pod. */
  private final class Follower {
    private final GatewayStateStore.GatewayId gateway;
    private final PeerIdentity identity;
    private final Target target;
    private volatile boolean stopped;
    private AgentReport last;
    private Instant failingSince;

    /** {@code last} says that the agent speaks a state schema this operator does not know. */
    private boolean speaksOtherSchema;

    Follower(GatewayStateStore.GatewayId gateway, Target target) {
      this.gateway = gateway;
      this.identity = PeerIdentity.gateway(gateway.namespace(), gateway.name());
      this.target = target;
    }

    void schedule(Duration delay) {
      if (stopped || scheduler.isShutdown()) {
        return;
      }
      scheduler.schedule(this::poll, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
      stopped = true;
    }

    private void poll() {
      if (stopped) {
        return;
      }
      // the first request after a failure or at start asks at once; later ones wait for news
      boolean longPoll = last != null && last.reachable() && failingSince == null;
      fetcher
          .fetch(target, identity, longPoll ? last.agentRevision() : null, settings.longPollWait())
          .whenComplete(this::record);
    }

    /**
     * Records what a request gave, under the poller's lock: a follower stopped meanwhile (its pod
     * or its gateway gone) writes nothing into the store. Whatever goes wrong here, the next poll
     * is scheduled: a failure of one pod never ends its following.
     */
    private void record(AgentStateFetcher.Fetched fetched, Throwable error) {
      synchronized (GatewayPoller.this) {
        if (stopped) {
          return;
        }
        Duration next = settings.retryBackoff();
        try {
          if (error != null || fetched == null) {
            next = failed("the request failed: " + error);
          } else if (fetched.report() != null) {
            next = succeeded(fetched.report());
          } else if (fetched.foreignSchema()) {
            next = notUnderstood(fetched.problem());
          } else {
            next = failed(fetched.problem());
          }
        } catch (RuntimeException e) {
          LOG.warn("agent of pod {} in {}: {}", target.pod(), gateway.namespace(), e.toString());
        } finally {
          schedule(next);
        }
      }
    }

    /** Records a report; the next poll follows at once. */
    private Duration succeeded(AgentReport report) {
      failingSince = null;
      speaksOtherSchema = false;
      if (last == null || !last.reachable() || !Hashing.sameJson(last, report)) {
        store.put(gateway, report);
      }
      last = report;
      return Duration.ZERO;
    }

    /** Records a failure (unreachable only after the grace); the next poll follows a backoff. */
    private Duration failed(String problem) {
      Instant now = Instant.now(clock);
      if (failingSince == null) {
        failingSince = now;
      }
      LOG.debug("agent of pod {} in {}: {}", target.pod(), gateway.namespace(), problem);
      boolean beyondGrace = !now.isBefore(failingSince.plus(settings.unreachableAfter()));
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
        store.put(gateway, last);
        LOG.info(
            "gateway {}/{}: agent of pod {} unreachable: {}",
            gateway.namespace(),
            gateway.name(),
            target.pod(),
            problem);
      }
      return settings.retryBackoff();
    }

    /**
     * The agent answered with a state schema this operator does not know. Reading it anyway could
     * show a peer wrongly, so its peers turn Unknown with the reason, at once: unlike an outage,
     * waiting does not help. Only another operator or agent image does, so it asks again only at
     * the long-poll pace.
     */
    private Duration notUnderstood(String problem) {
      failingSince = null;
      if (!speaksOtherSchema || !problem.equals(last.problem())) {
        LOG.warn("gateway {}/{}: {}", gateway.namespace(), gateway.name(), problem);
        last = AgentReport.unreachable(target.pod(), problem, last);
        store.put(gateway, last);
      }
      speaksOtherSchema = true;
      return settings.longPollWait();
    }
  }

  @Override
  public String toString() {
    return "GatewayPoller" + Objects.toString(followers.keySet());
  }
}
