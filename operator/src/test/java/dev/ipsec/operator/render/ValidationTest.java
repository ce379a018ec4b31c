package dev.ipsec.operator.render;

import static dev.ipsec.operator.render.Fixtures.esp;
import static dev.ipsec.operator.render.Fixtures.ike;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.AlgorithmRules;
import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.RsaAuthentication;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import dev.ipsec.operator.api.v1alpha1.SecretNameRef;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.api.v1alpha1.Vti;
import dev.ipsec.operator.api.v1alpha1.X509Authentication;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of VyOS's verify() (reference section 2), the gaps it names, and strongSwan's limits.
 */
class ValidationTest {

  static Arguments rule(
      String name, Consumer<Fixtures.Scenario> change, String path, String message) {
    return Arguments.of(name, change, path, message);
  }

  static Tunnel tunnel(Fixtures.Scenario s) {
    return s.peer().getSpec().getTunnels().get(0);
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        rule(
            "peer name with a dot",
            s -> s.peer().getMetadata().setName("branch.one"),
            "metadata.name",
            "incorrect peer name"),
        rule(
            "missing ike-group",
            s -> s.peer().getSpec().setIkeGroup(null),
            "spec.ikeGroup",
            "missing ikeGroup"),
        rule(
            "invalid ike-group",
            s -> s.peer().getSpec().setIkeGroup("nope"),
            "spec.ikeGroup",
            "IkeGroup \"nope\" not found"),
        rule(
            "invalid default-esp-group",
            s -> s.peer().getSpec().setDefaultEspGroup("nope"),
            "spec.defaultEspGroup",
            "EspGroup \"nope\" not found"),
        rule(
            "missing authentication",
            s -> s.peer().getSpec().setAuthentication(null),
            "spec.authentication",
            "missing authentication"),
        rule(
            "missing authentication mode",
            s -> s.peer().getSpec().getAuthentication().setMode(null),
            "spec.authentication.mode",
            "missing authentication mode"),
        rule(
            "no gateway plugin implements sha256_96",
            s ->
                s.ike.put(
                    "ike",
                    ike(
                        "ike",
                        "proposals: [{encryption: aes128, hash: sha256_96, prf: prfsha256, dhGroup:"
                            + " 14}]")),
            "spec.ikeGroup",
            "spec.proposals[0].hash: " + AlgorithmRules.SHA256_96_HASH),
        rule(
            "gmac is no integrity algorithm for strongSwan",
            s ->
                s.esp.put("esp", esp("esp", "proposals: [{encryption: aes128, hash: aes256gmac}]")),
            "spec.defaultEspGroup",
            "spec.proposals[0].hash: " + AlgorithmRules.GMAC_HASH),
        rule(
            "IKE is never unencrypted",
            s ->
                s.ike.put(
                    "ike",
                    ike("ike", "proposals: [{encryption: 'null', hash: sha256, dhGroup: 14}]")),
            "spec.ikeGroup",
            "spec.proposals[0].encryption: " + AlgorithmRules.NULL_ENCRYPTION_IN_IKE),
        rule(
            "aggressive needs ikev1",
            s -> s.ike.put("ike", ike("ike", "mode: aggressive\nproposals: [{}]")),
            "spec.ikeGroup",
            "aggressive mode requires keyExchange ikev1"),
        rule(
            "unknown DH group",
            s -> s.ike.put("ike", ike("ike", "proposals: [{dhGroup: 3}]")),
            "spec.ikeGroup",
            "spec.proposals[0].dhGroup"),
        rule(
            "IKE group without proposals",
            s -> s.ike.put("ike", ike("ike", "proposals: []")),
            "spec.ikeGroup",
            "at least one proposal"),
        rule(
            "dpd interval out of range",
            s -> s.ike.put("ike", ike("ike", "deadPeerDetection: {interval: 1}\nproposals: [{}]")),
            "spec.ikeGroup",
            "spec.deadPeerDetection.interval: must be between 2 and 86400"),
        rule(
            "esp lifetime out of range",
            s -> s.esp.put("esp", esp("esp", "lifetime: 10\nproposals: [{}]")),
            "spec.defaultEspGroup",
            "spec.lifetime: must be between 30 and 86400"),
        rule(
            "x509 without settings",
            s -> {
              s.peer().getSpec().getAuthentication().setMode(AuthenticationMode.X509);
            },
            "spec.authentication.x509",
            "missing x509 settings"),
        rule(
            "x509 without CA certificates",
            s -> {
              X509Authentication x = new X509Authentication();
              x.setCertificate(new SecretNameRef("gw-tls"));
              s.secrets.put(
                  "gw-tls",
                  Map.of(
                      "tls.crt",
                          Fixtures.GATEWAY_CERTIFICATE
                              .certificatePem()
                              .getBytes(StandardCharsets.UTF_8),
                      "tls.key",
                          Fixtures.GATEWAY_CERTIFICATE
                              .privateKeyPem()
                              .getBytes(StandardCharsets.UTF_8)));
              s.peer().getSpec().getAuthentication().setMode(AuthenticationMode.X509);
              s.peer().getSpec().getAuthentication().setX509(x);
            },
            "spec.authentication.x509.caCertificates",
            "missing x509 CA certificates"),
        rule(
            "x509 certificate Secret missing",
            s -> {
              X509Authentication x = new X509Authentication();
              x.setCertificate(new SecretNameRef("absent"));
              s.peer().getSpec().getAuthentication().setMode(AuthenticationMode.X509);
              s.peer().getSpec().getAuthentication().setX509(x);
            },
            "spec.authentication.x509.certificate",
            "Secret \"absent\" with key tls.crt not found"),
        rule(
            "x509 certificate is not PEM",
            s -> {
              X509Authentication x = new X509Authentication();
              x.setCertificate(new SecretNameRef("gw-tls"));
              s.secrets.put(
                  "gw-tls",
                  Map.of(
                      "tls.crt",
                      "garbage".getBytes(StandardCharsets.UTF_8),
                      "tls.key",
                      Fixtures.GATEWAY_CERTIFICATE
                          .privateKeyPem()
                          .getBytes(StandardCharsets.UTF_8)));
              s.peer().getSpec().getAuthentication().setMode(AuthenticationMode.X509);
              s.peer().getSpec().getAuthentication().setX509(x);
            },
            "spec.authentication.x509.certificate",
            "is not a PEM certificate"),
        rule(
            "rsa without settings",
            s -> s.peer().getSpec().getAuthentication().setMode(AuthenticationMode.RSA),
            "spec.authentication.rsa",
            "missing RSA settings"),
        rule(
            "rsa without local key",
            s -> {
              RsaAuthentication r = new RsaAuthentication();
              r.setRemotePublicKey(Fixtures.PEER_RSA_KEY.publicKeyPem());
              s.peer().getSpec().getAuthentication().setMode(AuthenticationMode.RSA);
              s.peer().getSpec().getAuthentication().setRsa(r);
            },
            "spec.authentication.rsa.localKey",
            "missing RSA local-key"),
        rule(
            "rsa without remote key",
            s -> {
              RsaAuthentication r = new RsaAuthentication();
              byte[] key =
                  Fixtures.GATEWAY_RSA_KEY.privateKeyPem().getBytes(StandardCharsets.UTF_8);
              s.secrets.put("k", Map.of("key", key));
              r.setLocalKey(new SecretKeyRef("k", "key"));
              s.peer().getSpec().getAuthentication().setMode(AuthenticationMode.RSA);
              s.peer().getSpec().getAuthentication().setRsa(r);
            },
            "spec.authentication.rsa.remotePublicKey",
            "missing RSA remote-key"),
        rule(
            "psk Secret missing",
            s -> s.secrets.clear(),
            "spec.authentication.preSharedSecret.secretRef",
            "Secret \"psk\" with key key not found"),
        rule(
            "psk with a trailing newline",
            s -> s.secrets.put("psk", Map.of("key", "abc\n".getBytes(StandardCharsets.UTF_8))),
            "spec.authentication.preSharedSecret.secretRef",
            "control character"),
        rule(
            "missing local-address or dhcp-interface",
            s -> s.peer().getSpec().setLocalAddress(null),
            "spec.localAddress",
            "missing localAddress or dhcpInterface"),
        rule(
            "vti with local-address and dhcp-interface",
            s -> {
              Vti v = new Vti();
              v.setBind("vti1");
              s.peer().getSpec().setVti(v);
              s.peer().getSpec().setDhcpInterface("eth0");
            },
            "spec.vti",
            "a single localAddress or dhcpInterface is required when using vti"),
        rule(
            "no vti and no tunnel",
            s -> s.peer().getSpec().setTunnels(new ArrayList<>()),
            "spec",
            "no VTI or tunnel specified"),
        rule(
            "tunnel without esp-group and no default",
            s -> s.peer().getSpec().setDefaultEspGroup(null),
            "spec.tunnels[0].espGroup",
            "missing esp-group on tunnel 1"),
        rule(
            "tunnel with unknown esp-group",
            s -> tunnel(s).setEspGroup("nope"),
            "spec.tunnels[0].espGroup",
            "EspGroup \"nope\" not found"),
        rule(
            "transport mode with protocol and no fixed local address",
            s -> {
              s.esp.put("esp", esp("esp", "mode: transport\nproposals: [{}]"));
              s.peer().getSpec().setLocalAddress("any");
              tunnel(s).setLocal(null);
              tunnel(s).setRemote(null);
              tunnel(s).setProtocol("tcp");
            },
            "spec.tunnels[0].protocol",
            "fixed localAddress required"),
        rule(
            "transport mode with prefixes",
            s -> s.esp.put("esp", esp("esp", "mode: transport\nproposals: [{}]")),
            "spec.tunnels[0]",
            "local/remote prefix cannot be used with ESP transport mode on tunnel 1"),
        rule(
            "vti-only peer without any esp-group (VyOS gap)",
            s -> {
              Vti v = new Vti();
              v.setBind("vti1");
              s.peer().getSpec().setVti(v);
              s.peer().getSpec().setTunnels(new ArrayList<>());
              s.peer().getSpec().setDefaultEspGroup(null);
            },
            "spec.vti.espGroup",
            "missing espGroup on vti"),
        rule(
            "vti bind that is no vtiN (VyOS gap)",
            s -> {
              Vti v = new Vti();
              v.setBind("eth0");
              s.peer().getSpec().setVti(v);
            },
            "spec.vti.bind",
            "vti followed by a number"),
        rule(
            "duplicate tunnel ids",
            s -> {
              Tunnel t = new Tunnel();
              t.setId(1);
              s.peer().getSpec().getTunnels().add(t);
            },
            "spec.tunnels[1].id",
            "duplicate tunnel id 1"),
        rule(
            "bad prefix",
            s -> tunnel(s).getRemote().setPrefixes(List.of("203.0.113.0/24", "10.0.0.0/33")),
            "spec.tunnels[0].remote.prefixes[1]",
            "CIDR"),
        rule(
            "unknown protocol",
            s -> tunnel(s).setProtocol("nosuch"),
            "spec.tunnels[0].protocol",
            "unknown IP protocol"),
        rule(
            "port out of range",
            s -> tunnel(s).getLocal().setPort(70000),
            "spec.tunnels[0].local.port",
            "between 1 and 65535"),
        rule(
            "priority out of range",
            s -> tunnel(s).setPriority(101),
            "spec.tunnels[0].priority",
            "between 1 and 100"),
        rule(
            "replay window out of range",
            s -> s.peer().getSpec().setReplayWindow(4096),
            "spec.replayWindow",
            "between 0 and 2040"),
        rule(
            "local address not an address",
            s -> s.peer().getSpec().setLocalAddress("gw.example.org"),
            "spec.localAddress",
            "IPv4 or IPv6"),
        rule(
            "remote address with a brace",
            s -> s.peer().getSpec().setRemoteAddresses(List.of("a}b")),
            "spec.remoteAddresses[0]",
            "host name"),
        rule(
            "virtual address not an address",
            s -> s.peer().getSpec().setVirtualAddresses(List.of("any")),
            "spec.virtualAddresses[0]",
            "IPv4 or IPv6"),
        rule(
            "identity with a quote",
            s -> s.peer().getSpec().getAuthentication().setRemoteId("a\"b"),
            "spec.authentication.remoteId",
            "not a valid IKE identity"),
        rule(
            "dhcp interface name too long",
            s -> {
              s.peer().getSpec().setLocalAddress(null);
              s.peer().getSpec().setDhcpInterface("a234567890123456");
            },
            "spec.dhcpInterface",
            "interface name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void reportsTheRuleOnTheFieldAndLeavesThePeerOut(
      String name, Consumer<Fixtures.Scenario> change, String path, String message) {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    change.accept(s);
    RenderedGateway rendered = s.render();
    String peer = s.peer().getMetadata().getName();
    assertThat(rendered.peerErrors()).containsKey(peer);
    assertThat(rendered.peerErrors().get(peer))
        .anySatisfy(
            e -> {
              assertThat(e.path()).isEqualTo(path);
              assertThat(e.message()).contains(message);
            });
    assertThat(rendered.configFiles()).doesNotContainKey("conf.d/" + peer + ".conf");
    assertThat(rendered.secretFiles()).doesNotContainKey("secrets.d/" + peer + ".conf");
    assertThat(rendered.connections()).doesNotContainKey(peer);
  }

  @Test
  void reportsAllErrorsOfAPeerAtOnce() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.peer().getSpec().setLocalAddress("not-an-ip");
    s.peer().getSpec().getTunnels().get(0).setProtocol("nosuch");
    s.peer().getSpec().setReplayWindow(-1);
    s.peer().getSpec().getAuthentication().setLocalId("}");
    assertThat(s.render().peerErrors().get("p1"))
        .extracting(FieldError::path)
        .containsExactlyInAnyOrder(
            "spec.localAddress",
            "spec.tunnels[0].protocol",
            "spec.replayWindow",
            "spec.authentication.localId");
  }

