package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.pki.HandshakeRehearsal;
import dev.ipsec.operator.threads.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
  private final AgentClient client;
  private final ScheduledExecutorService scheduler;
  private final PodFollower.Shared shared;
  private final Map<GatewayStateStore.GatewayId, Map<String, PodFollower>> followers =
      new ConcurrentHashMap<>();
  private final RetiredGateways retired = new RetiredGateways();

  public GatewayPoller(
      GatewayStateStore store, AgentPolling settings, Clock clock, AgentClient client) {
    this.store = store;
    this.settings = settings;
    this.client = client;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("gateway-poller"));
    // what a follower records, it records under this poller's lock
    this.shared =
        new PodFollower.Shared(
            this,
            store,
            settings,
            clock,
            new AgentStateFetcher(client, settings.maxStateBytes()),
            new AgentPortCheck(scheduler),
            scheduler);
  }

  /**
   * Builds the agents' client and rehearses its first handshake in memory ({@link
   * AgentClient#rehearse}) on a thread of its own, and returns at once: the operator's first poll
   * of a new gateway is then not the JVM's first mutual-TLS handshake (issue 17: 2 to 3 s in a
   * fresh operator). Nothing when polling is off.
   */
  public void rehearseFirstHandshake() {
    if (!settings.enabled()) {
      return;
    }
    DaemonThreads.named("gateway-poller-rehearsal")
        .newThread(
            () -> {
              try {
                HandshakeRehearsal.Outcome outcome = client.rehearse();
                LOG.info(
                    "agent client: first handshake rehearsed in memory in {} ms ({})",
                    outcome.took().toMillis(),
                    outcome
                        .refusal()
                        .map(r -> "own certificate refused: " + r)
                        .orElse("completed"));
              } catch (RuntimeException e) {
                // only a warm-up: the first poll does the same work and reports its own failure
                LOG.debug("agent client: handshake rehearsal failed", e);
              }
            })
        .start();
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
  /**
   * How often at most a gateway's reports reconcile it ({@link AgentPolling#gatewayStatusEvery}).
   */
  public Duration gatewayStatusEvery() {
    return settings.gatewayStatusEvery();
  }

  public synchronized int following(GatewayStateStore.GatewayId gateway) {
    return followers.getOrDefault(gateway, Map.of()).size();
  }

  private void reconcileFollowers(GatewayStateStore.GatewayId gateway, Set<Target> targets) {
    Map<String, PodFollower> current =
        followers.computeIfAbsent(gateway, g -> new ConcurrentHashMap<>());
    current
        .values()
        .removeIf(
            f -> {
              boolean gone = !targets.contains(f.target());
              if (gone) {
                f.stop();
              }
              return gone;
            });
    for (Target t : targets) {
      current.computeIfAbsent(
          t.pod(),
          p -> {
            PodFollower f = new PodFollower(shared, gateway, t);
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
    followers.values().forEach(m -> m.values().forEach(PodFollower::stop));
    followers.clear();
    scheduler.shutdownNow();
    client.close();
  }

  @Override
  public String toString() {
    return "GatewayPoller" + Objects.toString(followers.keySet());
  }
}
