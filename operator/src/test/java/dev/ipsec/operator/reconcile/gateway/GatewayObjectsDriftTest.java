package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.ContainerResources;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.TestResources;
import dev.ipsec.operator.reconcile.ownership.Hashing;
import dev.ipsec.operator.reconcile.ownership.ResourceDrift;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Drift of the gateway's Deployment, Service and ServiceAccount against copies carrying what the
 * API server adds when it stores them (the defaulting of Kubernetes 1.30, done here by hand): those
 * additions are no drift; anything else added or changed is.
 */
class GatewayObjectsDriftTest {

  static final KubernetesSerialization JSON = new KubernetesSerialization();

  static IpsecGlobal gateway() {
    IpsecGlobal gw = TestResources.gateway("gw");
    gw.getMetadata().setUid("uid-1");
    gw.getSpec().getGateway().setHostNetwork(true);
    gw.getSpec().getGateway().setUserSpaceEsp(true);
    ContainerResources resources = new ContainerResources();
    resources.setRequests(Map.of("cpu", new Quantity("0.5"), "memory", new Quantity("64Mi")));
    gw.getSpec().getGateway().setResources(resources);
    return gw;
  }

  static Deployment desiredDeployment() {
    return Hashing.stamped(
        GatewayDeployment.deployment(gateway(), GatewayDefaults.defaults(), "0".repeat(64)));
  }

  /** The Deployment as an API server stores and returns it. */
  static Deployment defaulted(Deployment desired) {
    Deployment d = stored(desired);
    d.getMetadata().getAnnotations().put("deployment.kubernetes.io/revision", "1");
    if (d.getSpec().getStrategy() == null) {
      d.getSpec()
          .setStrategy(
              new DeploymentStrategyBuilder()
                  .withType("RollingUpdate")
                  .withNewRollingUpdate()
                  .withNewMaxSurge("25%")
                  .withNewMaxUnavailable("25%")
                  .endRollingUpdate()
                  .build());
    }
    d.getSpec().setRevisionHistoryLimit(10);
    d.getSpec().setProgressDeadlineSeconds(600);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    pod.setDnsPolicy("ClusterFirst");
    pod.setRestartPolicy("Always");
    pod.setSchedulerName("default-scheduler");
    pod.setTerminationGracePeriodSeconds(30L);
    pod.setServiceAccount(pod.getServiceAccountName());
    for (Container c : pod.getContainers()) {
      c.setTerminationMessagePath("/dev/termination-log");
      c.setTerminationMessagePolicy("File");
      if (c.getImagePullPolicy() == null) {
        c.setImagePullPolicy("IfNotPresent");
      }
      for (ContainerPort p : c.getPorts()) {
        if (Boolean.TRUE.equals(pod.getHostNetwork())) {
          p.setHostPort(p.getContainerPort());
        }
      }
      for (Probe probe : new Probe[] {c.getReadinessProbe(), c.getLivenessProbe()}) {
        if (probe != null) {
          if (probe.getHttpGet() != null) {
            probe.getHttpGet().setScheme("HTTP");
          }
          if (probe.getTimeoutSeconds() == null) {
            probe.setTimeoutSeconds(1);
          }
          probe.setSuccessThreshold(1);
          if (probe.getFailureThreshold() == null) {
            probe.setFailureThreshold(3);
          }
        }
      }
      if (c.getResources() != null && c.getResources().getRequests() != null) {
        // quantities come back canonical: 0.5 is 500m
        c.getResources()
            .getRequests()
            .replaceAll((k, v) -> v.getAmount().equals("0.5") ? new Quantity("500m") : v);
      }
    }
    pod.getVolumes().stream()
        .filter(v -> v.getConfigMap() != null)
        .forEach(v -> v.getConfigMap().setDefaultMode(420));
    return d;
  }

  static <T extends HasMetadata> T stored(T desired) {
    T live = JSON.clone(desired);
    live.getMetadata().setUid("live-uid");
    live.getMetadata().setResourceVersion("7");
    live.getMetadata().setGeneration(1L);
    live.getMetadata().setCreationTimestamp("2026-12-06T00:00:00Z");
    return live;
  }

