package dev.ipsec.operator.agent;

import java.util.List;

/**
 * The Prometheus metrics a gateway agent exports on {@code /metrics} (as documented in {@code
 * docs/agent.md} and registered by {@code agent.metrics.LoaderMetrics} and {@code SaMetrics}, which
 * register every meter by {@link #meterName()}): the list the chart's Grafana dashboard is checked
 * against, so the two cannot drift.
 *
 * <p>Labels are bounded to connection and child names, certificate file names, plus small fixed
 * sets ({@code kind}, {@code command}, {@code direction}): never SPIs, addresses or traffic
 * selectors, so a gateway's series count grows with its configuration only.
 */
public enum AgentMetric {
  CONFIG_LOADS(
      "ipsec_agent_config_loads_total",
      Type.COUNTER,
      "Configuration applies: full loads and incremental applies that changed something.",
      "kind"),
  CONNECTIONS_LOADED(
      "ipsec_agent_connections_loaded", Type.GAUGE, "Connections loaded into charon by the agent."),
  LOAD_ERRORS(
      "ipsec_agent_load_errors",
      Type.GAUGE,
      "Items (connection, secret, credential, file) currently failing to read or load.",
      "kind"),
  CONNECTION_LOAD_ERROR(
      "ipsec_agent_connection_load_error",
      Type.GAUGE,
      "1 for each connection currently failing to load.",
      "connection"),
  VICI_COMMANDS(
      "ipsec_agent_vici_commands_total",
      Type.COUNTER,
      "VICI commands sent to charon by the loader.",
      "command"),
  CHARON_UP("ipsec_agent_charon_up", Type.GAUGE, "1 while charon answers over VICI."),
  CHARON_RESTARTS(
      "ipsec_agent_charon_restarts_total",
      Type.COUNTER,
      "charon restarts seen (each triggers a full load)."),
  IKE_SA_UP(
      "ipsec_agent_ike_sa_up",
      Type.GAUGE,
      "1 while the connection's IKE SA is ESTABLISHED.",
      "connection"),
  CHILD_SA_UP(
      "ipsec_agent_child_sa_up",
      Type.GAUGE,
      "1 while the CHILD SA is INSTALLED.",
      "connection",
      "child"),
  CHILD_SA_BYTES(
      "ipsec_agent_child_sa_bytes_total",
      Type.COUNTER,
      "Bytes through the child since the agent started, by direction (in, out).",
      "connection",
      "child",
      "direction"),
  CHILD_SA_PACKETS(
      "ipsec_agent_child_sa_packets_total",
      Type.COUNTER,
      "Packets through the child since the agent started, by direction (in, out).",
      "connection",
      "child",
      "direction"),
  IKE_REKEYS("ipsec_agent_ike_rekeys_total", Type.COUNTER, "IKE SA rekeys seen.", "connection"),
  CHILD_REKEYS(
      "ipsec_agent_child_rekeys_total", Type.COUNTER, "CHILD SA rekeys seen.", "connection"),
  DPD_PEER_DEAD(
      "ipsec_agent_dpd_peer_dead_total",
      Type.COUNTER,
      "Peers declared dead by dead-peer detection.",
      "connection"),
  CHILD_SA_NEXT_REKEY(
      "ipsec_agent_child_sa_next_rekey_timestamp_seconds",
      Type.GAUGE,
      "When charon rekeys the CHILD SA (Unix time); in the past while its rekey keeps failing.",
      "connection",
      "child"),
  CERTIFICATE_EXPIRY(
      "ipsec_agent_certificate_expiry_timestamp_seconds",
      Type.GAUGE,
      "When a certificate loaded into charon expires (Unix time), by its file in the volume.",
      "file"),
  BUILD_INFO(
      "ipsec_agent_build_info",
      Type.GAUGE,
      "Always 1: the labels say which release and which Java the agent runs.",
      "version",
      "java_version"),
  STATE_LONG_POLLS_WAITING(
      "ipsec_agent_state_long_polls_waiting",
      Type.GAUGE,
      "Long-polls of the state API waiting for a change."),
  STATE_LONG_POLLS_REFUSED(
      "ipsec_agent_state_long_polls_refused_total",
      Type.COUNTER,
      "Long-polls of the state API answered 429 because the bound of waiting ones was reached.");

  /** The Prometheus metric type, which decides the exposition suffix. */
  public enum Type {
    GAUGE,
    COUNTER
  }

  private static final String COUNTER_SUFFIX = "_total";

  /** What Prometheus shows of a metric: its name, type, help text and label names. */
  private record Exposition(String name, Type type, String help, List<String> labels) {}

  private final Exposition exposition;

  AgentMetric(String prometheusName, Type type, String help, String... labels) {
    this.exposition = new Exposition(prometheusName, type, help, List.of(labels));
  }

  /** The name as scraped from {@code /metrics} and named in PromQL. */
  public String prometheusName() {
    return exposition.name();
  }

  /**
   * The Micrometer meter name that Micrometer's Prometheus naming convention turns into {@link
   * #prometheusName()}: dots for underscores, and without the {@code _total} that Micrometer
   * appends to counters itself.
   */
  public String meterName() {
    String name = exposition.name();
    String base =
        exposition.type() == Type.COUNTER && name.endsWith(COUNTER_SUFFIX)
            ? name.substring(0, name.length() - COUNTER_SUFFIX.length())
            : name;
    return base.replace('_', '.');
  }

  public Type type() {
    return exposition.type();
  }

  public String help() {
    return exposition.help();
  }

  /** Tag keys, in order. */
  public List<String> labels() {
    return exposition.labels();
  }
}
