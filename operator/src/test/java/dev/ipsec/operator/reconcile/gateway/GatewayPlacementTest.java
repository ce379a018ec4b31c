package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ipsec.operator.api.v1alpha1.GatewayToleration;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.PreservedObject;
import dev.ipsec.operator.render.FieldError;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the gateway pods run: the IpsecGlobal's own choice, else the operator's defaults. */
class GatewayPlacementTest {

  /** The chart's values as the chart passes them: {@code toJson} of {@code gateway} minus image. */
  static final String CHART_DEFAULTS =
      """
      {"imagePullSecrets":["registry-pull"],
       "nodeSelector":{"node-role.example.org/ipsec":"true"},
       "tolerations":[{"key":"dedicated","operator":"Equal","value":"ipsec","effect":"NoSchedule"}],
       "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":
         {"nodeSelectorTerms":[{"matchExpressions":
           [{"key":"kubernetes.io/arch","operator":"In","values":["amd64"]}]}]}}},
       "topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone",
         "whenUnsatisfiable":"ScheduleAnyway",
         "labelSelector":{"matchLabels":{"app.kubernetes.io/name":"ipsec-gateway"}}}],
       "priorityClassName":"network-critical"}
      """;

  private static PodSpec pod(IpsecGlobal gw, GatewayPodDefaults defaults) {
    return GatewayDeployment.deployment(gw, GatewayDefaults.defaults().withPod(defaults), "hash")
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  @SuppressWarnings("unchecked")
  static PreservedObject preserved(Object coreType) {
    return new PreservedObject(new ObjectMapper().convertValue(coreType, Map.class));
  }

  @Test
  void withoutDefaultsOrSpecThePodTemplateSaysNothingAboutPlacement() {
    PodSpec pod = pod(GatewayObjectsTest.gateway(), GatewayPodDefaults.none());

    assertThat(pod.getNodeSelector()).isNullOrEmpty();
    assertThat(pod.getTolerations()).isNullOrEmpty();
    assertThat(pod.getAffinity()).isNull();
    assertThat(pod.getTopologySpreadConstraints()).isNullOrEmpty();
    assertThat(pod.getPriorityClassName()).isNull();
    assertThat(pod.getImagePullSecrets()).isNullOrEmpty();
  }

  @Test
  void theOperatorsDefaultsReachThePodTemplateOfAGatewayThatSetsNothing() {
    PodSpec pod = pod(GatewayObjectsTest.gateway(), GatewayPodDefaults.fromJson(CHART_DEFAULTS));

    assertThat(pod.getImagePullSecrets())
        .containsExactly(new LocalObjectReference("registry-pull"));
    assertThat(pod.getNodeSelector())
        .containsExactly(Map.entry("node-role.example.org/ipsec", "true"));
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("dedicated");
              assertThat(t.getValue()).isEqualTo("ipsec");
              assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
    assertThat(
            pod.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchExpressions()
                .get(0)
                .getValues())
        .containsExactly("amd64");
    assertThat(pod.getTopologySpreadConstraints())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
              assertThat(c.getMaxSkew()).isEqualTo(1);
              assertThat(c.getLabelSelector().getMatchLabels())
                  .containsEntry("app.kubernetes.io/name", "ipsec-gateway");
            });
    assertThat(pod.getPriorityClassName()).isEqualTo("network-critical");
  }

  @Test
  void whatTheIpsecGlobalSetsWinsFieldByFieldOverTheDefaults() {
    IpsecGlobal gw = GatewayObjectsTest.gateway();
    var w = gw.getSpec().getGateway();
    w.setImagePullSecrets(List.of("team-pull"));
    w.setPriorityClassName("team-high");
    w.setNodeSelector(Map.of("site", "fra"));
    GatewayToleration t = new GatewayToleration();
    t.setKey("edge");
    t.setOperator("Exists");
    w.setTolerations(List.of(t));
    Affinity own =
        new AffinityBuilder()
            .withNewPodAntiAffinity()
            .addNewPreferredDuringSchedulingIgnoredDuringExecution()
            .withWeight(10)
            .withNewPodAffinityTerm()
            .withTopologyKey("kubernetes.io/hostname")
            .endPodAffinityTerm()
            .endPreferredDuringSchedulingIgnoredDuringExecution()
            .endPodAntiAffinity()
            .build();
    w.setAffinity(preserved(own));
    TopologySpreadConstraint spread =
        new TopologySpreadConstraintBuilder()
            .withMaxSkew(2)
            .withTopologyKey("kubernetes.io/hostname")
            .withWhenUnsatisfiable("DoNotSchedule")
            .build();
    w.setTopologySpreadConstraints(List.of(preserved(spread)));

    PodSpec pod = pod(gw, GatewayPodDefaults.fromJson(CHART_DEFAULTS));

    assertThat(pod.getImagePullSecrets()).containsExactly(new LocalObjectReference("team-pull"));
    assertThat(pod.getPriorityClassName()).isEqualTo("team-high");
    assertThat(pod.getNodeSelector()).containsExactly(Map.entry("site", "fra"));
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(x -> assertThat(x.getKey()).isEqualTo("edge"));
    assertThat(pod.getAffinity()).isEqualTo(own);
    assertThat(pod.getAffinity().getNodeAffinity()).isNull();
    assertThat(pod.getTopologySpreadConstraints()).containsExactly(spread);
  }

  @Test
  void anAffinityOrSpreadConstraintThatIsNotAPodsIsInvalidNamingTheField() {
    IpsecGlobal gw = GatewayObjectsTest.gateway();
    var w = gw.getSpec().getGateway();
    w.setAffinity(
        new PreservedObject(
            Map.of("nodeAffinity", Map.of("requiredDuringSchedulingIgnoredDuringExecution", 3))));
    w.setTopologySpreadConstraints(
        List.of(
            preserved(
                new TopologySpreadConstraintBuilder()
                    .withMaxSkew(1)
                    .withTopologyKey("zone")
                    .withWhenUnsatisfiable("DoNotSchedule")
                    .build()),
            new PreservedObject(Map.of("maxSkew", 1, "topologyKy", "zone")),
            new PreservedObject(Map.of("maxSkew", "one"))));

    List<FieldError> errors = GatewayPlacement.validate(gw);

    assertThat(errors)
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.gateway.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution:"
                + " does not have the type this field has in a Pod's affinity",
            "spec.gateway.topologySpreadConstraints[1].topologyKy: is not a field of a Pod's"
                + " topology spread constraint",
            "spec.gateway.topologySpreadConstraints[2].maxSkew: does not have the type this field"
                + " has in a Pod's topology spread constraint");
    assertThat(errors).extracting(FieldError::reason).containsOnly(FieldError.INVALID);
    assertThat(errors).allSatisfy(e -> assertThat(e.message()).doesNotContain("fabric8", "class"));
  }

  @Test
  void aSpreadConstraintNeedsWhatTheApiServerRequires() {
    IpsecGlobal gw = GatewayObjectsTest.gateway();
    gw.getSpec()
        .getGateway()
        .setTopologySpreadConstraints(List.of(new PreservedObject(Map.of("topologyKey", "zone"))));

    assertThat(GatewayPlacement.validate(gw))
        .extracting(FieldError::path)
        .containsExactly(
            "spec.gateway.topologySpreadConstraints[0].maxSkew",
            "spec.gateway.topologySpreadConstraints[0].whenUnsatisfiable");
  }

  @Test
  void aValidPlacementHasNoErrorsAndAnInvalidOneNeverBecomesAPodTemplate() {
    IpsecGlobal gw = GatewayObjectsTest.gateway();
    assertThat(GatewayPlacement.validate(gw)).isEmpty();
    gw.getSpec().getGateway().setAffinity(new PreservedObject(Map.of("nodeAfinity", Map.of())));

    assertThatThrownBy(() -> pod(gw, GatewayPodDefaults.none()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec.gateway.affinity.nodeAfinity");
  }

  @Test
  void aGatewayThatSetsOneFieldKeepsTheOtherDefaults() {
    IpsecGlobal gw = GatewayObjectsTest.gateway();
    gw.getSpec().getGateway().setPriorityClassName("team-high");

    PodSpec pod = pod(gw, GatewayPodDefaults.fromJson(CHART_DEFAULTS));

    assertThat(pod.getPriorityClassName()).isEqualTo("team-high");
    assertThat(pod.getImagePullSecrets())
        .containsExactly(new LocalObjectReference("registry-pull"));
    assertThat(pod.getTolerations()).hasSize(1);
    assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
  }

  @Test
  void emptyChartValuesMeanNoDefaults() {
    GatewayPodDefaults d =
        GatewayPodDefaults.fromJson(
            """
            {"imagePullSecrets":[],"nodeSelector":{},"tolerations":[],"affinity":{},
             "topologySpreadConstraints":[],"priorityClassName":""}
            """);

    assertThat(d).isEqualTo(GatewayPodDefaults.none());
  }

  @Test
  void defaultsThatAreNotTheExpectedJsonStopTheStartNamingTheFlag() {
    assertThatThrownBy(() -> GatewayPodDefaults.fromJson("{\"priorityClass\":\"x\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--gateway-pod-defaults")
        .hasMessageContaining("priorityClass");
    assertThatThrownBy(() -> GatewayPodDefaults.fromJson("{\"imagePullSecrets\":\"one\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--gateway-pod-defaults: imagePullSecrets does not have the type it has in a Pod");
    // inside the core types as well: no field rides along unchecked
    assertThatThrownBy(
            () -> GatewayPodDefaults.fromJson("{\"tolerations\":[{\"key\":\"a\",\"keyy\":\"b\"}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--gateway-pod-defaults: tolerations[0].keyy is not a field")
        .hasMessageNotContaining("fabric8");
    assertThatThrownBy(() -> GatewayPodDefaults.fromJson("[1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
