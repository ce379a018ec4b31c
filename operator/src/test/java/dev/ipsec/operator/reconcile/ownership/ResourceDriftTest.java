package dev.ipsec.operator.reconcile.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Drift of ConfigMaps and Secrets, and of the metadata the operator sets: exact data, the labels,
 * annotations and controller reference it writes, and nothing else ({@code
 * gateway.GatewayObjectsDriftTest} covers the kinds with server-defaulted fields).
 */
class ResourceDriftTest {

  static final KubernetesSerialization JSON = new KubernetesSerialization();

  static ConfigMap desired() {
    return Hashing.stamped(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("gw-strongswan")
            .withNamespace("vpn")
            .withLabels(Labels.gatewayLabels("gw", "charon-config"))
            .addNewOwnerReference()
            .withApiVersion("ipsec.dev/v1alpha1")
            .withKind("IpsecGlobal")
            .withName("gw")
            .withUid("uid-1")
            .withController(true)
            .withBlockOwnerDeletion(true)
            .endOwnerReference()
            .endMetadata()
            .withData(Map.of("strongswan.conf", "charon {\n  load = vici\n}\n"))
            .build());
  }

  /** The object as the server returns it: its own metadata added. */
  static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T live(T desired) {
    T live = JSON.clone(desired);
    live.getMetadata().setUid("cm-uid");
    live.getMetadata().setResourceVersion("42");
    live.getMetadata().setCreationTimestamp("2026-12-06T00:00:00Z");
    return live;
  }

  @Test
  void anObjectAsWrittenHasNoDrift() {
    assertThat(ResourceDrift.between(desired(), live(desired()))).isEmpty();
  }

  @Test
  void anEditOfTheDataThatKeepsTheHashAnnotationIsDrift() {
    ConfigMap live = live(desired());
    live.getData().put("strongswan.conf", "charon {\n  start-scripts { x = /bin/sh }\n}\n");
    assertThat(Labels.desiredHash(live)).isEqualTo(Labels.desiredHash(desired()));
    assertThat(ResourceDrift.between(desired(), live)).containsExactly("data.strongswan.conf");
  }

  @Test
  void anAddedOrRemovedKeyIsDrift() {
    ConfigMap added = live(desired());
    added.getData().put("extra.conf", "x");
    assertThat(ResourceDrift.between(desired(), added)).containsExactly("data.extra.conf");
    ConfigMap binary = live(desired());
    binary.setBinaryData(Map.of("blob", "AAAA"));
    assertThat(ResourceDrift.between(desired(), binary)).containsExactly("binaryData.blob");
    ConfigMap removed = live(desired());
    removed.setData(Map.of());
    assertThat(ResourceDrift.between(desired(), removed)).containsExactly("data.strongswan.conf");
  }

  @Test
  void theOperatorsLabelsAnnotationsAndControllerAreCompared() {
    ConfigMap relabelled = live(desired());
    relabelled.getMetadata().getLabels().put(Labels.GATEWAY, "other");
    assertThat(ResourceDrift.between(desired(), relabelled))
        .containsExactly("metadata.labels." + Labels.GATEWAY);

    ConfigMap rehashed = live(desired());
    rehashed.getMetadata().getAnnotations().put(Labels.DESIRED_HASH, "0");
    assertThat(ResourceDrift.between(desired(), rehashed))
        .containsExactly("metadata.annotations." + Labels.DESIRED_HASH);

    ConfigMap orphaned = live(desired());
    orphaned.getMetadata().setOwnerReferences(null);
    assertThat(ResourceDrift.between(desired(), orphaned))
        .containsExactly("metadata.ownerReferences");
  }

  @Test
  void labelsAndAnnotationsOfOthersAreNotDrift() {
    ConfigMap live = live(desired());
    Map<String, String> labels = new HashMap<>(live.getMetadata().getLabels());
    labels.put("argocd.argoproj.io/instance", "vpn");
    live.getMetadata().setLabels(labels);
    live.getMetadata()
        .getAnnotations()
        .put("kubectl.kubernetes.io/last-applied-configuration", "{}");
    assertThat(ResourceDrift.between(desired(), live)).isEmpty();
  }

  @Test
  void aSecretKeyAddedOrATypeChangedIsDriftAndNamesNoValue() {
    Secret desired =
        Hashing.stamped(
            new SecretBuilder()
                .withNewMetadata()
                .withName("gw-secrets-0")
                .withNamespace("vpn")
                .withLabels(Labels.gatewayLabels("gw", "secrets"))
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of("secrets.d..alpha.conf", "c2VjcmV0"))
                .build());
    assertThat(ResourceDrift.between(desired, live(desired))).isEmpty();

    Secret added = live(desired);
    added.getData().put("secrets.d..mallory.conf", "bWFsbG9yeQ==");
    assertThat(ResourceDrift.between(desired, added))
        .containsExactly("data.secrets.d..mallory.conf")
        .noneMatch(p -> p.contains("bWFsbG9yeQ"));

    Secret retyped = live(desired);
    retyped.setType("kubernetes.io/tls");
    assertThat(ResourceDrift.between(desired, retyped)).containsExactly("type");
  }

  @Test
  void anImmutableFlagIsDrift() {
    ConfigMap live = live(desired());
    live.setImmutable(true);
    assertThat(ResourceDrift.between(desired(), live)).containsExactly("immutable");
  }
}
