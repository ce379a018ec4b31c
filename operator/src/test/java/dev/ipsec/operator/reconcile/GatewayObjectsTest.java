package dev.ipsec.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The desired gateway objects as pure functions. */
class GatewayObjectsTest {

  static IpsecGlobal gateway() {
    IpsecGlobal gw = TestResources.gateway("gw");
    gw.getMetadata().setUid("uid-1");
    return gw;
  }

  static Deployment deployment(IpsecGlobal gw, Map<String, String> conf) {
    var shard = new ConfigShards.Shard<>(0, new TreeMap<>(conf));
    return GatewayObjects.deployment(gw, GatewayDefaults.defaults(), "hash", List.of(shard), List.of());
  }

  @Test
  void tunDeviceOnlyWithUserSpaceEsp() {
    IpsecGlobal gw = gateway();
    assertThat(deployment(gw, Map.of()).getSpec().getTemplate().getSpec().getVolumes())
        .noneMatch(v -> v.getHostPath() != null);
    gw.getSpec().getGateway().setUserSpaceEsp(true);
    var pod = deployment(gw, Map.of()).getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).filteredOn(v -> v.getHostPath() != null).singleElement()
        .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/dev/net/tun"));
    assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(m ->
        assertThat(m.getMountPath()).isEqualTo("/dev/net/tun"));
    assertThat(pod.getContainers().get(1).getVolumeMounts()).noneMatch(m -> m.getMountPath().equals("/dev/net/tun"));
  }

  @Test
  void projectedItemsMapKeysToTheRenderersLayout() {
    var pod = deployment(gateway(), Map.of("conf.d..a.conf", "x")).getSpec().getTemplate().getSpec();
    var swanctl = pod.getVolumes().stream().filter(v -> v.getName().equals("swanctl")).findFirst().orElseThrow();
    assertThat(swanctl.getProjected().getSources()).anySatisfy(s -> {
      assertThat(s.getConfigMap().getName()).isEqualTo("gw-config-0");
      assertThat(s.getConfigMap().getItems()).singleElement().satisfies(i -> {
        assertThat(i.getKey()).isEqualTo("conf.d..a.conf");
        assertThat(i.getPath()).isEqualTo("conf.d/a.conf");
      });
    });
  }

  @Test
  void contentChangesDoNotChangeTheTemplateButStrongswanConfDoes() {
    IpsecGlobal gw = gateway();
    var one = GatewayObjects.stamped(deployment(gw, Map.of("conf.d..a.conf", "x")));
    var two = GatewayObjects.stamped(deployment(gw, Map.of("conf.d..a.conf", "changed")));
    assertThat(Labels.desiredHash(two)).isEqualTo(Labels.desiredHash(one));
    var restart = GatewayObjects.stamped(GatewayObjects.deployment(gw, GatewayDefaults.defaults(), "other-hash",
        List.of(new ConfigShards.Shard<>(0, new TreeMap<>(Map.of("conf.d..a.conf", "x")))), List.of()));
    assertThat(Labels.desiredHash(restart)).isNotEqualTo(Labels.desiredHash(one));
  }

  @Test
  void noServiceUnlessAsked() {
    IpsecGlobal gw = gateway();
    gw.getSpec().getGateway().setService(null);
    assertThat(GatewayObjects.service(gw)).isEmpty();
  }
}
