package dev.ipsec.operator.reconcile.gateway;

import static dev.ipsec.operator.reconcile.gateway.GatewayDeployment.AGENT_TLS_DIR;
import static dev.ipsec.operator.reconcile.gateway.GatewayDeployment.CONFIG_DIR;
import static dev.ipsec.operator.reconcile.gateway.GatewayDeployment.STRONGSWAN_DIR;
import static dev.ipsec.operator.reconcile.gateway.GatewayDeployment.VICI_DIR;
import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.agentTlsSecretName;
import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.configShardName;
import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.rootConfigMapName;
import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.rootSecretName;
import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.secretShardName;
import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.strongswanConfigMapName;

import dev.ipsec.operator.volume.ConfigShards;
import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The gateway pod's volumes and where each container mounts them: the VICI socket's emptyDir
 * (shared by charon and the agent), strongswan.conf for charon, the projected swanctl directory and
 * the state API's TLS Secret for the agent, and the TUN device for user-space ESP.
 */
final class GatewayVolumes {

  private GatewayVolumes() {}

  static List<Volume> volumes(String gateway, boolean userSpaceEsp) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName("vici")
            .withNewEmptyDir()
            .withMedium("Memory")
            .endEmptyDir()
            .build());
    volumes.add(
        new VolumeBuilder()
            .withName("strongswan")
            .withNewConfigMap()
            .withName(strongswanConfigMapName(gateway))
            .endConfigMap()
            .build());
    volumes.add(
        new VolumeBuilder()
            .withName("swanctl")
            .withNewProjected()
            .withDefaultMode(0440)
            .withSources(projections(gateway))
            .endProjected()
            .build());
    // the agent's certificate: a Secret volume, so a renewal reaches the agent by a ..data swap
    volumes.add(
        new VolumeBuilder()
            .withName("agent-tls")
            .withNewSecret()
            .withSecretName(agentTlsSecretName(gateway))
            .withDefaultMode(0440)
            .endSecret()
            .build());
    if (userSpaceEsp) {
      volumes.add(
          new VolumeBuilder()
              .withName("tun")
              .withNewHostPath()
              .withPath("/dev/net/tun")
              .withType("CharDevice")
              .endHostPath()
              .build());
    }

    return volumes;
  }

  static List<VolumeMount> charonMounts(boolean userSpaceEsp) {
    List<VolumeMount> mounts =
        new ArrayList<>(
            List.of(mount("vici", VICI_DIR, false), mount("strongswan", STRONGSWAN_DIR, true)));
    if (userSpaceEsp) {
      mounts.add(mount("tun", "/dev/net/tun", false));
    }
    return mounts;
  }

  static List<VolumeMount> agentMounts() {
    return List.of(
        mount("swanctl", CONFIG_DIR, true),
        mount("vici", VICI_DIR, false),
        mount("agent-tls", AGENT_TLS_DIR, true));
  }

  /**
   * The swanctl directory: the root ConfigMap and the root Secret (both required: they hold the
   * manifests, so a pod never starts on a volume it could not check), then every possible config
   * and secret shard as an optional source. No source lists {@code items}: the kubelet projects
   * every key as a file of that name ({@code conf.d..peer.conf}, decoded by the agent), so the
   * template never names a peer, and a shard that does not exist (yet) is simply absent.
   */
  private static List<VolumeProjection> projections(String gateway) {
    List<VolumeProjection> sources = new ArrayList<>();
    sources.add(configMapSource(rootConfigMapName(gateway), null));
    sources.add(secretSource(rootSecretName(gateway), null));
    sources.addAll(everyShard(i -> configMapSource(configShardName(gateway, i), true)));
    sources.addAll(everyShard(i -> secretSource(secretShardName(gateway, i), true)));
    return sources;
  }

  /** One source for each shard there may be, in index order. */
  private static List<VolumeProjection> everyShard(IntFunction<VolumeProjection> source) {
    return IntStream.range(0, ConfigShards.MAX_SHARDS).mapToObj(source).toList();
  }

  /** Every key of a ConfigMap (no {@code items}); null {@code optional} leaves the field unset. */
  private static VolumeProjection configMapSource(String name, Boolean optional) {
    return new VolumeProjectionBuilder()
        .withConfigMap(new ConfigMapProjection(List.of(), name, optional))
        .build();
  }

  /** Every key of a Secret (no {@code items}). */
  private static VolumeProjection secretSource(String name, Boolean optional) {
    return new VolumeProjectionBuilder()
        .withSecret(new SecretProjection(List.of(), name, optional))
        .build();
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        .withReadOnly(readOnly ? true : null)
        .build();
  }
}
