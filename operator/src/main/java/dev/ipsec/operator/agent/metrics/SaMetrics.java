package dev.ipsec.operator.agent.metrics;

import dev.ipsec.operator.agent.AgentMetric;
import dev.ipsec.operator.agent.state.SaStateTracker;
import dev.ipsec.operator.agent.state.TrafficCounters;
import dev.ipsec.operator.agent.wire.StateSnapshot;
import dev.ipsec.operator.agent.wire.StateSnapshot.ChildSaState;
import dev.ipsec.operator.agent.wire.StateSnapshot.ConnectionState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * SA metrics from the {@link SaStateTracker}, labelled by connection and child name only (never
 * SPIs, addresses or selectors, so the number of series is bounded by the configuration):
 *
 * <ul>
 *   <li>{@code ipsec_agent_ike_sa_up{connection}}: 1 while the connection's IKE SA is ESTABLISHED;
 *   <li>{@code ipsec_agent_child_sa_up{connection,child}}: 1 while the child is INSTALLED;
 *   <li>{@code ipsec_agent_child_sa_next_rekey_timestamp_seconds{connection,child}}: when charon
 *       rekeys the child; a time in the past means the rekey is failing (charon retries it);
 *   <li>{@code ipsec_agent_child_sa_bytes_total{connection,child,direction}} and {@code
 *       ipsec_agent_child_sa_packets_total{...}}: traffic through the child since the agent
 *       started, over all its CHILD SAs ({@code direction} is {@code in} or {@code out});
 *   <li>{@code ipsec_agent_ike_rekeys_total{connection}}, {@code
 *       ipsec_agent_child_rekeys_total{connection}};
 *   <li>{@code ipsec_agent_dpd_peer_dead_total{connection}}: dead-peer detections.
 * </ul>
 *
 * Series of a connection or child that disappears are removed. {@link #refresh()} runs before each
 * scrape.
 */
public final class SaMetrics {

  private final MeterRegistry registry;
  private final SaStateTracker tracker;
  private final Map<String, List<Meter>> meters = new HashMap<>();
  private volatile Map<String, ConnectionState> connections = Map.of();
  private volatile Map<String, TrafficCounters> traffic = Map.of();

  public SaMetrics(MeterRegistry registry, SaStateTracker tracker) {
    this.registry = registry;
    this.tracker = tracker;
  }

  public synchronized void refresh() {
    StateSnapshot snapshot = tracker.snapshot();
    Map<String, TrafficCounters> byChild = new HashMap<>();
    for (TrafficCounters t : tracker.traffic()) {
      byChild.put(t.connection() + "\u0000" + t.child(), t);
    }
    connections = snapshot.connections();
    traffic = byChild;

    Set<String> present = new HashSet<>();
    snapshot
        .connections()
        .forEach(
            (conn, state) -> {
              present.add(register("conn\u0000" + conn, () -> connectionMeters(conn)));
              state
                  .children()
                  .keySet()
                  .forEach(
                      child ->
                          present.add(
                              register(
                                  "child\u0000" + conn + "\u0000" + child,
                                  () -> childMeters(conn, child))));
            });
    byChild
        .values()
        .forEach(
            t ->
                present.add(
                    register(
                        "traffic\u0000" + t.connection() + "\u0000" + t.child(),
                        () -> trafficMeters(t.connection(), t.child()))));
    meters
        .entrySet()
        .removeIf(
            e -> {
              if (present.contains(e.getKey())) {
                return false;
              }
              e.getValue().forEach(registry::remove);
              return true;
            });
  }

  private String register(String key, Supplier<List<Meter>> create) {
    meters.computeIfAbsent(key, k -> create.get());
    return key;
  }

  private List<Meter> connectionMeters(String conn) {
    return List.of(
        Gauge.builder(
                AgentMetric.IKE_SA_UP.meterName(),
                this,
                m ->
                    connection(
                        m,
                        conn,
                        c -> c.ikeSa() != null && "ESTABLISHED".equals(c.ikeSa().state()) ? 1 : 0))
            .tag("connection", conn)
            .description("1 while the connection's IKE SA is ESTABLISHED")
            .register(registry),
        connectionCounter(
            AgentMetric.IKE_REKEYS,
            conn,
            "IKE SA rekeys seen since the agent started",
            c -> c.rekeys() == null ? 0 : c.rekeys().ikeRekeys()),
        connectionCounter(
            AgentMetric.CHILD_REKEYS,
            conn,
            "CHILD SA rekeys seen since the agent started",
            c -> c.rekeys() == null ? 0 : c.rekeys().childRekeys()),
        connectionCounter(
            AgentMetric.DPD_PEER_DEAD,
            conn,
            "Peers declared dead by dead-peer detection",
            c -> c.deadPeerDetection() == null ? 0 : c.deadPeerDetection().count()));
  }

  private Meter connectionCounter(
      AgentMetric metric,
      String conn,
      String description,
      ToDoubleFunction<ConnectionState> count) {
    return FunctionCounter.builder(metric.meterName(), this, m -> connection(m, conn, count))
        .tag("connection", conn)
        .description(description)
        .register(registry);
  }

  private List<Meter> childMeters(String conn, String child) {
    return List.of(
        Gauge.builder(
                AgentMetric.CHILD_SA_UP.meterName(),
                this,
                m -> {
                  ConnectionState c = m.connections.get(conn);
                  return c != null
                          && c.children().containsKey(child)
                          && "INSTALLED".equals(c.children().get(child).state())
                      ? 1
                      : 0;
                })
            .tags("connection", conn, "child", child)
            .description("1 while the child's CHILD SA is INSTALLED")
            .register(registry),
        Gauge.builder(
                AgentMetric.CHILD_SA_NEXT_REKEY.meterName(),
                this,
                m -> {
                  // NaN (no sample) while there is no CHILD SA or it is not rekeyed
                  ConnectionState c = m.connections.get(conn);
                  ChildSaState sa = c == null ? null : c.children().get(child);
                  return sa == null || sa.nextRekeyAt() == null
                      ? Double.NaN
                      : sa.nextRekeyAt().getEpochSecond();
                })
            .tags("connection", conn, "child", child)
            .description(AgentMetric.CHILD_SA_NEXT_REKEY.help())
            .register(registry));
  }

  private List<Meter> trafficMeters(String conn, String child) {
    String key = conn + "\u0000" + child;
    List<Meter> list = new ArrayList<>();
    list.add(
        trafficCounter(
            AgentMetric.CHILD_SA_BYTES.meterName(),
            conn,
            child,
            "in",
            key,
            TrafficCounters::bytesIn));
    list.add(
        trafficCounter(
            AgentMetric.CHILD_SA_BYTES.meterName(),
            conn,
            child,
            "out",
            key,
            TrafficCounters::bytesOut));
    list.add(
        trafficCounter(
            AgentMetric.CHILD_SA_PACKETS.meterName(),
            conn,
            child,
            "in",
            key,
            TrafficCounters::packetsIn));
    list.add(
        trafficCounter(
            AgentMetric.CHILD_SA_PACKETS.meterName(),
            conn,
            child,
            "out",
            key,
            TrafficCounters::packetsOut));
    return list;
  }

  private Meter trafficCounter(
      String name,
      String conn,
      String child,
      String direction,
      String key,
      ToDoubleFunction<TrafficCounters> value) {
    return FunctionCounter.builder(
            name,
            this,
            m -> {
              TrafficCounters t = m.traffic.get(key);
              return t == null ? 0 : value.applyAsDouble(t);
            })
        .tags("connection", conn, "child", child, "direction", direction)
        .description("Traffic through the child since the agent started")
        .register(registry);
  }

  private static double connection(SaMetrics m, String conn, ToDoubleFunction<ConnectionState> f) {
    ConnectionState c = m.connections.get(conn);
    return c == null ? 0 : f.applyAsDouble(c);
  }
}
