package dev.ipsec.operator.chart;

import dev.ipsec.operator.reconcile.gateway.GatewayDeployment;
import java.util.Map;

/**
 * What the chart assumes about the gateway pods the operator creates (see {@code
 * ipsec-operator.gatewaySelectorLabels} in the chart's _helpers.tpl): the NetworkPolicy and the
 * PodMonitor select them by these labels and scrape the agent's plain metrics port by this name.
 */
final class GatewayPods {
  static final Map<String, String> LABELS =
      Map.of(
          "app.kubernetes.io/name", "ipsec-gateway",
          "app.kubernetes.io/managed-by", "ipsec-operator");
  static final String AGENT_METRICS_PORT_NAME = GatewayDeployment.AGENT_METRICS_PORT_NAME;

  private GatewayPods() {}
}
