package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.volume.ConfigVolumePlanner;
import java.util.Objects;

/**
 * What the operator fills in for a gateway that does not say: the images, the agent's ports, how
 * large one rendered ConfigMap or Secret may grow and where the pods run.
 *
 * @param charonImage strongSwan image for the {@code charon} container
 * @param agentImage this project's image for the {@code agent} container
 * @param agentPort the port the agent serves its state API on (HTTPS, the operator only)
 * @param agentMetricsPort the agent's plain HTTP port: /metrics, /healthz, /readyz
 * @param maxShardBytes upper bound of one shard's data (the API server's limit is 1 MiB), at least
 *     {@link ConfigVolumePlanner#MIN_OBJECT_BYTES}
 * @param pod placement and pull Secrets of the pods, for what the IpsecGlobal does not set
 */
public record GatewayDefaults(
    String charonImage,
    String agentImage,
    int agentPort,
    int agentMetricsPort,
    int maxShardBytes,
    GatewayPodDefaults pod) {

  public static final int DEFAULT_MAX_SHARD_BYTES = 900 * 1024;
  public static final int DEFAULT_AGENT_PORT = 9460;
  public static final int DEFAULT_AGENT_METRICS_PORT = 9461;

  public GatewayDefaults(
      String charonImage,
      String agentImage,
      int agentPort,
      int agentMetricsPort,
      int maxShardBytes) {
    this(
        charonImage,
        agentImage,
        agentPort,
        agentMetricsPort,
        maxShardBytes,
        GatewayPodDefaults.none());
  }

  public GatewayDefaults {
    Objects.requireNonNull(pod, "pod");
    if (agentPort < 1 || agentPort > 65535) {
      throw new IllegalArgumentException("agent port must be 1-65535, not " + agentPort);
    }
    if (agentMetricsPort < 1 || agentMetricsPort > 65535 || agentMetricsPort == agentPort) {
      throw new IllegalArgumentException(
          "agent metrics port must be 1-65535 and not the agent port, not " + agentMetricsPort);
    }
    if (maxShardBytes < ConfigVolumePlanner.MIN_OBJECT_BYTES) {
      throw new IllegalArgumentException(
          "a shard must hold at least "
              + ConfigVolumePlanner.MIN_OBJECT_BYTES
              + " bytes: the root objects list up to 32 shard manifests");
    }
  }

  public static GatewayDefaults defaults() {
    return new GatewayDefaults(
        "ghcr.io/ipsec-operator/strongswan:5.9.8-5-deb12u6",
        "ghcr.io/ipsec-operator/ipsec-operator:0.1.0",
        DEFAULT_AGENT_PORT,
        DEFAULT_AGENT_METRICS_PORT,
        DEFAULT_MAX_SHARD_BYTES);
  }

  public GatewayDefaults withMaxShardBytes(int bytes) {
    return new GatewayDefaults(charonImage, agentImage, agentPort, agentMetricsPort, bytes, pod);
  }

  public GatewayDefaults withAgentPorts(int state, int metrics) {
    return new GatewayDefaults(charonImage, agentImage, state, metrics, maxShardBytes, pod);
  }

  public GatewayDefaults withPod(GatewayPodDefaults p) {
    return new GatewayDefaults(
        charonImage, agentImage, agentPort, agentMetricsPort, maxShardBytes, p);
  }
}
