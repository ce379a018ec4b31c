package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gateway pods in the mock API server as the Deployment controller makes them: a ReplicaSet
 * controlled by the operator's Deployment, the pod controlled by the ReplicaSet, running on the
 * loopback address. And impostors: the same labels without the chain.
 */
public final class OwnedPods {

  private OwnedPods() {}

  /** A running pod of {@code gateway}, once the operator has written its Deployment. */
  public static Pod create(OperatorHarness k8s, String gateway, String podName) {
    AtomicReference<Deployment> deployment = new AtomicReference<>();
    eventually(
        () -> {
          deployment.set(
              k8s.client
                  .apps()
                  .deployments()
                  .inNamespace(OperatorHarness.NS)
                  .withName(gateway + "-gateway")
                  .get());
          assertThat(deployment.get()).isNotNull();
        });
    return create(
        k8s,
        replicaSet(k8s, deployment.get(), gateway, podName + "-rs"),
        gateway,
        podName,
        loopback());
  }

  /** A ReplicaSet of the gateway's {@code deployment} (as the API server has it, with its uid). */
  public static ReplicaSet replicaSet(
      OperatorHarness k8s, Deployment deployment, String gateway, String name) {
    return k8s.client
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(OperatorHarness.NS)
                .withLabels(Labels.podSelector(gateway))
                .withOwnerReferences(controller(deployment))
                .endMetadata()
                .build())
        .create();
  }

  /** A running, ready pod at {@code podIp} controlled by {@code replicaSet}. */
  public static Pod create(
      OperatorHarness k8s, ReplicaSet replicaSet, String gateway, String podName, String podIp) {
    return k8s.client.resource(pod(gateway, podName, controller(replicaSet), podIp)).create();
  }

  /** A pod with the gateway's labels that no controller of the gateway made. */
  public static Pod impostor(OperatorHarness k8s, String gateway, String podName) {
    return k8s.client.resource(pod(gateway, podName, null, loopback())).create();
  }

  /** A pod with the gateway's labels under a ReplicaSet that no Deployment of the gateway made. */
  public static Pod impostorUnderForeignReplicaSet(
      OperatorHarness k8s, String gateway, String podName) {
    ReplicaSet replicaSet =
        k8s.client
            .resource(
                new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName(podName + "-rs")
                    .withNamespace(OperatorHarness.NS)
                    .withLabels(Labels.podSelector(gateway))
                    .endMetadata()
                    .build())
            .create();
    return k8s.client.resource(pod(gateway, podName, controller(replicaSet), loopback())).create();
  }

  private static String loopback() {
    return InetAddress.getLoopbackAddress().getHostAddress();
  }

  private static Pod pod(String gateway, String name, OwnerReference owner, String podIp) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(OperatorHarness.NS)
        .withLabels(Labels.podSelector(gateway))
        .withOwnerReferences(owner == null ? new OwnerReference[0] : new OwnerReference[] {owner})
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("agent")
        .withImage("agent")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPodIP(podIp)
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  private static OwnerReference controller(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .build();
  }
}
