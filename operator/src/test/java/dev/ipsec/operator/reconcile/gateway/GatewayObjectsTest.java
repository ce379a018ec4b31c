package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.TestResources;
import dev.ipsec.operator.reconcile.ownership.Hashing;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.volume.ConfigShards;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The desired gateway objects as pure functions. */
class GatewayObjectsTest {

  static IpsecGlobal gateway() {
    IpsecGlobal gw = TestResources.gateway("gw");
    gw.getMetadata().setUid("uid-1");
    return gw;
  }

  static Deployment deployment(IpsecGlobal gw) {
    return GatewayDeployment.deployment(gw, GatewayDefaults.defaults(), "hash");
  }

  @Test
  void tunDeviceOnlyWithUserSpaceEsp() {
    IpsecGlobal gw = gateway();
    assertThat(deployment(gw).getSpec().getTemplate().getSpec().getVolumes())
        .noneMatch(v -> v.getHostPath() != null);
    gw.getSpec().getGateway().setUserSpaceEsp(true);
    var pod = deployment(gw).getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getHostPath() != null)
        .singleElement()
        .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/dev/net/tun"));
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/dev/net/tun"));
    assertThat(pod.getContainers().get(1).getVolumeMounts())
        .noneMatch(m -> m.getMountPath().equals("/dev/net/tun"));
  }

  @Test
  void aHostNetworkGatewayIsRecreatedSinceASurgePodCouldNotBindTheNodesIkePorts() {
    IpsecGlobal gw = gateway();
    gw.getSpec().getGateway().setHostNetwork(true);

    var strategy = deployment(gw).getSpec().getStrategy();

    assertThat(strategy.getType()).isEqualTo("Recreate");
    assertThat(strategy.getRollingUpdate()).isNull();
  }

  @Test
  void aPodNetworkGatewayRollsWithTheNewPodUpBeforeTheOldGoes() {
    var strategy = deployment(gateway()).getSpec().getStrategy();

    assertThat(strategy.getType()).isEqualTo("RollingUpdate");
    assertThat(strategy.getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
    assertThat(strategy.getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
  }

  @Test
  void charonHasALivenessProbeOfItsOwnAndTheAgentsProbesAreOnItsPlainPort() {
    var containers = deployment(gateway()).getSpec().getTemplate().getSpec().getContainers();
    var charon = containers.stream().filter(c -> c.getName().equals("charon")).findFirst();
    var agent = containers.stream().filter(c -> c.getName().equals("agent")).findFirst();

    assertThat(charon.orElseThrow().getLivenessProbe().getExec().getCommand())
        .isEqualTo(GatewayDeployment.CHARON_LIVENESS_COMMAND)
        .contains("unix:///run/vici/charon.vici");
    assertThat(agent.orElseThrow().getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(agent.orElseThrow().getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
  }

  @Test
  void charonReadsTheRenderedStrongswanConfFromItsMountedConfigMap() {
    var charon =
        deployment(gateway()).getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(c -> c.getName().equals("charon"))
            .findFirst()
            .orElseThrow();
    // charon only looks at STRONGSWAN_CONF: under any other name it starts without the plugins,
    // the VICI socket and the logging the operator rendered
    assertThat(charon.getEnv())
        .anySatisfy(
            env -> {
              assertThat(env.getName()).isEqualTo("STRONGSWAN_CONF");
              assertThat(env.getValue())
                  .isEqualTo(
                      GatewayDeployment.STRONGSWAN_DIR + "/" + GatewayObjects.STRONGSWAN_CONF);
            });
    assertThat(charon.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo(GatewayDeployment.STRONGSWAN_DIR);
              assertThat(m.getName()).isEqualTo("strongswan");
            });
  }

  @Test
  void theSwanctlVolumeProjectsBothRootsAsRequiredAndEveryPossibleShardWithoutItems() {
    var pod = deployment(gateway()).getSpec().getTemplate().getSpec();
    var swanctl =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals("swanctl"))
            .findFirst()
            .orElseThrow();
    var sources = swanctl.getProjected().getSources();
    assertThat(sources).hasSize(2 + 2 * ConfigShards.MAX_SHARDS);
    // the roots hold the manifests: a pod must not start without them
    assertThat(sources.get(0).getConfigMap().getName()).isEqualTo("gw-swanctl");
    assertThat(sources.get(0).getConfigMap().getOptional()).isNull();
    assertThat(sources.get(1).getSecret().getName()).isEqualTo("gw-swanctl");
    assertThat(sources.get(1).getSecret().getOptional()).isNull();
    assertThat(sources)
        .allSatisfy(
            s ->
                assertThat(
                        s.getConfigMap() != null
                            ? s.getConfigMap().getItems()
                            : s.getSecret().getItems())
                    .isNullOrEmpty());
    assertThat(sources.subList(2, sources.size()))
        .allSatisfy(
            s ->
                assertThat(
                        s.getConfigMap() != null
                            ? s.getConfigMap().getOptional()
                            : s.getSecret().getOptional())
                    .isTrue());
    assertThat(sources)
        .filteredOn(s -> s.getConfigMap() != null)
        .extracting(s -> s.getConfigMap().getName())
        .contains("gw-config-0", "gw-config-" + (ConfigShards.MAX_SHARDS - 1));
    assertThat(sources)
        .filteredOn(s -> s.getSecret() != null)
        .extracting(s -> s.getSecret().getName())
        .contains("gw-secrets-0", "gw-secrets-" + (ConfigShards.MAX_SHARDS - 1));
  }

  @Test
  void gatewaySettingsChangeTheTemplate() {
    IpsecGlobal gw = gateway();
    var one = Hashing.stamped(deployment(gw));
    assertThat(Labels.desiredHash(Hashing.stamped(deployment(gw))))
        .isEqualTo(Labels.desiredHash(one));
    var restart =
        Hashing.stamped(GatewayDeployment.deployment(gw, GatewayDefaults.defaults(), "other-hash"));
    assertThat(Labels.desiredHash(restart)).isNotEqualTo(Labels.desiredHash(one));
    gw.getSpec().getGateway().setImage("strongswan:other");
    assertThat(Labels.desiredHash(Hashing.stamped(deployment(gw))))
        .isNotEqualTo(Labels.desiredHash(one));
  }

  @Test
  void noServiceUnlessAsked() {
    IpsecGlobal gw = gateway();
    gw.getSpec().getGateway().setService(null);
    assertThat(GatewayObjects.service(gw)).isEmpty();
  }
}
