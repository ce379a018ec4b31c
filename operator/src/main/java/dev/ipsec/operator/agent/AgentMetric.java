package dev.ipsec.operator.agent;

import java.util.List;

/**
 * The Prometheus metrics a gateway agent exports on {@code /metrics}: the one list that the agent
 * registers its meters from and that the chart's Grafana dashboard is checked against.
 *
 * <p>Labels are bounded to connection and child names (plus small fixed sets such as the DPD
 * action): never SPIs, addresses or traffic selectors, so a gateway's series count grows with
 * its configuration only.
 */
public enum AgentMetric {
  CHARON_UP("ipsec_agent_charon_up", Type.GAUGE,
      "1 while the agent is connected to charon over VICI, else 0."),
  CONNECTIONS_LOADED("ipsec_agent_connections_loaded", Type.GAUGE,
      "Connections loaded into charon."),
  CONFIG_LOAD_ERRORS("ipsec_agent_config_load_errors", Type.GAUGE,
      "Configuration items (connections, secrets, keys) whose last load failed."),
  IKE_SA_ESTABLISHED("ipsec_agent_ike_sa_established", Type.GAUGE,
      "1 while the connection's IKE SA is ESTABLISHED, else 0.", "connection"),
  CHILD_SA_INSTALLED("ipsec_agent_child_sa_installed", Type.GAUGE,
      "1 while the child's CHILD SA is INSTALLED, else 0.", "connection", "child"),
  CHILD_SA_IN_BYTES("ipsec_agent_child_sa_in_bytes_total", Type.COUNTER,
      "Bytes received through the child's SAs.", "connection", "child"),
  CHILD_SA_OUT_BYTES("ipsec_agent_child_sa_out_bytes_total", Type.COUNTER,
      "Bytes sent through the child's SAs.", "connection", "child"),
  CHILD_SA_IN_PACKETS("ipsec_agent_child_sa_in_packets_total", Type.COUNTER,
      "Packets received through the child's SAs.", "connection", "child"),
  CHILD_SA_OUT_PACKETS("ipsec_agent_child_sa_out_packets_total", Type.COUNTER,
      "Packets sent through the child's SAs.", "connection", "child"),
  IKE_REKEYS("ipsec_agent_ike_rekeys_total", Type.COUNTER,
      "IKE SA rekeys (ike-rekey events).", "connection"),
  CHILD_REKEYS("ipsec_agent_child_rekeys_total", Type.COUNTER,
      "CHILD SA rekeys (child-rekey events).", "connection", "child"),
  DPD_EVENTS("ipsec_agent_dpd_events_total", Type.COUNTER,
      "Peers declared dead by dead-peer detection, by the action taken (clear, trap, restart).",
      "connection", "action"),
  SA_FAILURES("ipsec_agent_sa_failures_total", Type.COUNTER,
      "Failed IKE negotiations by reason (authentication_failed, no_proposal_chosen,"
          + " peer_not_responding, other).",
      "connection", "reason"),
  VICI_COMMANDS("ipsec_agent_vici_commands_total", Type.COUNTER,
      "VICI commands sent to charon, by command.", "command");

  /** The Prometheus metric type, which decides the exposition suffix. */
  public enum Type { GAUGE, COUNTER }

  private static final String COUNTER_SUFFIX = "_total";

  private final String prometheusName;
  private final Type type;
  private final String help;
  private final List<String> labels;

  AgentMetric(String prometheusName, Type type, String help, String... labels) {
    this.prometheusName = prometheusName;
    this.type = type;
    this.help = help;
    this.labels = List.of(labels);
  }

  /** The name as scraped from {@code /metrics} and named in PromQL. */
  public String prometheusName() {
    return prometheusName;
  }

  /**
   * The Micrometer meter name that Micrometer's Prometheus naming convention turns into
   * {@link #prometheusName()}: dots for underscores, and without the {@code _total} that
   * Micrometer appends to counters itself.
   */
  public String meterName() {
    String base = type == Type.COUNTER && prometheusName.endsWith(COUNTER_SUFFIX)
        ? prometheusName.substring(0, prometheusName.length() - COUNTER_SUFFIX.length())
        : prometheusName;
    return base.replace('_', '.');
  }

  public Type type() {
    return type;
  }

  public String help() {
    return help;
  }

  /** Tag keys, in order. */
  public List<String> labels() {
    return labels;
  }
}
