package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.reconcile.ownership.NameConflicts.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * Which names a gateway's pods depend on, and which gateway a ConfigMap or Secret would belong to
 * by its name.
 */
class GatewayObjectNamesTest {

  @Test
  void thePodRequiresItsServiceAccountAndEveryMountThatIsNotOptional() {
    var deployment =
        GatewayDeployment.deployment(GatewayObjectsTest.gateway(), GatewayDefaults.defaults(), "x");
    assertThat(RequiredObjects.of(deployment))
        .containsExactlyInAnyOrder(
            new ObjectName("ServiceAccount", "gw-gateway"),
            new ObjectName("ConfigMap", "gw-strongswan"),
            new ObjectName("ConfigMap", "gw-swanctl"),
            new ObjectName("Secret", "gw-swanctl"),
            new ObjectName("Secret", "gw-agent-tls"));
  }

  @Test
  void aNameTellsWhichGatewaysObjectItWouldBe() {
    assertThat(GatewayObjectNames.gatewayOfConfigMap("gw-strongswan")).contains("gw");
    assertThat(GatewayObjectNames.gatewayOfConfigMap("site-a-swanctl")).contains("site-a");
    assertThat(GatewayObjectNames.gatewayOfConfigMap("gw-config-17")).contains("gw");
    assertThat(GatewayObjectNames.gatewayOfConfigMap("gw-config-31")).contains("gw");
    assertThat(GatewayObjectNames.gatewayOfConfigMap("gw-config-32")).isEmpty();
    assertThat(GatewayObjectNames.gatewayOfConfigMap("gw-secrets-1")).isEmpty();
    assertThat(GatewayObjectNames.gatewayOfConfigMap("vpn-ca")).isEmpty();
    assertThat(GatewayObjectNames.gatewayOfSecret("gw-secrets-0")).contains("gw");
    assertThat(GatewayObjectNames.gatewayOfSecret("gw-swanctl")).contains("gw");
    assertThat(GatewayObjectNames.gatewayOfSecret("gw-agent-tls")).contains("gw");
    assertThat(GatewayObjectNames.gatewayOfSecret("psk-alpha")).isEmpty();
  }
}
