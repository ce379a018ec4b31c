package dev.ipsec.operator.agent.metrics;

import dev.ipsec.operator.agent.AgentMetric;
import dev.ipsec.operator.agent.http.StateApiServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Metrics of the state API: {@code ipsec_agent_state_long_polls_waiting} and {@code
 * ipsec_agent_state_long_polls_refused_total} (answered 429 at the bound), which show a client that
 * polls more than the operator should.
 */
public final class StateApiMetrics {

  private StateApiMetrics() {}

  public static void register(StateApiServer server, MeterRegistry registry) {
    register(
        AgentMetric.STATE_LONG_POLLS_WAITING, server, StateApiServer::waitingLongPolls, registry);
    register(
        AgentMetric.STATE_LONG_POLLS_REFUSED, server, StateApiServer::refusedLongPolls, registry);
  }

  /**
   * A meter of the type, name and help the catalogue gives {@code metric}, read from the server.
   */
  private static void register(
      AgentMetric metric,
      StateApiServer server,
      ToDoubleFunction<StateApiServer> value,
      MeterRegistry registry) {
    switch (metric.type()) {
      case GAUGE ->
          Gauge.builder(metric.meterName(), server, value)
              .description(metric.help())
              .register(registry);
      case COUNTER ->
          FunctionCounter.builder(metric.meterName(), server, value)
              .description(metric.help())
              .register(registry);
    }
  }
}
