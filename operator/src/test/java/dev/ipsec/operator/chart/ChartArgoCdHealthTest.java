package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ipsec.operator.api.ProjectFiles;
import dev.ipsec.operator.chart.ArgoCdHealth.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ArgoCD health checks shipped with the chart, run by a Lua VM against status fixtures. */
class ChartArgoCdHealthTest {
  private static final Path FIXTURES =
      ProjectFiles.root().resolve("operator/src/test/resources/argocd-health");

  @Test
  void oneScriptForEachKindOfTheCrds() throws IOException {
    Set<String> kinds;
    try (Stream<Path> crds = Files.list(HelmChart.file("crds"))) {
      kinds =
          crds.map(ProjectFiles::readYaml)
              .map(
                  crd -> crd.at("/spec/group").asText() + "_" + crd.at("/spec/names/kind").asText())
              .collect(Collectors.toSet());
    }

    assertThat(ArgoCdHealth.scripts().keySet())
        .containsExactlyInAnyOrderElementsOf(
            kinds.stream().map(k -> ArgoCdHealth.KEY_PREFIX + k).toList());
    assertThat(kinds).hasSize(4);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ikegroup-valid.yaml          | Healthy     | 1 proposal
          ikegroup-invalid.yaml        | Degraded    | spec.proposals[0].prf: required with a GMAC cipher
          espgroup-not-observed.yaml   | Progressing | Waiting for the operator to observe generation 3
          espgroup-no-status.yaml      | Progressing | Waiting for the operator to observe generation 1
          espgroup-no-conditions.yaml  | Degraded    | The operator reported no Valid condition
          peer-ready.yaml              | Healthy     | Established, 1/1 tunnels installed
          peer-connecting.yaml         | Progressing | IKE_SA_INIT sent to 203.0.113.20
          peer-tunnels-pending.yaml    | Progressing | tunnel 2 not installed: TS_UNACCEPTABLE
          peer-agent-unreachable.yaml  | Progressing | generation 2 is not known to be loaded: agent of pod gateway-gateway-0 not reachable (the agents ran generation 2 when last heard)
          peer-invalid.yaml            | Degraded    | spec.ikeGroup: IkeGroup ike-missing not found
          peer-disabled.yaml           | Suspended   | The peer is disabled (spec.disable)
          peer-not-observed.yaml       | Progressing | Waiting for the operator to observe generation 6
          peer-running-older-generation.yaml | Degraded | generation 7 is invalid (spec.tunnels[1].id: duplicate tunnel id 1); generation 5 keeps running
          peer-secret-edit-refused.yaml | Degraded | generation 5 no longer renders (spec.authentication.preSharedSecret.secretRef: Secret "branch-psk" with key psk not found); the configuration loaded before keeps running
          peer-revoked.yaml            | Degraded    | spec.authentication: Secret "branch-psk", which the running configuration (generation 5) was rendered from, was deleted: its connection is removed, as a deleted key is revoked
          peer-loading-new-generation.yaml | Progressing | 'generation 4 is not loaded yet; the gateway''s agents run generation 3'
          peer-unloading.yaml          | Progressing | 'generation 8 disables the peer and is not loaded yet; the gateway''s agents run generation 7'
          global-ready.yaml            | Healthy     | 1/1 gateway pods ready
          global-pods-failing.yaml     | Degraded    | 0/1 gateway pods ready: ImagePullBackOff
          global-starting.yaml         | Progressing | waiting for 2 gateway pods
          global-replica-failure.yaml  | Degraded    | '0 of 1 gateway pods ready: Deployment: ReplicaFailure (FailedCreate): pods "gateway-gateway-7c9d-abcde" is forbidden: violates PodSecurity "baseline:latest": non-default capabilities (container "charon" must not include "NET_ADMIN" in securityContext.capabilities.add)'
          global-container-waiting.yaml | Degraded   | '0 of 1 gateway pods ready: pod gateway-gateway-7c9d-abcde container charon: CrashLoopBackOff: back-off 40s restarting failed container=charon'
          global-policy-denied.yaml    | Degraded    | 'spec.gateway.agentImage: "evil:1" is not an allowed agent image (allowed: ghcr.io/ipsec-operator/ipsec-operator:0.1.0); Deployment gateway-gateway is not created or updated (pods that run keep the last allowed spec)'
          global-invalid.yaml          | Degraded    | spec.options.virtualIpInterface: requires options.virtualIp
          global-objects-not-written.yaml | Degraded | 'ConfigMap gateway-config-1: create refused with 403 Forbidden: configmaps "gateway-config-1" is forbidden: exceeded quota: gateway-quota, requested: count/configmaps=1, used: count/configmaps=4, limited: count/configmaps=4. Not written until then: ConfigMap gateway-swanctl. Retried with back-off.'
          """)
  void healthOfAFixture(String fixture, String status, String message) throws IOException {
    JsonNode resource = ProjectFiles.readYaml(FIXTURES.resolve(fixture));
    String key = ArgoCdHealth.KEY_PREFIX + "ipsec.dev_" + resource.path("kind").asText();

    Result result = ArgoCdHealth.evaluate(ArgoCdHealth.scripts().get(key), resource);

    assertThat(result).isEqualTo(new Result(status, message));
  }

  @Test
  void everyFixtureHasAnExpectedHealth() throws Exception {
    String table =
        getClass()
            .getDeclaredMethod("healthOfAFixture", String.class, String.class, String.class)
            .getAnnotation(CsvSource.class)
            .textBlock();
    Set<String> expected =
        table
            .lines()
            .filter(line -> !line.isBlank())
            .map(line -> line.split("\\|")[0].trim())
            .collect(Collectors.toSet());
    try (Stream<Path> files = Files.list(FIXTURES)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void theFourKeysShareOneScript() throws IOException {
    Map<String, String> scripts = ArgoCdHealth.scripts();
    assertThat(scripts.values().stream().distinct()).hasSize(1);
    assertThat(scripts.values().iterator().next()).contains("return result(");
  }
}