  @Test
  void oneInvalidPeerDoesNotStopTheOthers() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.peers.add(
        Fixtures.peer(
            "p2",
            Fixtures.peerSpec("192.0.2.1", "198.51.100.2", "192.0.2.0/25", "203.0.113.0/25")));
    s.peers.add(
        Fixtures.peer(
            "p3", Fixtures.peerSpec("192.0.2.1", "198.51.100.3", "192.0.2.0/25", "nonsense")));
    RenderedGateway rendered = s.render();
    assertThat(rendered.peerErrors()).containsOnlyKeys("p3");
    assertThat(rendered.connections()).containsOnlyKeys("p1", "p2");
    assertThat(rendered.configFiles())
        .containsKeys("conf.d/p1.conf", "conf.d/p2.conf")
        .doesNotContainKey("conf.d/p3.conf");
  }

  @Test
  void errorsNeverContainSecretMaterial() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.secrets.put("psk", Map.of("key", "hunter2-very-secret\n".getBytes(StandardCharsets.UTF_8)));
    RenderedGateway rendered = s.render();
    assertThat(rendered.peerErrors().get("p1").toString()).doesNotContain("hunter2");
    assertThat(rendered.toString()).doesNotContain("hunter2");
  }

  @Test
  void theConnectionModelNeverPrintsSecrets() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    PeerResolver.Result result =
        new PeerResolver(
                s.peer(), new GroupCache(s.ike, s.esp), ReferencedData.of(s.secrets, s.configMaps))
            .resolve();
    assertThat(result.model().toString()).contains("ike-p1").doesNotContain(Fixtures.PSK);
  }

  @Test
  void gatewayErrorsAreSeparateAndPeersStillRender() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.gateway = Fixtures.gateway("interfaces: [\"eth0 \"]\noptions: {virtualIpInterface: \"a{b\"}");
    RenderedGateway rendered = s.render();
    assertThat(rendered.gatewayErrors())
        .extracting(FieldError::path)
        .containsExactly("spec.interfaces[0]", "spec.options.virtualIpInterface");
    assertThat(rendered.strongswanConf()).isEmpty();
    assertThat(rendered.connections()).containsOnlyKeys("p1");
  }

  @Test
  void aGatewayOfMoreThanOnePodIsRefusedSinceEachWouldInitiateTheSameTunnels() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.gateway = Fixtures.gateway("gateway: {replicas: 2}");

    RenderedGateway rendered = s.render();

    assertThat(rendered.gatewayErrors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path()).isEqualTo("spec.gateway.replicas");
              assertThat(e.message()).startsWith("must be 0 or 1, not 2");
            });
    assertThat(rendered.strongswanConf()).isEmpty();
    s.gateway = Fixtures.gateway("gateway: {replicas: 0}");
    assertThat(s.render().gatewayErrors()).isEmpty();
  }
}
