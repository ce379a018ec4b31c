package dev.ipsec.operator.reconcile.gateway;

import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.meta;
import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.name;
import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.workloadName;

import dev.ipsec.operator.api.v1alpha1.ContainerResources;
import dev.ipsec.operator.api.v1alpha1.GatewayWorkload;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.render.RenderOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The gateway Deployment: the pod's two containers (charon and the agent), their identities and
 * capabilities, the shared VICI socket, the projected configuration volume and the agent's TLS
 * Secret. A pure function of the gateway's settings.
 */
public final class GatewayDeployment {

  public static final String CONFIG_DIR = "/etc/swanctl";
  public static final String STRONGSWAN_DIR = "/etc/ipsec-operator/strongswan";
  public static final String VICI_DIR = "/run/vici";

  /** Where the agent container sees its TLS Secret ({@link AgentTlsSecrets}). */
  public static final String AGENT_TLS_DIR = "/etc/ipsec-operator/agent-tls";

  /** The agent's HTTPS state API, which only the operator may use. */
  public static final String AGENT_PORT_NAME = "agent";

  /** The agent's plain HTTP port: metrics and the kubelet's probes. */
  public static final String AGENT_METRICS_PORT_NAME = "agent-metrics";

  /** Non-root user of the agent container. */
  public static final long AGENT_UID = 65532;

  /**
   * The group that shares the VICI socket: charon's primary group, the agent's group and the pod's
   * fsGroup (so the emptyDir holding the socket belongs to it as well).
   */
  public static final long VICI_GID = 65532;

  /**
   * charon's capabilities. NET_ADMIN for XFRM, routes and (user-space ESP) the TUN device.
   * NET_BIND_SERVICE for UDP 500 and 4500: charon's socket-default plugin refuses to open any IKE
   * socket without it ("socket-default plugin requires CAP_NET_BIND_SERVICE capability"), even
   * where the runtime lowers net.ipv4.ip_unprivileged_port_start, and a hostNetwork pod gets the
   * node's setting anyway.
   */
  public static final List<String> CHARON_CAPABILITIES = List.of("NET_ADMIN", "NET_BIND_SERVICE");

  /**
   * charon's liveness probe: a VICI round trip with swanctl, in charon's container. A charon that
   * hangs keeps its process and socket, so only a question it must answer tells; {@code timeout}
   * bounds the question on its own as well, whatever the kubelet does with probe timeouts.
   */
  public static final List<String> CHARON_LIVENESS_COMMAND =
      List.of("timeout", "5", "swanctl", "--stats", "--uri", RenderOptions.DEFAULT_VICI_SOCKET_URI);

  private GatewayDeployment() {}

  /**
   * The gateway Deployment. The pod template depends only on the gateway's settings and the SHA-256
   * of strongswan.conf (charon reads it only at start, and runs only on that content: {@link
   * CharonCommand}); never on the peers, their files or how many shards hold them, so adding,
   * editing or removing a peer never restarts a pod.
   */
  static Deployment deployment(
      IpsecGlobal gw, GatewayDefaults defaults, String strongswanConfSha256) {
    String gateway = name(gw);
    GatewayWorkload w = workload(gw);
    boolean userSpaceEsp = Boolean.TRUE.equals(w.getUserSpaceEsp());
    Map<String, String> podLabels = new TreeMap<>(Labels.podSelector(gateway));
    podLabels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);

    List<Volume> volumes = GatewayVolumes.volumes(gateway, userSpaceEsp);

