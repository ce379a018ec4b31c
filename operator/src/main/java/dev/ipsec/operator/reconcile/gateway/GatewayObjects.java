package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.api.v1alpha1.GatewayService;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.ownership.Labels;
import dev.ipsec.operator.volume.ConfigShards;
import dev.ipsec.operator.volume.ConfigVolumePlan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The desired objects of one gateway, built from scratch on every reconcile (never by editing what
 * the cache holds): ServiceAccount, optional Service, and the ConfigMaps and Secrets that carry the
 * planned configuration volume ({@link ConfigVolumePlan}; {@link GatewayDeployment} builds the
 * Deployment). Pure functions of their inputs.
 */
public final class GatewayObjects {

  public static final String STRONGSWAN_CONF = "strongswan.conf";

  private GatewayObjects() {}

  public static String workloadName(String gateway) {
    return gateway + "-gateway";
  }

  public static String rootConfigMapName(String gateway) {
    return gateway + "-swanctl";
  }

  /**
   * The root Secret shares the root ConfigMap's name: together they are the root of the volume, one
   * holding the public manifest, the other the manifest of the secret files.
   */
  public static String rootSecretName(String gateway) {
    return rootConfigMapName(gateway);
  }

  public static String strongswanConfigMapName(String gateway) {
    return gateway + "-strongswan";
  }

  public static String configShardName(String gateway, int index) {
    return gateway + "-config-" + index;
  }

  public static String secretShardName(String gateway, int index) {
    return gateway + "-secrets-" + index;
  }

  /** The agent's TLS Secret ({@link AgentTlsSecrets}). */
  public static String agentTlsSecretName(String gateway) {
    return gateway + "-agent-tls";
  }

  public static ServiceAccount serviceAccount(IpsecGlobal gw) {
    return new ServiceAccountBuilder()
        .withMetadata(meta(gw, workloadName(name(gw)), "gateway"))
        .withAutomountServiceAccountToken(false)
        .build();
  }

  /** swanctl.conf and the manifest of the public files ({@link ConfigVolumePlan#rootConfigMap}). */
  public static ConfigMap rootConfigMap(IpsecGlobal gw, SortedMap<String, String> data) {
    return new ConfigMapBuilder()
        .withMetadata(meta(gw, rootConfigMapName(name(gw)), "config"))
        .withData(new TreeMap<>(data))
        .build();
  }

  /** The manifest of the secret files ({@link ConfigVolumePlan#rootSecret}). */
  public static Secret rootSecret(IpsecGlobal gw, SortedMap<String, byte[]> data) {
    return secret(gw, rootSecretName(name(gw)), data);
  }

  public static ConfigMap strongswanConfigMap(IpsecGlobal gw, String strongswanConf) {
    return new ConfigMapBuilder()
        .withMetadata(meta(gw, strongswanConfigMapName(name(gw)), "charon-config"))
        .withData(new TreeMap<>(Map.of(STRONGSWAN_CONF, strongswanConf)))
        .build();
  }

  public static ConfigMap configShard(IpsecGlobal gw, ConfigShards.Shard<String> shard) {
    return new ConfigMapBuilder()
        .withMetadata(meta(gw, configShardName(name(gw), shard.index()), "config"))
        .withData(new TreeMap<>(shard.data()))
        .build();
  }

  public static Secret secretShard(IpsecGlobal gw, ConfigShards.Shard<byte[]> shard) {
    return secret(gw, secretShardName(name(gw), shard.index()), shard.data());
  }

  private static Secret secret(IpsecGlobal gw, String name, SortedMap<String, byte[]> content) {
    SortedMap<String, String> data = new TreeMap<>();
    content.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v)));
    return new SecretBuilder()
        .withMetadata(meta(gw, name, "secrets"))
        .withType("Opaque")
        .withData(data)
        .build();
  }

  public static Optional<Service> service(IpsecGlobal gw) {
    GatewayService svc = GatewayDeployment.workload(gw).getService();
    if (svc == null) {
      return Optional.empty();
    }
    ObjectMeta meta = meta(gw, workloadName(name(gw)), "gateway");
    if (svc.getAnnotations() != null && !svc.getAnnotations().isEmpty()) {
      meta.setAnnotations(new TreeMap<>(svc.getAnnotations()));
    }
    String type =
        svc.getType() == null
            ? "ClusterIP"
            : switch (svc.getType()) {
              case CLUSTERIP -> "ClusterIP";
              case NODEPORT -> "NodePort";
              case LOADBALANCER -> "LoadBalancer";
            };
    return Optional.of(
        new ServiceBuilder()
            .withMetadata(meta)
            .withNewSpec()
            .withType(type)
            .withSelector(new TreeMap<>(Labels.podSelector(name(gw))))
            .withExternalTrafficPolicy(
                "ClusterIP".equals(type) ? null : svc.getExternalTrafficPolicy())
            .addNewPort()
            .withName("ike")
            .withProtocol("UDP")
            .withPort(500)
            .withNewTargetPort(500)
            .endPort()
            .addNewPort()
            .withName("ike-natt")
            .withProtocol("UDP")
            .withPort(4500)
            .withNewTargetPort(4500)
            .endPort()
            .endSpec()
            .build());
  }

  static ObjectMeta meta(IpsecGlobal gw, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(gw.getMetadata().getNamespace())
        .withLabels(new TreeMap<>(Labels.gatewayLabels(name(gw), component)))
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(gw.getApiVersion())
                .withKind(gw.getKind())
                .withName(name(gw))
                .withUid(gw.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .build();
  }

  static String name(HasMetadata r) {
    return r.getMetadata().getName();
  }
}
