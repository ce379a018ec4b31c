package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ipsec.operator.api.ProjectFiles;
import dev.ipsec.operator.reconcile.gateway.GatewayPodDefaults;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code helm template} with the defaults and with each documented option renders objects that
 * fabric8 reads into its typed model without a single unknown field, with the operator locked down
 * as the issue asks.
 */
class ChartTemplateTest {

  /** One case per documented option of values.yaml (and the example installations). */
  static Stream<Arguments> options() throws IOException {
    Stream<Arguments> documented =
        Stream.of(
            Arguments.of("defaults", ""),
            Arguments.of("replicas", "replicas: 3"),
            Arguments.of(
                "image digest",
                """
                image: {repository: registry.example.org/ipsec-operator, tag: "", pullPolicy: Always,
                        digest: "sha256:%s"}
                """
                    .formatted("a".repeat(64))),
            Arguments.of("imagePullSecrets", "imagePullSecrets: [{name: registry-credentials}]"),
            Arguments.of(
                "gatewayPolicy",
                """
                gatewayPolicy:
                  gatewayImages: [registry.example.org/strongswan:6.0.1]
                  imagePrefixes: [registry.example.org/network/]
                  hostNetwork: {allowed: true, namespaces: [edge]}
                  userSpaceEsp: {allowed: true, namespaces: []}
                  tolerations: {allowed: false}
                """),
            Arguments.of("watchNamespaces", "watchNamespaces: [site-a, site-b]"),
            Arguments.of(
                "gateway and agent images",
                """
                gateway: {image: {repository: registry.example.org/strongswan, tag: "5.9.8-5-deb12u6"}}
                agent: {image: {repository: registry.example.org/ipsec-operator, tag: "0.1.0"}, port: 9999}
                """),
            Arguments.of(
                "httpPort and metrics Service",
                """
                httpPort: 9090
                metrics: {service: {type: NodePort, port: 9100, annotations: {example.org/scrape: "true"}}}
                """),
            Arguments.of(
                "serviceMonitor",
                "serviceMonitor: {enabled: true, interval: 15s, labels: {release: prom}}"),
            Arguments.of(
                "serviceMonitor without gateways",
                "serviceMonitor: {enabled: true, gatewayPods: false}"),
            Arguments.of(
                "networkPolicy",
                """
                networkPolicy:
                  enabled: true
                  namespaces: [gateways]
                  metricsFrom: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
                """),
            Arguments.of(
                "grafanaDashboard",
                """
                grafanaDashboard: {enabled: true, namespace: monitoring, annotations: {grafana_folder: Networking}}
                """),
            Arguments.of(
                "serviceAccount",
                """
                serviceAccount: {create: true, name: ipsec-sa, annotations: {example.org/role: ipsec}}
                """),
            Arguments.of(
                "existing serviceAccount",
                "serviceAccount: {create: false, name: existing}\nrbac: {create: false}"),
            Arguments.of("names", "nameOverride: vpn\nfullnameOverride: vpn-operator"),
            Arguments.of(
                "resources and JVM",
                """
                resources: {requests: {cpu: 250m, memory: 512Mi}, limits: {cpu: "1", memory: 1Gi}}
                javaOptions: -Xlog:gc
                """),
            Arguments.of(
                "scheduling",
                """
                podAnnotations: {example.org/team: network}
                podLabels: {team: network}
                nodeSelector: {kubernetes.io/os: linux}
                tolerations: [{key: dedicated, operator: Equal, value: network, effect: NoSchedule}]
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                        - matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
                priorityClassName: system-cluster-critical
                """),
            Arguments.of(
                "operability",
                """
                replicas: 2
                logging: {level: debug, format: json}
                extraEnv: [{name: HTTPS_PROXY, value: "http://proxy.example.org:3128"}]
                extraArgs: ["--max-agent-state-bytes=2097152"]
                podDisruptionBudget: {enabled: true}
                topologySpreadConstraints:
                  - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule}
                serviceMonitor: {enabled: true, scrapeTimeout: 10s, relabelings: [{targetLabel: x, replacement: y}]}
                """),
            Arguments.of(
                "prometheusRule",
                "prometheusRule: {enabled: true, labels: {release: prom}, for: 10m}"));
    Stream<Arguments> examples;
    try (Stream<Path> files = Files.walk(ProjectFiles.root().resolve("examples"))) {
      examples =
          files
              .filter(f -> f.getFileName().toString().matches("values.*\\.ya?ml"))
              .sorted()
              .map(f -> Arguments.of(ProjectFiles.root().relativize(f).toString(), readString(f)))
              .toList()
              .stream();
    }
    return Stream.concat(documented, examples);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("options")
  void rendersTypedObjectsWithoutUnknownFields(String option, String values) {
    Rendered rendered = HelmChart.render(values);

    assertThat(rendered.objects()).isNotEmpty();
    for (HasMetadata object : rendered.objects()) {
      assertThat(object.getApiVersion()).as("apiVersion of %s", object.getKind()).isNotBlank();
      assertThat(object.getMetadata().getName())
          .as("name of a %s", object.getKind())
          .matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
      assertThat(UnknownFields.in(object))
          .as(
              "fields fabric8 does not know in %s/%s",
              object.getKind(), object.getMetadata().getName())
          .isEmpty();
    }
    assertThat(rendered.all(GenericKubernetesResource.class))
        .as("only prometheus-operator kinds are outside fabric8's model")
        .allMatch(o -> o.getApiVersion().equals("monitoring.coreos.com/v1"));
    assertOperatorIsLockedDown(rendered.one(Deployment.class));
  }

  private static void assertOperatorIsLockedDown(Deployment deployment) {
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getContainers()).hasSize(1);

    Container operator = pod.getContainers().get(0);
    var security = operator.getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isEmpty();
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(operator.getResources().getLimits()).containsKey("memory");
    assertThat(Quantity.getAmountInBytes(operator.getResources().getLimits().get("memory")))
        .as("memory limit not below the request")
        .isGreaterThanOrEqualTo(
            Quantity.getAmountInBytes(operator.getResources().getRequests().get("memory")));

    List<String> portNames = operator.getPorts().stream().map(ContainerPort::getName).toList();
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(portNames)
        .contains(
            operator.getLivenessProbe().getHttpGet().getPort().getStrVal(),
            operator.getReadinessProbe().getHttpGet().getPort().getStrVal());
    // The JVM's only writable place under a read-only root filesystem.
    assertThat(operator.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
    assertThat(operator.getArgs()).first().isEqualTo("run");
  }

  /** The check above would be worthless if a misspelt key slipped through: it does not. */
  @Test
  void unknownFieldsAreFoundWhereverTheyAre() {
    Deployment misspelt =
        Serialization.unmarshal(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: x}
            spec:
              replica: 1
              template:
                spec:
                  containers:
                    - name: c
                      securityContext: {readOnlyRootFileSystem: true}
            """,
            Deployment.class);

    assertThat(UnknownFields.in(misspelt))
        .containsExactlyInAnyOrder(
            "spec.replica",
            "spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem");
  }

  @Test
  void oneOperatorReplacesWithoutOverlapAndElectsNoLeader() {
    Rendered rendered = HelmChart.render("");
    Deployment deployment = rendered.one(Deployment.class);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(args(deployment)).doesNotContain("--leader-election");
  }

  @Test
  void severalOperatorsElectALeader() {
    Deployment deployment = HelmChart.render("replicas: 2").one(Deployment.class);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(args(deployment))
        .contains(
            "--leader-election",
            // the chart's defaults are the operator's: RunCommandTest checks those
            "--lease-duration-seconds=15",
            "--renew-deadline-seconds=10",
            "--retry-period-seconds=2");
    assertThat(deployment.getSpec().getStrategy()).isNull(); // rolling update, the default
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anyMatch(
            e ->
                e.getName().equals("POD_NAMESPACE")
                    && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.namespace"));
  }

  @Test
  void passesTheLeaseTimingsToTheOperatorOnlyWithLeaderElection() {
    String fast =
        """
        leaderElection:
          leaseDurationSeconds: 6
          renewDeadlineSeconds: 4
          retryPeriodSeconds: 1
        """;
    Deployment elected = HelmChart.render("replicas: 2\n" + fast).one(Deployment.class);
    assertThat(args(elected))
        .contains(
            "--lease-duration-seconds=6", "--renew-deadline-seconds=4", "--retry-period-seconds=1");

    Deployment single = HelmChart.render(fast).one(Deployment.class);
    assertThat(args(single)).noneMatch(a -> a.contains("lease") || a.contains("retry-period"));
  }

  @Test
  void passesImagesPortsAndNamespacesToTheOperator() {
    Deployment deployment =
        HelmChart.render(
                """
                watchNamespaces: [site-a, site-b]
                agent: {image: {repository: registry.example.org/agent, tag: "1.2.3"}, port: 9999}
                gateway: {image: {repository: registry.example.org/strongswan, tag: "", digest: "sha256:%s"}}
                httpPort: 9090
                """
                    .formatted("b".repeat(64)))
            .one(Deployment.class);

    assertThat(args(deployment))
        .containsExactly(
            "run",
            "--namespace=site-a",
            "--namespace=site-b",
            "--http-listen=0.0.0.0:9090",
            "--gateway-image=registry.example.org/strongswan@sha256:" + "b".repeat(64),
            "--agent-image=registry.example.org/agent:1.2.3",
            "--agent-port=9999",
            "--agent-metrics-port=9461",
            "--ca-secret=" + deployment.getMetadata().getName() + "-ca",
            "--allow-host-network=false",
            "--allow-user-space-esp=true",
            "--allow-tolerations=false");
  }

  @Test
  void passesTheGatewayPolicyToTheOperator() {
    Deployment deployment =
        HelmChart.render(
                """
                gatewayPolicy:
                  gatewayImages: [registry.example.org/strongswan:6.0.1]
                  agentImages: ["registry.example.org/agent@sha256:%s"]
                  imagePrefixes: [registry.example.org/network/]
                  hostNetwork: {allowed: true, namespaces: [edge]}
                  userSpaceEsp: {allowed: false}
                  tolerations: {allowed: true, namespaces: [edge, lab]}
                  priorityClasses: [network-high, network-low]
                """
                    .formatted("c".repeat(64)))
            .one(Deployment.class);

    assertThat(args(deployment))
        .containsSubsequence(
            "--allowed-gateway-image=registry.example.org/strongswan:6.0.1",
            "--allowed-agent-image=registry.example.org/agent@sha256:" + "c".repeat(64),
            "--allowed-image-prefix=registry.example.org/network/",
            "--allow-host-network=true",
            "--host-network-namespace=edge",
            "--allow-user-space-esp=false",
            "--allow-tolerations=true",
            "--tolerations-namespace=edge",
            "--tolerations-namespace=lab",
            "--allowed-priority-class=network-high",
            "--allowed-priority-class=network-low");
  }

  @Test
  void theGatewayPodDefaultsReachTheOperatorAsOneFlagItParses() {
    assertThat(args(HelmChart.render("").one(Deployment.class)))
        .noneMatch(a -> a.startsWith("--gateway-pod-defaults"));
    assertThat(
            podDefaults(
                HelmChart.render("gateway: {priorityClassName: network-critical}")
                    .one(Deployment.class)))
        .isEqualTo(new GatewayPodDefaults(null, null, null, null, null, "network-critical"));

    Deployment deployment =
        HelmChart.render(
                """
                gateway:
                  imagePullSecrets: [{name: regcred}]
                  nodeSelector: {pool: ipsec}
                  tolerations: [{key: dedicated, operator: Equal, value: "ipsec's", effect: NoSchedule}]
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms:
                          - matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
                  topologySpreadConstraints:
                    - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}
                  priorityClassName: network-critical
                """)
            .one(Deployment.class);

    GatewayPodDefaults d = podDefaults(deployment);
    assertThat(d.imagePullSecrets()).containsExactly("regcred");
    assertThat(d.nodeSelector()).containsExactly(Map.entry("pool", "ipsec"));
    assertThat(d.tolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getValue()).isEqualTo("ipsec's"));
    assertThat(
            d.affinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchExpressions()
                .get(0)
                .getValues())
        .containsExactly("amd64");
    assertThat(d.topologySpreadConstraints())
        .singleElement()
        .satisfies(c -> assertThat(c.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
    assertThat(d.priorityClassName()).isEqualTo("network-critical");
  }

  /** What the operator makes of the chart's --gateway-pod-defaults, parsed as {@code run} does. */
  private static GatewayPodDefaults podDefaults(Deployment deployment) {
    String prefix = "--gateway-pod-defaults=";
    List<String> flags = args(deployment).stream().filter(a -> a.startsWith(prefix)).toList();
    assertThat(flags).hasSizeLessThanOrEqualTo(1);
    return GatewayPodDefaults.fromJson(
        flags.isEmpty() ? null : flags.get(0).substring(prefix.length()));
  }

  @Test
  void defaultImagesArePinnedAndTheAgentRunsTheOperatorImage() {
    Deployment deployment = HelmChart.render("").one(Deployment.class);
    String operatorImage =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();

    assertThat(operatorImage).matches("ghcr\\.io/ipsec-operator/ipsec-operator:\\d+\\.\\d+\\.\\d+");
    assertThat(args(deployment))
        .contains("--agent-image=" + operatorImage)
        .anyMatch(
            a ->
                a.matches(
                    "--gateway-image=ghcr\\.io/ipsec-operator/strongswan:5\\.9\\.8-[0-9a-z-]+"));
  }

  @Test
  void metricsServiceSelectsTheOperatorPods() {
    Rendered rendered = HelmChart.render("");
    Deployment deployment = rendered.one(Deployment.class);
    Service service = rendered.one(Service.class);

    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.getTargetPort().getStrVal())
                    .isEqualTo(
                        deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getPorts()
                            .get(0)
                            .getName()));
    assertThat(rendered.one(ServiceAccount.class).getMetadata().getName())
        .isEqualTo(deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
  }

  @Test
  void optionalObjectsAreOffByDefault() {
    Rendered rendered = HelmChart.render("");

    assertThat(rendered.ofKind("ServiceMonitor")).isEmpty();
    assertThat(rendered.ofKind("PodMonitor")).isEmpty();
    assertThat(rendered.all(NetworkPolicy.class)).isEmpty();
    assertThat(rendered.all(ConfigMap.class)).isEmpty();
    assertThat(rendered.all(Role.class))
        .as("only the CA Secret's")
        .singleElement()
        .satisfies(r -> assertThat(r.getMetadata().getName()).endsWith("-ca"));
    assertThat(rendered.all(ClusterRole.class))
        .as("the operator's, and the users' aggregated edit and view roles")
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "ipsec-ipsec-operator", "ipsec-ipsec-operator-edit", "ipsec-ipsec-operator-view");
  }

  @Test
  void serviceMonitorScrapesTheMetricsServiceAndPodMonitorTheAgents() {
    Rendered rendered =
        HelmChart.render(
            """
            watchNamespaces: [site-a]
            serviceMonitor: {enabled: true, interval: 15s, labels: {release: prom}}
            """);
    Service service = rendered.one(Service.class);
    GenericKubernetesResource serviceMonitor =
        rendered.ofKind("ServiceMonitor").stream()
            .map(GenericKubernetesResource.class::cast)
            .findFirst()
            .orElseThrow();
    GenericKubernetesResource podMonitor =
        rendered.ofKind("PodMonitor").stream()
            .map(GenericKubernetesResource.class::cast)
            .findFirst()
            .orElseThrow();

    assertThat(serviceMonitor.getMetadata().getLabels()).containsEntry("release", "prom");
    assertThat(service.getMetadata().getLabels())
        .containsAllEntriesOf(
            serviceMonitor.<Map<String, String>>get("spec", "selector", "matchLabels"));
    assertThat(serviceMonitor.<String>get("spec", "endpoints", 0, "port"))
        .isEqualTo(service.getSpec().getPorts().get(0).getName());
    assertThat(serviceMonitor.<String>get("spec", "endpoints", 0, "interval")).isEqualTo("15s");

    assertThat(podMonitor.<Map<String, String>>get("spec", "selector", "matchLabels"))
        .isEqualTo(GatewayPods.LABELS);
    assertThat(podMonitor.<List<String>>get("spec", "namespaceSelector", "matchNames"))
        .containsExactly("site-a");
    assertThat(podMonitor.<String>get("spec", "podMetricsEndpoints", 0, "port"))
        .isEqualTo(GatewayPods.AGENT_METRICS_PORT_NAME);
  }

  @Test
  void networkPolicyLetsOnlyTheOperatorReachTheAgentsAndKeepsIkeOpen() {
    Rendered rendered =
        HelmChart.render(
            """
            watchNamespaces: [site-a, site-b]
            agent: {port: 9555}
            networkPolicy: {enabled: true}
            """);
    Deployment deployment = rendered.one(Deployment.class);
    List<NetworkPolicy> policies = rendered.all(NetworkPolicy.class);

    assertThat(policies)
        .extracting(p -> p.getMetadata().getNamespace())
        .containsExactly("site-a", "site-b");
    for (NetworkPolicy policy : policies) {
      assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(GatewayPods.LABELS);
      assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
      List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
      assertThat(rules).hasSize(2);

      NetworkPolicyIngressRule agent = rules.get(0);
      assertThat(agent.getPorts())
          .singleElement()
          .satisfies(
              port -> {
                assertThat(port.getProtocol()).isEqualTo("TCP");
                assertThat(port.getPort().getIntVal()).isEqualTo(9555);
              });
      assertThat(agent.getFrom())
          .singleElement()
          .satisfies(
              peer -> {
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsExactly(Map.entry("kubernetes.io/metadata.name", HelmChart.NAMESPACE));
                assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(peer.getPodSelector().getMatchLabels());
                assertThat(peer.getPodSelector().getMatchLabels()).isNotEmpty();
              });

      NetworkPolicyIngressRule ike = rules.get(1);
      assertThat(ike.getFrom()).isEmpty();
      assertThat(ike.getPorts())
          .extracting(NetworkPolicyPort::getProtocol, p -> p.getPort().getIntVal())
          .containsExactly(tuple("UDP", 500), tuple("UDP", 4500));
    }
  }

  @Test
  void networkPolicyOpensOnlyTheMetricsPortToMetricsFrom() {
    NetworkPolicy policy =
        HelmChart.render(
                """
                agent: {port: 9555, metricsPort: 9556}
                networkPolicy:
                  enabled: true
                  metricsFrom: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
                """)
            .one(NetworkPolicy.class);
    List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();

    assertThat(rules).hasSize(3);
    assertThat(rules.get(0).getPorts())
        .as("the state API: the operator only")
        .extracting(p -> p.getPort().getIntVal())
        .containsExactly(9555);
    assertThat(rules.get(0).getFrom())
        .singleElement()
        .satisfies(p -> assertThat(p.getPodSelector()).isNotNull());
    assertThat(rules.get(1).getPorts())
        .extracting(p -> p.getPort().getIntVal())
        .containsExactly(9556);
    assertThat(rules.get(1).getFrom())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.getNamespaceSelector().getMatchLabels())
                    .containsEntry("kubernetes.io/metadata.name", "monitoring"));
  }

  @Test
  void networkPolicyDefaultsToTheReleaseNamespaceWhenAllNamespacesAreWatched() {
    List<NetworkPolicy> policies =
        HelmChart.render("networkPolicy: {enabled: true}").all(NetworkPolicy.class);

    assertThat(policies)
        .extracting(p -> p.getMetadata().getNamespace())
        .containsExactly(HelmChart.NAMESPACE);
  }

  @Test
  void grafanaDashboardConfigMapCarriesTheSidecarLabelAndTheDashboard() throws IOException {
    ConfigMap dashboard =
        HelmChart.render("grafanaDashboard: {enabled: true, namespace: monitoring}")
            .one(ConfigMap.class);

    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    String json = dashboard.getData().get("ipsec-overview.json");
    assertThat(Serialization.jsonMapper().readTree(json))
        .isEqualTo(
            Serialization.jsonMapper()
                .readTree(HelmChart.file("files/dashboards/ipsec-overview.json").toFile()));
  }

  private static List<String> args(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