  static Container container(Deployment d, String name) {
    return d.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void whatTheServerDefaultsIsNoDrift() {
    assertThat(ResourceDrift.between(desiredDeployment(), defaulted(desiredDeployment())))
        .isEmpty();
  }

  @Test
  void aPrivilegedCharonIsDrift() {
    Deployment live = defaulted(desiredDeployment());
    container(live, "charon").getSecurityContext().setPrivileged(true);
    assertThat(ResourceDrift.between(desiredDeployment(), live))
        .containsExactly("spec.template.spec.containers[0].securityContext.privileged");
  }

  @Test
  void anAddedCapabilityIsDrift() {
    Deployment live = defaulted(desiredDeployment());
    container(live, "charon")
        .getSecurityContext()
        .getCapabilities()
        .setAdd(List.of("NET_ADMIN", "NET_BIND_SERVICE", "SYS_ADMIN"));
    assertThat(ResourceDrift.between(desiredDeployment(), live))
        .containsExactly("spec.template.spec.containers[0].securityContext.capabilities.add");
  }

  @Test
  void anExtraContainerOrVolumeIsDrift() {
    Deployment extraContainer = defaulted(desiredDeployment());
    extraContainer
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .add(new ContainerBuilder().withName("sidecar").withImage("busybox").build());
    assertThat(ResourceDrift.between(desiredDeployment(), extraContainer))
        .containsExactly("spec.template.spec.containers");

    Deployment extraVolume = defaulted(desiredDeployment());
    extraVolume
        .getSpec()
        .getTemplate()
        .getSpec()
        .getVolumes()
        .add(
            new VolumeBuilder()
                .withName("host")
                .withNewHostPath()
                .withPath("/")
                .endHostPath()
                .build());
    assertThat(ResourceDrift.between(desiredDeployment(), extraVolume))
        .containsExactly("spec.template.spec.volumes");
  }

  @Test
  void aChangedImageOrCommandIsDrift() {
    Deployment live = defaulted(desiredDeployment());
    container(live, "charon").setImage("registry.example/charon:evil");
    container(live, "charon").setCommand(List.of("/usr/lib/ipsec/charon"));
    assertThat(ResourceDrift.between(desiredDeployment(), live))
        .containsExactlyInAnyOrder(
            "spec.template.spec.containers[0].image", "spec.template.spec.containers[0].command");
  }

  @Test
  void aDefaultedFieldWithAnotherValueThanTheServersIsDrift() {
    Deployment live = defaulted(desiredDeployment());
    live.getSpec().getTemplate().getSpec().setDnsPolicy("None");
    live.getSpec().getTemplate().getSpec().setServiceAccount("someone-else");
    assertThat(ResourceDrift.between(desiredDeployment(), live))
        .containsExactly("spec.template.spec.dnsPolicy", "spec.template.spec.serviceAccount");
  }

  @Test
  void aFieldTheOperatorSetsIsComparedEvenWhereTheServerWouldDefaultIt() {
    IpsecGlobal gw = gateway();
    gw.getSpec().getGateway().setImagePullPolicy("Always");
    Deployment desired =
        Hashing.stamped(
            GatewayDeployment.deployment(gw, GatewayDefaults.defaults(), "0".repeat(64)));
    Deployment live = defaulted(desired);
    container(live, "agent").setImagePullPolicy("IfNotPresent");
    assertThat(ResourceDrift.between(desired, live))
        .containsExactly("spec.template.spec.containers[1].imagePullPolicy");
  }

  @Test
  void kubectlRolloutRestartIsNoDriftButAnotherPodAnnotationIs() {
    Deployment restarted = defaulted(desiredDeployment());
    restarted
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .put("kubectl.kubernetes.io/restartedAt", "2026-12-06T01:00:00Z");
    assertThat(ResourceDrift.between(desiredDeployment(), restarted)).isEmpty();

    Deployment annotated = defaulted(desiredDeployment());
    annotated
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .put("container.apparmor.security.beta.kubernetes.io/charon", "unconfined");
    assertThat(ResourceDrift.between(desiredDeployment(), annotated))
        .containsExactly(
            "spec.template.metadata.annotations.container.apparmor.security.beta.kubernetes.io/charon");
  }

  static Service desiredService() {
    return Hashing.stamped(GatewayObjects.service(gateway()).orElseThrow());
  }

  static Service defaulted(Service desired) {
    Service s = stored(desired);
    s.getSpec().setClusterIP("10.96.12.7");
    s.getSpec().setClusterIPs(List.of("10.96.12.7"));
    s.getSpec().setIpFamilies(List.of("IPv4"));
    s.getSpec().setIpFamilyPolicy("SingleStack");
    s.getSpec().setSessionAffinity("None");
    s.getSpec().setInternalTrafficPolicy("Cluster");
    s.getSpec().setExternalTrafficPolicy("Cluster");
    s.getSpec().setAllocateLoadBalancerNodePorts(true);
    int nodePort = 31500;
    for (ServicePort p : s.getSpec().getPorts()) {
      p.setNodePort(nodePort++);
    }
    s.setStatus(
        JSON.unmarshal(
            "{\"loadBalancer\":{\"ingress\":[{\"ip\":\"192.0.2.10\"}]}}",
            io.fabric8.kubernetes.api.model.ServiceStatus.class));
    return s;
  }

  @Test
  void aServiceAsTheServerKeepsItHasNoDriftButAChangedPortHas() {
    assertThat(ResourceDrift.between(desiredService(), defaulted(desiredService()))).isEmpty();
    Service live = defaulted(desiredService());
    live.getSpec().getPorts().get(0).setPort(501);
    assertThat(ResourceDrift.between(desiredService(), live)).containsExactly("spec.ports[0].port");
    Service selector = defaulted(desiredService());
    selector.getSpec().setSelector(new TreeMap<>(Map.of("app", "other")));
    assertThat(ResourceDrift.between(desiredService(), selector))
        .isNotEmpty()
        .allMatch(p -> p.startsWith("spec.selector"));
  }

  @Test
  void aServiceAccountsTokenSecretsAreNoDriftButAutomountIs() {
    ServiceAccount desired = Hashing.stamped(GatewayObjects.serviceAccount(gateway()));
    ServiceAccount live = stored(desired);
    live.setSecrets(List.of(new ObjectReferenceBuilder().withName("gw-gateway-token-x").build()));
    assertThat(ResourceDrift.between(desired, live)).isEmpty();
    live.setAutomountServiceAccountToken(true);
    assertThat(ResourceDrift.between(desired, live))
        .containsExactly("automountServiceAccountToken");
  }
}
