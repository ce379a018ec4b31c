package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.PreservedObject;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.gateway.GatewayPodDefaults;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Placement through the operator and the embedded API server: what an IpsecGlobal writes as its
 * affinity and spread constraints survives the CRD (preserved, not pruned) into the Deployment, the
 * operator's defaults fill what it leaves out, and a placement that is not a Pod's makes the
 * gateway invalid, naming the field, while another gateway goes on.
 */
class GatewayPlacementReconcileTest {

  OperatorHarness k8s;

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void theSpecsPlacementAndTheOperatorsDefaultsReachTheDeployment() {
    GatewayPodDefaults defaults =
        new GatewayPodDefaults(
            List.of("registry-pull"), Map.of("pool", "ipsec"), null, null, null, "network-low");
    k8s =
        new OperatorHarness()
            .start(
                OperatorHarness.settings()
                    .withGateway(GatewayDefaults.defaults().withPod(defaults)));
    IpsecGlobal gw = TestResources.gateway("placed");
    gw.getSpec()
        .getGateway()
        .setAffinity(
            new PreservedObject(
                Map.of(
                    "podAntiAffinity",
                    Map.of(
                        "preferredDuringSchedulingIgnoredDuringExecution",
                        List.of(
                            Map.of(
                                "weight",
                                10,
                                "podAffinityTerm",
                                Map.of("topologyKey", "kubernetes.io/hostname")))))));
    gw.getSpec()
        .getGateway()
        .setTopologySpreadConstraints(
            List.of(
                new PreservedObject(
                    Map.of(
                        "maxSkew",
                        1,
                        "topologyKey",
                        "topology.kubernetes.io/zone",
                        "whenUnsatisfiable",
                        "ScheduleAnyway"))));
    k8s.create(gw);

    eventually(
        () -> {
          Deployment d = deployment("placed-gateway");
          assertThat(d).isNotNull();
          PodSpec pod = d.getSpec().getTemplate().getSpec();
          assertThat(
                  pod.getAffinity()
                      .getPodAntiAffinity()
                      .getPreferredDuringSchedulingIgnoredDuringExecution()
                      .get(0)
                      .getPodAffinityTerm()
                      .getTopologyKey())
              .isEqualTo("kubernetes.io/hostname");
          assertThat(pod.getTopologySpreadConstraints())
              .singleElement()
              .satisfies(
                  c -> assertThat(c.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
          assertThat(pod.getImagePullSecrets())
              .containsExactly(new LocalObjectReference("registry-pull"));
          assertThat(pod.getNodeSelector()).containsExactly(Map.entry("pool", "ipsec"));
          assertThat(pod.getPriorityClassName()).isEqualTo("network-low");
        });
  }

  @Test
  void aPlacementThatIsNotAPodsIsInvalidNamingTheFieldAndOthersGoOn() {
    k8s = new OperatorHarness().start();
    IpsecGlobal bad = TestResources.gateway("bad");
    bad.getSpec().getGateway().setAffinity(new PreservedObject(Map.of("nodeAfinity", Map.of())));
    k8s.create(bad);
    k8s.create(TestResources.gateway("fine"));

    eventually(
        () -> {
          IpsecGlobal gw =
              k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName("bad").get();
          assertThat(gw.getStatus()).isNotNull();
          Condition valid = GatewayPolicyDeniedTest.condition(gw, "Valid");
          assertThat(valid.getStatus()).isEqualTo("False");
          assertThat(valid.getMessage())
              .contains("spec.gateway.affinity.nodeAfinity: is not a field of a Pod's affinity");
          assertThat(deployment("fine-gateway")).isNotNull();
        });
    assertThat(deployment("bad-gateway")).isNull();
  }

  Deployment deployment(String name) {
    return k8s.client.apps().deployments().inNamespace("vpn").withName(name).get();
  }
}
