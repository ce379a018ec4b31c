package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipsec.operator.api.v1alpha1.GatewayToleration;
import dev.ipsec.operator.api.v1alpha1.GatewayWorkload;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalSpec;
import dev.ipsec.operator.api.v1alpha1.PreservedObject;
import dev.ipsec.operator.render.FieldError;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the operator's gateway policy lets an IpsecGlobal ask of its pods, field by field. */
class GatewayPolicyTest {

  static final GatewayDefaults DEFAULTS = GatewayDefaults.defaults();

  @Test
  void theDefaultPolicyAllowsTheOperatorsOwnImagesAndUserSpaceEspOnly() {
    GatewayPolicy policy = GatewayPolicy.defaults();
    assertThat(policy.check(gateway("vpn", w -> {}), DEFAULTS)).isEmpty();
    assertThat(
            policy.check(
                gateway(
                    "vpn",
                    w -> {
                      w.setImage(DEFAULTS.charonImage());
                      w.setAgentImage(DEFAULTS.agentImage());
                      w.setUserSpaceEsp(true);
                      w.setNodeSelector(Map.of("kubernetes.io/os", "linux"));
                    }),
                DEFAULTS))
        .isEmpty();

    List<FieldError> denied =
        policy.check(
            gateway(
                "vpn",
                w -> {
                  w.setImage("ghcr.io/ipsec-operator/strongswan:other");
                  w.setAgentImage("evil:1");
                  w.setHostNetwork(true);
                  w.setTolerations(List.of(toleration()));
                }),
            DEFAULTS);
    assertThat(denied)
        .extracting(FieldError::path)
        .containsExactly(
            "spec.gateway.image",
            "spec.gateway.agentImage",
            "spec.gateway.hostNetwork",
            "spec.gateway.tolerations");
    assertThat(denied).extracting(FieldError::reason).containsOnly("PolicyDenied");
    assertThat(denied.get(1).toString())
        .startsWith("spec.gateway.agentImage: \"evil:1\" is not an allowed agent image")
        .contains(DEFAULTS.agentImage());
    assertThat(denied.get(2).message())
        .isEqualTo(
            "the host network is not allowed in namespace vpn by the operator's gateway policy");
  }

