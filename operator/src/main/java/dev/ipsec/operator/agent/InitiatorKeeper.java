package dev.ipsec.operator.agent;

import dev.ipsec.operator.agent.swanctl.DesiredConfig;
import dev.ipsec.operator.agent.swanctl.SectionSpec;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.agent.wire.StateSnapshot;
import dev.ipsec.operator.agent.wire.StateSnapshot.ConnectionState;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciCommandException;
import dev.ipsec.operator.vici.ViciCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps trying the connections this gateway initiates (children with {@code start_action = start},
 * VyOS's {@code connection-type initiate}) after charon has given up on them.
 *
 * <p>charon repeats an initiation only after retransmission timeouts ({@code keyingtries = 0}). An
 * answer that refuses the attempt is final: {@code NO_PROPOSAL_CHOSEN} from a responder that has
 * not loaded its side yet, or {@code AUTHENTICATION_FAILED} while the two sides' secrets disagree,
 * destroys the IKE SA and nothing tries again (docs/reference/strongswan-in-tests.md). In a cluster
 * the two gateways start in any order and a wrong Secret is fixed after the fact, so without this
 * the tunnel would stay down until someone restarted the pod.
 *
 * <p>A connection counts as given up when it is loaded, has no IKE SA in the tracked state and
 * charon confirms that with a filtered {@code list-sas}. It is then initiated again with
 * exponential backoff per connection ({@link #FIRST_RETRY} doubling up to {@link #MAX_RETRY}), so a
 * peer that keeps refusing costs one IKE_SA_INIT exchange per {@code MAX_RETRY}. The backoff resets
 * once the connection has an established IKE SA. Connections that charon is still negotiating are
 * left alone.
 *
 * <p>The first retry comes soon: when two new gateways start together, the initiator's first
 * attempt usually meets a responder that has not loaded its side yet, which answers within
 * milliseconds and is loaded a moment later; waiting seconds for the retry would be most of the
 * tunnel's start time. Each retry is confirmed by {@code list-sas} first, so an early look never
 * doubles an attempt charon is still making, and the doubling bounds what a refusing peer costs
 * (seven attempts in the first minute where a first retry after 2 s made five, then one per {@code
 * MAX_RETRY}).
 *
 * <p>Runs on the agent loop thread; initiations do not wait for the outcome. {@link #check} says
 * when it wants to be called next, so retries need not wait for the agent's next probe.
 */
final class InitiatorKeeper {

  static final Duration FIRST_RETRY = Duration.ofMillis(250);
  static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(InitiatorKeeper.class);

  private final ViciCommands vici;
  private final Supplier<StateSnapshot> state;
  private final Clock clock;
  private final Duration firstRetry;
  private final Duration maxRetry;
  private final Map<String, Backoff> givenUp = new HashMap<>();

  /** When a connection without IKE SA is looked at next, and how long to wait after that. */
  private record Backoff(Instant next, Duration delay, int attempts) {}

  InitiatorKeeper(
      ViciClient client,
      Supplier<StateSnapshot> state,
      Clock clock,
      Duration firstRetry,
      Duration maxRetry) {
    this.vici = new ViciCommands(client);
    this.state = state;
    this.clock = clock;
    this.firstRetry = firstRetry;
    this.maxRetry = maxRetry;
  }

  /**
   * The children to start per connection: connections charon holds from this agent whose desired
   * configuration has children with {@code start_action = start}, in file order.
   */
  static Map<String, List<String>> initiatingChildren(DesiredConfig desired, LoaderStatus loaded) {
    Set<String> inCharon =
        loaded.connections().stream()
            .filter(LoaderStatus.Connection::loaded)
            .filter(LoaderStatus.Connection::current)
            .map(LoaderStatus.Connection::name)
            .collect(Collectors.toSet());
    Map<String, List<String>> initiating = new LinkedHashMap<>();
    for (SectionSpec spec : desired.connections().values()) {
      if (!inCharon.contains(spec.name())) {
        continue;
      }
      List<String> children =
          spec.request()
              .section(spec.name())
              .flatMap(conn -> conn.section("children"))
              .map(
                  c ->
                      c.sections().entrySet().stream()
                          .filter(
                              child -> "start".equals(child.getValue().string("start_action", "")))
                          .map(Map.Entry::getKey)
                          .toList())
              .orElse(List.of());
      if (!children.isEmpty()) {
        initiating.put(spec.name(), children);
      }
    }
    return initiating;
  }

  /**
   * Initiates, once its backoff has passed, every connection in {@code initiating} that charon gave
   * up on; returns when the next of them is due, empty when none is down.
   */
  Optional<Instant> check(Map<String, List<String>> initiating) {
    givenUp.keySet().retainAll(initiating.keySet());
    if (initiating.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Map<String, ConnectionState> tracked = state.get().connections();
    for (Map.Entry<String, List<String>> entry : initiating.entrySet()) {
      String name = entry.getKey();
      ConnectionState connection = tracked.get(name);
      if (connection != null && connection.ikeSa() != null) {
        if ("ESTABLISHED".equals(connection.ikeSa().state())) {
          givenUp.remove(name);
        }
        continue; // up, or charon is still negotiating it
      }
      Backoff backoff = givenUp.get(name);
      if (backoff == null) {
        // charon starts a connection itself when it is loaded: give that attempt time to show up
        givenUp.put(name, new Backoff(now.plus(firstRetry), firstRetry, 0));
      } else if (!now.isBefore(backoff.next())) {
        givenUp.put(name, retry(name, entry.getValue(), backoff, now));
      }
    }
    return givenUp.values().stream().map(Backoff::next).min(Instant::compareTo);
  }

  private Backoff retry(String name, List<String> children, Backoff backoff, Instant now) {
    if (hasIkeSa(name)) {
      return new Backoff(
          now.plus(firstRetry), backoff.delay(), backoff.attempts()); // tracked state is behind
    }
    int attempt = backoff.attempts() + 1;
    Duration doubled = backoff.delay().multipliedBy(2);
    Duration next = doubled.compareTo(maxRetry) > 0 ? maxRetry : doubled;
    LOG.info(
        "{}: no IKE SA and charon has stopped trying; initiating again (attempt {}, next check in"
            + " {} ms)",
        name,
        attempt,
        next.toMillis());
    for (String child : children) {
      try {
        vici.initiate(child, Optional.of(name), Duration.ZERO); // returns at once
      } catch (ViciCommandException e) {
        LOG.warn("{}: initiating child {} failed: {}", name, child, e.getMessage());
      }
    }
    return new Backoff(now.plus(next), next, attempt);
  }

  private boolean hasIkeSa(String name) {
    return vici.listSas(true, Optional.of(name)).stream()
        .anyMatch(sa -> sa.section(name).isPresent());
  }
}
