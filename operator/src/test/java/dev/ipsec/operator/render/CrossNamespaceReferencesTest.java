package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A peer may refer only to Secrets and ConfigMaps of its own namespace: a reference that names
 * another is refused, naming the field, before any reference of the peer is looked up; the other
 * peers render as before.
 */
class CrossNamespaceReferencesTest {

  static final String PSK_PEER =
      """
      gateway: gw
      authentication:
        mode: pre-shared-secret
        preSharedSecret:
          secretRef: {name: %s, key: key%s}
      ikeGroup: ike
      defaultEspGroup: esp
      localAddress: 192.0.2.1
      remoteAddresses: [198.51.100.%d]
      tunnels:
        - id: 1
          local: {prefixes: [192.0.2.0/24]}
          remote: {prefixes: [203.0.113.%d/32]}
      """;

  @Test
  void aSecretOfAnotherNamespaceIsRefusedAndNothingOfThePeerIsLookedUp() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.peers.clear();
    s.peers.add(peer("mine", PSK_PEER.formatted("psk", "", 1, 1)));
    s.peers.add(peer("theirs", PSK_PEER.formatted("their-psk", ", namespace: other", 2, 2)));
    // a Secret of that name in the peer's own namespace is no stand-in for the other one
    s.secrets.put("their-psk", Map.of("key", "not-theirs".getBytes(StandardCharsets.UTF_8)));
    List<String> lookups = new ArrayList<>();
    ReferencedData recorded = recording(ReferencedData.of(s.secrets, s.configMaps), lookups);

    RenderedGateway rendered =
        new GatewayRenderer().render(new GatewayInput(s.gateway, s.peers, s.ike, s.esp, recorded));

    assertThat(rendered.peerErrors().get("theirs"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path())
                  .isEqualTo("spec.authentication.preSharedSecret.secretRef.namespace");
              assertThat(e.reason()).isEqualTo("CrossNamespaceReference");
              assertThat(e.message())
                  .isEqualTo(
                      "Secret \"their-psk\" in namespace \"other\": cross-namespace references are"
                          + " refused; a peer may only refer to objects in its own namespace"
                          + " \"vpn\"");
            });
    // the other peer is unaffected, and only its lookups happened: "their-psk" is never read,
    // not even a Secret of that name in the peer's own namespace
    assertThat(rendered.peerErrors()).doesNotContainKey("mine");
    assertThat(rendered.connections()).containsKey("mine").doesNotContainKey("theirs");
    assertThat(lookups).containsExactly("secret psk/key", "uid psk");
  }

  @Test
  void theOwnNamespaceWrittenOutIsTheSameAsNone() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.peers.clear();
    s.peers.add(peer("mine", PSK_PEER.formatted("psk", ", namespace: vpn", 1, 1)));
    assertThat(s.render().peerErrors()).isEmpty();
    assertThat(s.render().connections()).containsKey("mine");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          x509 certificate | {name: tls, namespace: other} | [{secretRef: {name: ca, key: ca.crt}}] | spec.authentication.x509.certificate.namespace | Secret "tls"
          x509 CA Secret    | {name: tls} | [{secretRef: {name: ca, key: ca.crt, namespace: other}}] | spec.authentication.x509.caCertificates[0].secretRef.namespace | Secret "ca"
          x509 CA ConfigMap | {name: tls} | [{secretRef: {name: ca, key: ca.crt}}, {configMapRef: {name: cas, key: ca.crt, namespace: kube-system}}] | spec.authentication.x509.caCertificates[1].configMapRef.namespace | ConfigMap "cas" in namespace "kube-system"
          """)
  void everyReferenceOfAnX509PeerIsChecked(
      String description, String certificate, String cas, String path, String names) {
    IpsecPeer p =
        peer(
            "x",
            """
            gateway: gw
            authentication:
              mode: x509
              x509:
                certificate: %s
                caCertificates: %s
            ikeGroup: ike
            defaultEspGroup: esp
            localAddress: 192.0.2.1
            remoteAddresses: [198.51.100.9]
            tunnels:
              - id: 1
                local: {prefixes: [192.0.2.0/24]}
                remote: {prefixes: [203.0.113.9/32]}
            """
                .formatted(certificate, cas));
    assertThat(CrossNamespaceReferences.of(p))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path()).isEqualTo(path);
              assertThat(e.message()).startsWith(names);
            });
  }

  @Test
  void rsaKeysAndPassphrasesAreChecked() {
    IpsecPeer p =
        peer(
            "r",
            """
            gateway: gw
            authentication:
              mode: rsa
              rsa:
                localKey: {name: key, key: tls.key, namespace: other}
                passphrase: {name: pass, key: p, namespace: other}
                remotePublicKey: x
            ikeGroup: ike
            """);
    assertThat(CrossNamespaceReferences.of(p))
        .extracting(FieldError::path)
        .containsExactly(
            "spec.authentication.rsa.localKey.namespace",
            "spec.authentication.rsa.passphrase.namespace");
  }

  @Test
  void secretReferencesAreListedByTheirPathsWhichTheRendererReportsAt() {
    IpsecPeer x509 =
        peer(
            "x",
            """
            gateway: gw
            authentication:
              mode: x509
              x509:
                certificate: {name: tls}
                passphrase: {name: pass, key: p}
                caCertificates:
                  - configMapRef: {name: cas, key: ca.crt}
                  - secretRef: {name: ca-secret, key: ca.crt}
            ikeGroup: ike
            """);
    assertThat(CrossNamespaceReferences.secretReferences(x509))
        .containsExactly(
            Map.entry("spec.authentication.x509.certificate", "tls"),
            Map.entry("spec.authentication.x509.passphrase", "pass"),
            Map.entry("spec.authentication.x509.caCertificates[1].secretRef", "ca-secret"));

    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.peers.clear();
    s.peers.add(peer("mine", PSK_PEER.formatted("absent-psk", "", 1, 1)));
    IpsecPeer psk = s.peers.get(0);
    assertThat(CrossNamespaceReferences.secretReferences(psk))
        .containsExactly(Map.entry("spec.authentication.preSharedSecret.secretRef", "absent-psk"));
    // the renderer's "not found" stands at that path (validate --offline relies on it)
    assertThat(s.render().peerErrors().get("mine"))
        .extracting(FieldError::path)
        .containsExactly("spec.authentication.preSharedSecret.secretRef");
  }

  static IpsecPeer peer(String name, String spec) {
    IpsecPeer p = Fixtures.peer(name, spec);
    p.getMetadata().setNamespace("vpn");
    return p;
  }

  /** Records every lookup the renderer makes: a refused peer must make none. */
  static ReferencedData recording(ReferencedData data, List<String> lookups) {
    return new ReferencedData() {
      @Override
      public Optional<byte[]> secret(String name, String key) {
        lookups.add("secret " + name + "/" + key);
        return data.secret(name, key);
      }

      @Override
      public Optional<String> configMap(String name, String key) {
        lookups.add("configMap " + name + "/" + key);
        return data.configMap(name, key);
      }

      @Override
      public Optional<String> secretUid(String name) {
        lookups.add("uid " + name);
        return data.secretUid(name);
      }
    };
  }
}