  @Test
  void exactImagesAreAllowedForTheirContainerOnly() {
    GatewayPolicy policy =
        new GatewayPolicy(
            Set.of("registry.example.org/strongswan:6.0.1"),
            Set.of("registry.example.org/agent:1.0"),
            Set.of(),
            GatewayPolicy.Switch.OFF,
            GatewayPolicy.Switch.OFF,
            GatewayPolicy.Switch.OFF);
    assertThat(
            policy.check(
                gateway(
                    "vpn",
                    w -> {
                      w.setImage("registry.example.org/strongswan:6.0.1");
                      w.setAgentImage("registry.example.org/agent:1.0");
                    }),
                DEFAULTS))
        .isEmpty();
    // an agent image is no charon image, and a tag is part of the exact reference
    assertThat(
            policy.check(
                gateway(
                    "vpn",
                    w -> {
                      w.setImage("registry.example.org/agent:1.0");
                      w.setAgentImage("registry.example.org/agent:1.1");
                    }),
                DEFAULTS))
        .extracting(FieldError::path)
        .containsExactly("spec.gateway.image", "spec.gateway.agentImage");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "registry.example.org/network/strongswan:6.0",
        "registry.example.org/network/team/agent@sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "registry.example.org/network/charon"
      })
  void imagesUnderAnAllowedPrefixAreAllowed(String image) {
    GatewayPolicy policy = withPrefix("registry.example.org/network/");
    assertThat(policy.check(gateway("vpn", w -> w.setImage(image)), DEFAULTS)).isEmpty();
    assertThat(policy.check(gateway("vpn", w -> w.setAgentImage(image)), DEFAULTS)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "registry.example.org/network-evil/charon:1",
        "registry.example.org/networkx:1",
        "registry.example.org/network/",
        "registry.example.org/network/../evil/charon:1",
        "registry.example.org/network/Charon:1",
        "registry.example.org/network/charon:1 --privileged",
        "evil.example.org/registry.example.org/network/charon:1",
        ""
      })
  void imagesBesideAPrefixAreNot(String image) {
    GatewayPolicy policy = withPrefix("registry.example.org/network/");
    assertThat(policy.check(gateway("vpn", w -> w.setImage(image)), DEFAULTS))
        .singleElement()
        .satisfies(e -> assertThat(e.path()).isEqualTo("spec.gateway.image"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"registry.example.org/network", "registry.example.org", "/", "a/../b/"})
  void aPrefixMustBeAPathEndingInASlash(String prefix) {
    assertThatThrownBy(() -> withPrefix(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ending in '/'");
  }

  @Test
  void switchesApplyInTheirNamespacesOnly() {
    GatewayPolicy policy =
        GatewayPolicy.defaults()
            .withHostNetwork(new GatewayPolicy.Switch(true, Set.of("edge")))
            .withUserSpaceEsp(new GatewayPolicy.Switch(true, Set.of("lab")))
            .withTolerations(GatewayPolicy.Switch.EVERYWHERE);
    Consumer<GatewayWorkload> everything =
        w -> {
          w.setHostNetwork(true);
          w.setUserSpaceEsp(true);
          w.setTolerations(List.of(toleration()));
        };
    assertThat(policy.check(gateway("edge", everything), DEFAULTS))
        .extracting(FieldError::path)
        .containsExactly("spec.gateway.userSpaceEsp");
    assertThat(policy.check(gateway("lab", everything), DEFAULTS))
        .extracting(FieldError::path)
        .containsExactly("spec.gateway.hostNetwork");
    assertThat(policy.check(gateway("other", everything), DEFAULTS))
        .extracting(FieldError::path)
        .containsExactly("spec.gateway.hostNetwork", "spec.gateway.userSpaceEsp");
    // asking for nothing is never denied, and false is not asking
    assertThat(
            GatewayPolicy.defaults()
                .withUserSpaceEsp(GatewayPolicy.Switch.OFF)
                .check(
                    gateway(
                        "other",
                        w -> {
                          w.setHostNetwork(false);
                          w.setUserSpaceEsp(false);
                          w.setTolerations(List.of());
                        }),
                    DEFAULTS))
        .isEmpty();
  }

  @Test
  void aPriorityClassMustBeTheDefaultOrAnAllowedOne() {
    GatewayDefaults withDefault =
        DEFAULTS.withPod(new GatewayPodDefaults(null, null, null, null, null, "network-critical"));
    GatewayPolicy policy = GatewayPolicy.defaults().withPriorityClasses(Set.of("team-high"));

    assertThat(policy.check(gateway("vpn", w -> w.setPriorityClassName("team-high")), DEFAULTS))
        .isEmpty();
    assertThat(
            policy.check(
                gateway("vpn", w -> w.setPriorityClassName("network-critical")), withDefault))
        .isEmpty();
    List<FieldError> denied =
        policy.check(
            gateway("vpn", w -> w.setPriorityClassName("system-node-critical")), withDefault);
    assertThat(denied).extracting(FieldError::reason).containsExactly("PolicyDenied");
    assertThat(denied.get(0).toString())
        .isEqualTo(
            "spec.gateway.priorityClassName: \"system-node-critical\" is not an allowed"
                + " PriorityClass (allowed: network-critical, team-high)");
    // the operator's default is allowed as the default only, never by the spec on another operator
    assertThat(
            GatewayPolicy.defaults()
                .check(gateway("vpn", w -> w.setPriorityClassName("network-critical")), DEFAULTS))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).endsWith("(allowed: none)"));
  }

  @Test
  void pullSecretsAffinityAndTopologySpreadNeedNoSwitch() {
    assertThat(
            GatewayPolicy.defaults()
                .check(
                    gateway(
                        "vpn",
                        w -> {
                          w.setImagePullSecrets(List.of("team-pull"));
                          w.setAffinity(new PreservedObject(Map.of("nodeAffinity", Map.of())));
                          w.setTopologySpreadConstraints(
                              List.of(
                                  new PreservedObject(
                                      Map.of(
                                          "maxSkew",
                                          1,
                                          "topologyKey",
                                          "topology.kubernetes.io/zone",
                                          "whenUnsatisfiable",
                                          "ScheduleAnyway"))));
                        }),
                    DEFAULTS))
        .isEmpty();
  }

  @Test
  void theOperatorsDefaultTolerationsAreNotTheSpecsAndPassWithTolerationsOff() {
    GatewayDefaults withTolerations =
        DEFAULTS.withPod(GatewayPodDefaults.fromJson(GatewayPlacementTest.CHART_DEFAULTS));
    assertThat(GatewayPolicy.defaults().check(gateway("vpn", w -> {}), withTolerations)).isEmpty();
  }

  @Test
  void aRefusedValueIsQuotedShortAndOnOneLine() {
    String image = "evil\n\"injected\"" + "x".repeat(500);
    FieldError e =
        GatewayPolicy.defaults().check(gateway("vpn", w -> w.setImage(image)), DEFAULTS).get(0);
    assertThat(e.message()).doesNotContain("\n").doesNotContain("xxxxx".repeat(30));
    assertThat(e.message()).startsWith("\"evil??injected?xxx").contains("...\" is not an allowed");
  }

  static GatewayPolicy withPrefix(String prefix) {
    return new GatewayPolicy(
        Set.of(),
        Set.of(),
        Set.of(prefix),
        GatewayPolicy.Switch.OFF,
        GatewayPolicy.Switch.OFF,
        GatewayPolicy.Switch.OFF);
  }

  static IpsecGlobal gateway(String namespace, Consumer<GatewayWorkload> workload) {
    IpsecGlobal gw = new IpsecGlobal();
    gw.setMetadata(new ObjectMetaBuilder().withName("gw").withNamespace(namespace).build());
    gw.setSpec(new IpsecGlobalSpec());
    GatewayWorkload w = new GatewayWorkload();
    workload.accept(w);
    gw.getSpec().setGateway(w);
    return gw;
  }

  static GatewayToleration toleration() {
    GatewayToleration t = new GatewayToleration();
    t.setKey("node-role.kubernetes.io/control-plane");
    t.setOperator("Exists");
    t.setEffect("NoSchedule");
    return t;
  }
}
