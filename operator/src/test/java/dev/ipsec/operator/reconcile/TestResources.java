package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Resources as users write them, for the operator tests. */
public final class TestResources {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private TestResources() {}

  public static IkeGroup ikeGroup(String name, int dhGroup) {
    return JSON.unmarshal(
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: IkeGroup
        metadata: {name: %s, namespace: vpn}
        spec:
          keyExchange: ikev2
          lifetime: 3600
          proposals:
            - {encryption: aes256, hash: sha256, dhGroup: %d}
        """
            .formatted(name, dhGroup),
        IkeGroup.class);
  }

  public static EspGroup espGroup(String name) {
    return JSON.unmarshal(
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: EspGroup
        metadata: {name: %s, namespace: vpn}
        spec:
          lifetime: 1800
          proposals:
            - {encryption: aes256, hash: sha256}
        """
            .formatted(name),
        EspGroup.class);
  }

  public static IpsecGlobal gateway(String name) {
    return JSON.unmarshal(
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecGlobal
        metadata: {name: %s, namespace: vpn}
        spec:
          log: {level: 1}
          gateway:
            replicas: 1
            service: {type: LoadBalancer}
        """
            .formatted(name),
        IpsecGlobal.class);
  }

  /** A PSK peer whose addresses and tunnel prefixes derive from {@code n}. */
  public static IpsecPeer pskPeer(
      String name, String gateway, String ikeGroup, String espGroup, String secret, int n) {
    return JSON.unmarshal(
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecPeer
        metadata: {name: %s, namespace: vpn}
        spec:
          gateway: %s
          ikeGroup: %s
          defaultEspGroup: %s
          localAddress: 192.0.2.1
          remoteAddresses: [198.51.100.%d]
          authentication:
            mode: pre-shared-secret
            remoteId: peer-%d.example
            preSharedSecret:
              secretRef: {name: %s, key: psk}
          tunnels:
            - id: 1
              local: {prefixes: [192.0.2.0/28]}
              remote: {prefixes: [203.0.113.%d/32]}
        """
            .formatted(name, gateway, ikeGroup, espGroup, n % 250 + 1, n, secret, n % 250 + 1),
        IpsecPeer.class);
  }

  public static Secret pskSecret(String name, String psk) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("vpn")
        .endMetadata()
        .withData(
            Map.of("psk", Base64.getEncoder().encodeToString(psk.getBytes(StandardCharsets.UTF_8))))
        .build();
  }
}
