package dev.ipsec.operator.agent.metrics;

import dev.ipsec.operator.agent.AgentMetric;
import dev.ipsec.operator.agent.http.StateApiServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Metrics of the state API: {@code ipsec_agent_state_long_polls_waiting} and {@code
 * ipsec_agent_state_long_polls_refused_total} (answered 429 at the bound), which show a client that
 * polls more than the operator should.
 */
public final class StateApiMetrics {

  private StateApiMetrics() {}

  public static void register(StateApiServer server, MeterRegistry registry) {
    Gauge.builder(
            AgentMetric.STATE_LONG_POLLS_WAITING.meterName(),
            server,
            StateApiServer::waitingLongPolls)
        .description(AgentMetric.STATE_LONG_POLLS_WAITING.help())
        .register(registry);
    FunctionCounter.builder(
            AgentMetric.STATE_LONG_POLLS_REFUSED.meterName(),
            server,
            StateApiServer::refusedLongPolls)
        .description(AgentMetric.STATE_LONG_POLLS_REFUSED.help())
        .register(registry);
  }
}