    Container charon =
        new ContainerBuilder()
            .withName("charon")
            .withImage(Optional.ofNullable(w.getImage()).orElse(defaults.charonImage()))
            .withImagePullPolicy(w.getImagePullPolicy())
            .withCommand(CharonCommand.command())
            .addNewEnv()
            .withName("STRONGSWAN_CONF")
            .withValue(STRONGSWAN_DIR + "/" + GatewayObjects.STRONGSWAN_CONF)
            .endEnv()
            .addNewEnv()
            .withName(CharonCommand.DIGEST_ENV)
            .withValue(strongswanConfSha256)
            .endEnv()
            .withVolumeMounts(GatewayVolumes.charonMounts(userSpaceEsp))
            .withResources(resources(w.getResources()))
            // after a minute without answers the kubelet restarts charon, not the agent
            .withNewLivenessProbe()
            .withNewExec()
            .withCommand(CHARON_LIVENESS_COMMAND)
            .endExec()
            .withPeriodSeconds(10)
            .withTimeoutSeconds(8)
            .withFailureThreshold(6)
            .endLivenessProbe()
            // root (charon needs its capabilities) with VICI_GID as primary group: charon
            // creates the socket with mode 0770 and, as its owner, gives it its own uid and gid,
            // so the agent gets in by the group. strongswan.conf's charon.group would instead make
            // charon setgid() itself, which needs CAP_SETGID (charon aborts without it) and a
            // group name in the image's /etc/group.
            .withNewSecurityContext()
            .withRunAsUser(0L)
            .withRunAsGroup(VICI_GID)
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("ALL")
            .withAdd(CHARON_CAPABILITIES)
            .endCapabilities()
            .endSecurityContext()
            .addNewPort()
            .withName("ike")
            .withProtocol("UDP")
            .withContainerPort(500)
            .endPort()
            .addNewPort()
            .withName("ike-natt")
            .withProtocol("UDP")
            .withContainerPort(4500)
            .endPort()
            .build();
    int port = defaults.agentPort();
    int metricsPort = defaults.agentMetricsPort();
    Container agent =
        new ContainerBuilder()
            .withName("agent")
            .withImage(Optional.ofNullable(w.getAgentImage()).orElse(defaults.agentImage()))
            .withImagePullPolicy(w.getImagePullPolicy())
            .withArgs(
                "agent",
                "--config-dir",
                CONFIG_DIR,
                "--vici",
                RenderOptions.DEFAULT_VICI_SOCKET_URI,
                "--listen",
                "0.0.0.0:" + port,
                "--probe-listen",
                "0.0.0.0:" + metricsPort,
                "--tls-cert",
                AGENT_TLS_DIR + "/" + AgentTlsSecrets.CERTIFICATE,
                "--tls-key",
                AGENT_TLS_DIR + "/" + AgentTlsSecrets.PRIVATE_KEY,
                "--client-ca",
                AGENT_TLS_DIR + "/" + AgentTlsSecrets.CA)
            .withVolumeMounts(GatewayVolumes.agentMounts())
            .withResources(resources(w.getAgentResources()))
            .addNewPort()
            .withName(AGENT_PORT_NAME)
            .withProtocol("TCP")
            .withContainerPort(port)
            .endPort()
            .addNewPort()
            .withName(AGENT_METRICS_PORT_NAME)
            .withProtocol("TCP")
            .withContainerPort(metricsPort)
            .endPort()
            // on the plain port, with threads of their own: never behind long-polls or handshakes
            .withNewReadinessProbe()
            .withNewHttpGet()
            .withPath("/readyz")
            .withNewPort(AGENT_METRICS_PORT_NAME)
            .endHttpGet()
            .withPeriodSeconds(5)
            .endReadinessProbe()
            .withNewLivenessProbe()
            .withNewHttpGet()
            .withPath("/healthz")
            .withNewPort(AGENT_METRICS_PORT_NAME)
            .endHttpGet()
            .withPeriodSeconds(10)
            .withFailureThreshold(6)
            .endLivenessProbe()
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(AGENT_UID)
            .withRunAsGroup(VICI_GID)
            .withReadOnlyRootFilesystem(true)
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .build();

    return new DeploymentBuilder()
        .withMetadata(meta(gw, workloadName(gateway), "gateway"))
        .withNewSpec()
        .withReplicas(Optional.ofNullable(w.getReplicas()).orElse(1))
        .withStrategy(strategy(w))
        .withNewSelector()
        .withMatchLabels(new TreeMap<>(Labels.podSelector(gateway)))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .withAnnotations(new TreeMap<>(Map.of(Labels.STRONGSWAN_CONF_HASH, strongswanConfSha256)))
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(workloadName(gateway))
        .withAutomountServiceAccountToken(false)
        .withHostNetwork(w.getHostNetwork())
        .withNodeSelector(GatewayPlacement.nodeSelector(w, defaults.pod()))
        .withTolerations(GatewayPlacement.tolerations(w, defaults.pod()))
        .withAffinity(GatewayPlacement.affinity(w, defaults.pod()))
        .withTopologySpreadConstraints(
            GatewayPlacement.topologySpreadConstraints(w, defaults.pod()))
        .withPriorityClassName(GatewayPlacement.priorityClassName(w, defaults.pod()))
        .withImagePullSecrets(GatewayPlacement.imagePullSecrets(w, defaults.pod()))
        // the emptyDir of the VICI socket belongs to the group (setgid), as do the projected files
        .withNewSecurityContext()
        .withFsGroup(VICI_GID)
        .endSecurityContext()
        .withContainers(charon, agent)
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * A hostNetwork pod holds UDP 500 and 4500 of its node, so a surge pod on the same node could
   * never start and the rollout would hang: the old pod goes first. Otherwise the new pod comes up
   * before the old one goes, so a rollout never leaves the gateway without a pod.
   */
  static DeploymentStrategy strategy(GatewayWorkload w) {
    if (Boolean.TRUE.equals(w.getHostNetwork())) {
      return new DeploymentStrategyBuilder().withType("Recreate").build();
    }
    return new DeploymentStrategyBuilder()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(new IntOrString(1))
        .withMaxUnavailable(new IntOrString(0))
        .endRollingUpdate()
        .build();
  }

  private static ResourceRequirements resources(ContainerResources r) {
    if (r == null) {
      return null;
    }
    return new ResourceRequirementsBuilder()
        .withRequests(
            r.getRequests() == null || r.getRequests().isEmpty()
                ? null
                : new TreeMap<>(r.getRequests()))
        .withLimits(
            r.getLimits() == null || r.getLimits().isEmpty() ? null : new TreeMap<>(r.getLimits()))
        .build();
  }

  public static GatewayWorkload workload(IpsecGlobal gw) {
    return gw.getSpec() == null || gw.getSpec().getGateway() == null
        ? new GatewayWorkload()
        : gw.getSpec().getGateway();
  }
}
