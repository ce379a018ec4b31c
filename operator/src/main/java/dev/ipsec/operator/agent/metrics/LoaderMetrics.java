package dev.ipsec.operator.agent.metrics;

import dev.ipsec.operator.agent.AgentMetric;
import dev.ipsec.operator.agent.GatewayAgent;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Metrics of the loader half of the agent (names as Prometheus shows them):
 *
 * <ul>
 *   <li>{@code ipsec_agent_config_loads_total{kind="full"|"incremental"}}: applies that changed
 *       something (every full load counts);
 *   <li>{@code ipsec_agent_connections_loaded}: connections loaded by the agent;
 *   <li>{@code ipsec_agent_load_errors{kind="connection"|"secret"|"credential"|"file"}}: items
 *       currently failing to read or load;
 *   <li>{@code ipsec_agent_connection_load_error{connection}}: 1 for each connection currently
 *       failing;
 *   <li>{@code ipsec_agent_vici_commands_total{command}}: loader commands sent to charon;
 *   <li>{@code ipsec_agent_charon_up}: 1 while charon answers over VICI;
 *   <li>{@code ipsec_agent_charon_restarts_total}: charon restarts seen (each triggers a full
 *       load);
 *   <li>{@code ipsec_agent_certificate_expiry_timestamp_seconds{file}}: when each certificate
 *       loaded into charon expires, so that an alert can warn before a tunnel stops authenticating.
 * </ul>
 */
public final class LoaderMetrics {

  private final GatewayAgent agent;
  private final MultiGauge connectionErrors;
  private final MultiGauge certificateExpiry;

  public LoaderMetrics(GatewayAgent agent, MeterRegistry registry) {
    this.agent = agent;
    Counter full = configLoads(registry, "full");
    Counter incremental = configLoads(registry, "incremental");
    agent.onApply(
        result -> {
          if (result.full()) {
            full.increment();
          } else if (!result.actions().isEmpty()) {
            incremental.increment();
          }
        });
    agent
        .loaderChannel()
        .onCommand(
            (command, target) ->
                Counter.builder(AgentMetric.VICI_COMMANDS.meterName())
                    .tag("command", command)
                    .description("VICI commands sent by the loader")
                    .register(registry)
                    .increment());
    Gauge.builder(
            AgentMetric.CONNECTIONS_LOADED.meterName(),
            agent,
            a -> a.loaderStatus().connectionsLoaded())
        .description("Connections loaded into charon by the agent")
        .register(registry);
    for (String kind : List.of("connection", "secret", "credential", "file")) {
      Gauge.builder(AgentMetric.LOAD_ERRORS.meterName(), agent, a -> errors(a.loaderStatus(), kind))
          .tag("kind", kind)
          .description("Configuration items currently failing to read or load")
          .register(registry);
    }
    Gauge.builder(
            AgentMetric.CHARON_UP.meterName(), agent, a -> a.charonStatus().reachable() ? 1 : 0)
        .description("1 while charon answers over VICI")
        .register(registry);
    FunctionCounter.builder(
            AgentMetric.CHARON_RESTARTS.meterName(), agent, a -> a.charonStatus().restarts())
        .description("charon restarts seen by the agent")
        .register(registry);
    connectionErrors =
        MultiGauge.builder(AgentMetric.CONNECTION_LOAD_ERROR.meterName())
            .description(
                "1 for each connection whose configuration currently fails to read or load")
            .register(registry);
    certificateExpiry =
        MultiGauge.builder(AgentMetric.CERTIFICATE_EXPIRY.meterName())
            .description(AgentMetric.CERTIFICATE_EXPIRY.help())
            .register(registry);
    agent.onApply(result -> refresh());
  }

  /** Re-publishes the per-connection error series (called after each apply). */
  public void refresh() {
    connectionErrors.register(
        agent.loaderStatus().connections().stream()
            .filter(c -> c.error() != null)
            .map(c -> MultiGauge.Row.of(Tags.of("connection", c.name()), 1))
            .toList(),
        true);
    certificateExpiry.register(
        agent.certificatesNotAfter().entrySet().stream()
            .map(e -> MultiGauge.Row.of(Tags.of("file", e.getKey()), e.getValue().getEpochSecond()))
            .toList(),
        true);
  }

  private static Counter configLoads(MeterRegistry registry, String kind) {
    return Counter.builder(AgentMetric.CONFIG_LOADS.meterName())
        .tag("kind", kind)
        .description(
            "Configuration applies (full loads and incremental applies that changed something)")
        .register(registry);
  }

  private static double errors(LoaderStatus status, String kind) {
    return switch (kind) {
      case "connection" -> status.connections().stream().filter(c -> c.error() != null).count();
      case "secret" -> status.secretErrors().size();
      case "credential" -> status.credentialErrors().size();
      default -> status.fileErrors().size();
    };
  }
}
