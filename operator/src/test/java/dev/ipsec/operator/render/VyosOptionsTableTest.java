package dev.ipsec.operator.render;

import static dev.ipsec.operator.render.Fixtures.esp;
import static dev.ipsec.operator.render.Fixtures.ike;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.CaCertificateRef;
import dev.ipsec.operator.api.v1alpha1.ConnectionType;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.ObjectKeyRef;
import dev.ipsec.operator.api.v1alpha1.RsaAuthentication;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import dev.ipsec.operator.api.v1alpha1.SecretNameRef;
import dev.ipsec.operator.api.v1alpha1.TrafficSelector;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.api.v1alpha1.Vti;
import dev.ipsec.operator.api.v1alpha1.X509Authentication;
import dev.ipsec.operator.testing.RequiresCharon;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per VyOS option of tables 1a-1c of the reference: change that option in the base
 * scenario, check the exact lines it must (and must not) produce, and load the result into a real
 * charon, which must list exactly the announced connections and children.
 */
@RequiresCharon
class VyosOptionsTableTest {

  private static Charon charon;

  @BeforeAll
  static void startCharon() {
    charon = Charon.start();
  }

  @AfterAll
  static void stopCharon() {
    if (charon != null) {
      charon.close();
    }
  }

  /** Where a value sits: the file and the section path inside it. */
  record Expect(String file, List<String> section, String key, String value) {
    @Override
    public String toString() {
      return file
          + ":"
          + String.join(".", section)
          + "."
          + key
          + (value == null ? " absent" : " = " + value);
    }
  }

  static final String CONN = "conf.d/p1.conf";
  static final String T1 = "p1-tunnel-1";

  static Expect conn(String key, String value) {
    return new Expect(CONN, List.of("connections", "p1"), key, value);
  }

  static Expect child(String key, String value) {
    return childOf(T1, key, value);
  }

  static Expect childOf(String child, String key, String value) {
    return new Expect(CONN, List.of("connections", "p1", "children", child), key, value);
  }

  static Expect local(String key, String value) {
    return new Expect(CONN, List.of("connections", "p1", "local"), key, value);
  }

  static Expect remote(String key, String value) {
    return new Expect(CONN, List.of("connections", "p1", "remote"), key, value);
  }

  static Expect secret(String section, String key, String value) {
    return new Expect("secrets.d/p1.conf", List.of("secrets", section), key, value);
  }

  static Arguments row(String option, Consumer<Fixtures.Scenario> change, Expect... expectations) {
    return Arguments.of(option, change, List.of(expectations));
  }

  static IpsecPeerSpec peer(Fixtures.Scenario s) {
    return s.peer().getSpec();
  }

  static Tunnel tunnel(Fixtures.Scenario s) {
    return s.peer().getSpec().getTunnels().get(0);
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        // ---- 1a ike-group
        row("ike close-action default none", s -> {}, child("close_action", "none")),
        row(
            "ike close-action trap",
            s -> ikeSpec(s, "closeAction: trap"),
            child("close_action", "trap")),
        row(
            "ike close-action start",
            s -> ikeSpec(s, "closeAction: start"),
            child("close_action", "start")),
        row(
            "ike close-action hold -> trap",
            s -> ikeSpec(s, "closeAction: hold"),
            child("close_action", "trap")),
        row(
            "ike close-action restart -> start",
            s -> ikeSpec(s, "closeAction: restart"),
            child("close_action", "start")),
        row(
            "ike no dead-peer-detection: no DPD lines",
            s -> {},
            conn("dpd_timeout", null),
            conn("dpd_delay", null),
            child("dpd_action", null)),
        row(
            "ike dead-peer-detection defaults",
            s -> ikeSpec(s, "deadPeerDetection: {}"),
            conn("dpd_timeout", "120"),
            conn("dpd_delay", "30"),
            child("dpd_action", "clear")),
        row(
            "ike dead-peer-detection action/interval/timeout",
            s -> ikeSpec(s, "deadPeerDetection: {action: restart, interval: 10, timeout: 50}"),
            conn("dpd_timeout", "50"),
            conn("dpd_delay", "10"),
            child("dpd_action", "restart")),
        row(
            "ike dead-peer-detection action trap",
            s -> ikeSpec(s, "deadPeerDetection: {action: trap}"),
            child("dpd_action", "trap")),
        row(
            "ike dead-peer-detection action hold -> trap",
            s -> ikeSpec(s, "deadPeerDetection: {action: hold}"),
            child("dpd_action", "trap")),
        row(
            "ike ikev2-reauth is not rendered",
            s -> ikeSpec(s, "ikev2Reauth: true"),
            conn("reauth_time", null),
            conn("rekey_time", "28800s")),
        row("ike key-exchange unset -> version 0", s -> {}, conn("version", "0")),
        row("ike key-exchange ikev1", s -> ikeSpec(s, "keyExchange: ikev1"), conn("version", "1")),
        row("ike key-exchange ikev2", s -> ikeSpec(s, "keyExchange: ikev2"), conn("version", "2")),
        row("ike lifetime default", s -> {}, conn("rekey_time", "28800s")),
        row(
            "ike lifetime 0 disables rekeying",
            s -> ikeSpec(s, "lifetime: 0"),
            conn("rekey_time", "0s")),
        row("ike lifetime 3600", s -> ikeSpec(s, "lifetime: 3600"), conn("rekey_time", "3600s")),
        row("ike mobike default yes", s -> {}, conn("mobike", "yes")),
        row("ike disable-mobike", s -> ikeSpec(s, "disableMobike: true"), conn("mobike", "no")),
        row(
            "ike mode main",
            s -> ikeSpec(s, "keyExchange: ikev1\nmode: main"),
            conn("aggressive", null)),
        row(
            "ike mode aggressive with ikev1",
            s -> ikeSpec(s, "keyExchange: ikev1\nmode: aggressive"),
            conn("aggressive", "yes"),
            conn("version", "1")),
        row(
            "ike proposal defaults aes128/sha1/dh2",
            s -> s.ike.put("ike", ike("ike", "proposals: [{}]")),
            conn("proposals", "aes128-sha1-modp1024"),
            child("esp_proposals", "aes256-sha256-modp1024")),
        row(
            "ike proposal order, prf and DH names",
            s ->
                s.ike.put(
                    "ike",
                    ike(
                        "ike",
                        """
                        proposals:
                          - {encryption: aes256gcm128, hash: sha256, dhGroup: 19}
                          - {encryption: aes128ccm128, hash: aesxcbc, prf: prfsha256, dhGroup: 31}
                          - {encryption: chacha20poly1305, hash: sha512, prf: prfsha512, dhGroup: 21}
                          - {encryption: 3des, hash: md5, dhGroup: 5}
                        """)),
            conn(
                "proposals",
                "aes256gcm128-sha256-ecp256,aes128ccm128-aesxcbc-prfsha256-curve25519,"
                    + "chacha20poly1305-sha512-prfsha512-ecp521,3des-md5-modp1536")),
        row(
            "ike proposal DH table modp2048s256/ecp512bp/curve448",
            s ->
                s.ike.put(
                    "ike",
                    ike(
                        "ike",
                        """
                        proposals:
                          - {encryption: aes256, hash: sha256, dhGroup: 24}
                          - {encryption: aes256, hash: sha256, dhGroup: 30}
                          - {encryption: aes256, hash: sha256, dhGroup: 32}
                        """)),
            conn(
                "proposals",
                "aes256-sha256-modp2048s256,aes256-sha256-ecp512bp,aes256-sha256-curve448")),
        // ---- 1b esp-group
        row("esp compression default off", s -> {}, child("ipcomp", "no")),
        row("esp compression", s -> espSpec(s, "compression: true"), child("ipcomp", "yes")),
        row(
            "esp lifetime default: life 3600, rekey 3600/1.1",
            s -> {},
            child("life_time", "3600s"),
            child("rekey_time", "3272s")),
        row(
            "esp lifetime 30",
            s -> espSpec(s, "lifetime: 30"),
            child("life_time", "30s"),
            child("rekey_time", "27s")),
        row(
            "esp life-bytes",
            s -> espSpec(s, "lifeBytes: 1100000"),
            child("life_bytes", "1100000"),
            child("rekey_bytes", "1000000")),
        row(
            "esp life-packets",
            s -> espSpec(s, "lifePackets: 11000"),
            child("life_packets", "11000"),
            child("rekey_packets", "10000")),
        row(
            "esp disable-rekey",
            s -> espSpec(s, "disableRekey: true\nlifeBytes: 2048"),
            child("life_time", "3600s"),
            child("rekey_time", "0s"),
            child("rekey_bytes", "0"),
            child("rekey_packets", "0"),
            child("life_bytes", "2048")),
        row("esp mode tunnel", s -> {}, child("mode", "tunnel")),
        row(
            "esp mode transport selects the endpoints",
            s -> {
              espSpec(s, "mode: transport");
              tunnel(s).setLocal(null);
              tunnel(s).setRemote(null);
              tunnel(s).setProtocol("gre");
            },
            child("mode", "transport"),
            child("local_ts", "192.0.2.1[47/]"),
            child("remote_ts", "198.51.100.1[47/]")),
        row(
            "esp mode transport with a remote host name uses dynamic",
            s -> {
              espSpec(s, "mode: transport");
              tunnel(s).setLocal(null);
              tunnel(s).setRemote(null);
              peer(s).setRemoteAddresses(List.of("vpn.example.org"));
            },
            child("local_ts", "192.0.2.1"),
            child("remote_ts", "dynamic")),
        row(
            "esp pfs enable uses the IKE group's first DH group",
            s -> espSpec(s, "pfs: enable"),
            child("esp_proposals", "aes256-sha256-modp2048")),
        row(
            "esp pfs disable",
            s -> espSpec(s, "pfs: disable"),
            child("esp_proposals", "aes256-sha256")),
        row(
            "esp pfs dh-group19",
            s -> espSpec(s, "pfs: dh-group19"),
            child("esp_proposals", "aes256-sha256-ecp256")),
        row(
            "esp proposals in order",
            s ->
                s.esp.put(
                    "esp",
                    esp(
                        "esp",
                        """
                        pfs: disable
                        proposals:
                          - {encryption: aes256gcm128, hash: sha256}
                          - {}
                          - {encryption: aes128ctr, hash: aesxcbc}
                        """)),
            child("esp_proposals", "aes256gcm128-sha256,aes128-sha1,aes128ctr-aesxcbc")),
        // ---- 1c site-to-site peer
        row(
            "peer disable leaves the peer out",
            s -> peer(s).setDisable(true),
            new Expect(CONN, List.of(), "connections", null)),
        row(
            "peer authentication pre-shared-secret",
            s -> {},
            local("auth", "psk"),
            remote("auth", "psk"),
            remote("id", "%any"),
            local("id", null),
            secret("ike-p1", "id-local", "192.0.2.1"),
            secret("ike-p1", "id-remote-0", "198.51.100.1"),
            secret("ike-p1", "secret", Fixtures.PSK)),
        row(
            "peer local-id and remote-id",
            s -> {
              peer(s).getAuthentication().setLocalId("C=CH, O=Test, CN=gw.example.org");
              peer(s).getAuthentication().setRemoteId("peer@example.org");
            },
            local("id", "C=CH, O=Test, CN=gw.example.org"),
            remote("id", "peer@example.org"),
            secret("ike-p1", "id-local", "C=CH, O=Test, CN=gw.example.org"),
            secret("ike-p1", "id-remote-0", "peer@example.org")),
        row(
            "peer authentication x509",
            VyosOptionsTableTest::x509,
            local("auth", "pubkey"),
            remote("auth", "pubkey"),
            conn("send_cert", "always"),
            local("certs", "p1.pem"),
            remote("cacerts", "p1-ca-0.pem"),
            secret("private-p1", "file", "p1.pem")),
        row(
            "peer authentication rsa",
            VyosOptionsTableTest::rsa,
            local("auth", "pubkey"),
            local("pubkeys", "p1-local.pem"),
            remote("pubkeys", "p1-remote.pem"),
            conn("send_cert", null),
            secret("private-p1", "file", "p1.pem")),
        row(
            "peer connection-type unset = initiate",
            s -> {},
            conn("keyingtries", "0"),
            child("start_action", "start")),
        row(
            "peer connection-type initiate",
            s -> peer(s).setConnectionType(ConnectionType.INITIATE),
            conn("keyingtries", "0"),
            child("start_action", "start")),
        row(
            "peer connection-type respond",
            s -> peer(s).setConnectionType(ConnectionType.RESPOND),
            conn("keyingtries", "1"),
            child("start_action", "trap")),
        row(
            "peer connection-type none",
            s -> peer(s).setConnectionType(ConnectionType.NONE),
            conn("keyingtries", null),
            child("start_action", "none")),
        row(
            "peer default-esp-group and tunnel esp-group",
            s -> {
              s.esp.put(
                  "other",
                  esp(
                      "other",
                      "pfs: disable\nproposals: [{encryption: aes128gcm128, hash: sha256}]"));
              Tunnel t2 = tunnel(2, "192.0.2.128/25", "203.0.113.128/25");
              t2.setEspGroup("other");
              peer(s).getTunnels().add(t2);
            },
            child("esp_proposals", "aes256-sha256-modp2048"),
            childOf("p1-tunnel-2", "esp_proposals", "aes128gcm128-sha256")),
        row(
            "peer dhcp-interface: charon picks the address",
            s -> {
              peer(s).setLocalAddress(null);
              peer(s).setDhcpInterface("eth0");
            },
            conn("local_addrs", "%any")),
        row(
            "peer force-udp-encapsulation",
            s -> peer(s).setForceUdpEncapsulation(true),
            conn("encap", "yes")),
        row("peer no force-udp-encapsulation", s -> {}, conn("encap", null)),
        row(
            "peer ikev2-reauth is not rendered",
            s -> peer(s).setIkev2Reauth(dev.ipsec.operator.api.v1alpha1.Ikev2Reauth.YES),
            conn("reauth_time", null)),
        row("peer local-address", s -> {}, conn("local_addrs", "192.0.2.1")),
        row(
            "peer local-address any",
            s -> peer(s).setLocalAddress("any"),
            conn("local_addrs", "%any"),
            secret("ike-p1", "id-local", null)),
        row(
            "peer remote-address several",
            s ->
                peer(s)
                    .setRemoteAddresses(List.of("198.51.100.1", "2001:db8::1", "vpn.example.org")),
            conn("remote_addrs", "198.51.100.1,2001:db8::1,vpn.example.org"),
            secret("ike-p1", "id-remote-2", "vpn.example.org")),
        row(
            "peer remote-address any",
            s -> peer(s).setRemoteAddresses(List.of("198.51.100.1", "any")),
            conn("remote_addrs", "%any")),
        row(
            "peer remote-address unset",
            s -> peer(s).setRemoteAddresses(new ArrayList<>()),
            conn("remote_addrs", "%any"),
            secret("ike-p1", "id-remote-0", null)),
        row("peer replay-window default", s -> {}, child("replay_window", "32")),
        row("peer replay-window 0", s -> peer(s).setReplayWindow(0), child("replay_window", "0")),
        row(
            "peer replay-window 2040",
            s -> peer(s).setReplayWindow(2040),
            child("replay_window", "2040")),
        row(
            "peer virtual-address",
            s -> peer(s).setVirtualAddresses(List.of("192.0.2.200", "2001:db8::200")),
            conn("vips", "192.0.2.200, 2001:db8::200")),
        row(
            "tunnel disable skips the child",
            s -> {
              peer(s).getTunnels().add(tunnel(2, "192.0.2.128/25", "203.0.113.128/25"));
              tunnel(s).setDisable(true);
            },
            new Expect(CONN, List.of("connections", "p1", "children"), T1, null),
            childOf("p1-tunnel-2", "local_ts", "192.0.2.128/25")),
        row(
            "tunnel prefixes, protocol and ports",
            s -> {
              tunnel(s).getLocal().setPrefixes(List.of("192.0.2.0/25", "2001:db8:1::/48"));
              tunnel(s).getLocal().setPort(443);
              tunnel(s).setProtocol("tcp");
            },
            child("local_ts", "192.0.2.0/25[6/443],2001:db8:1::/48[6/443]"),
            child("remote_ts", "203.0.113.0/24[6/]")),
        row(
            "tunnel port without protocol",
            s -> tunnel(s).getRemote().setPort(53),
            child("local_ts", "192.0.2.0/24"),
            child("remote_ts", "203.0.113.0/24[/53]")),
        row(
            "tunnel protocol by number",
            s -> tunnel(s).setProtocol("47"),
            child("local_ts", "192.0.2.0/24[47/]")),
        row(
            "tunnel prefix any",
            s -> tunnel(s).getRemote().setPrefixes(List.of("any")),
            child("remote_ts", "0.0.0.0/0,::/0")),
        row(
            "tunnel without prefixes: no selector lines",
            s -> {
              tunnel(s).setLocal(null);
              tunnel(s).setRemote(null);
            },
            child("local_ts", null),
            child("remote_ts", null)),
        row("tunnel priority", s -> tunnel(s).setPriority(5), child("priority", "5")),
        row(
            "tunnel overlapping prefixes add a passthrough child",
            s -> tunnel(s).getRemote().setPrefixes(List.of("192.0.2.128/25", "203.0.113.0/24")),
            childOf("p1-tunnel-1-passthrough", "local_ts", "192.0.2.0/24"),
            childOf("p1-tunnel-1-passthrough", "remote_ts", "192.0.2.0/24"),
            childOf("p1-tunnel-1-passthrough", "mode", "pass"),
            childOf("p1-tunnel-1-passthrough", "start_action", "trap")),
        row(
            "tunnel local any next to a prefix: passthrough of what overlaps",
            s -> {
              tunnel(s).getLocal().setPrefixes(List.of("any", "198.51.100.0/24"));
              tunnel(s).getRemote().setPrefixes(List.of("198.51.100.128/25"));
            },
            child("local_ts", "0.0.0.0/0,::/0"),
            childOf("p1-tunnel-1-passthrough", "local_ts", "0.0.0.0/0,198.51.100.0/24")),
        row(
            "vti bind without tunnels",
            s -> {
              peer(s).setTunnels(new ArrayList<>());
              Vti vti = new Vti();
              vti.setBind("vti7");
              peer(s).setVti(vti);
            },
            childOf("p1-vti", "local_ts", "0.0.0.0/0,::/0"),
            childOf("p1-vti", "remote_ts", "0.0.0.0/0,::/0"),
            childOf("p1-vti", "updown", "/etc/ipsec.d/vti-up-down vti7"),
            childOf("p1-vti", "if_id_in", "8"),
            childOf("p1-vti", "if_id_out", "8"),
            childOf("p1-vti", "esp_proposals", "aes256-sha256-modp2048")),
        row(
            "vti with its own esp-group",
            s -> {
              s.esp.put(
                  "vti-esp",
                  esp("vti-esp", "pfs: disable\nproposals: [{encryption: aes128, hash: sha256}]"));
              peer(s).setTunnels(new ArrayList<>());
              peer(s).setDefaultEspGroup(null);
              Vti vti = new Vti();
              vti.setBind("vti0");
              vti.setEspGroup("vti-esp");
              peer(s).setVti(vti);
            },
            childOf("p1-vti", "esp_proposals", "aes128-sha256"),
            childOf("p1-vti", "if_id_in", "1")),
        row(
            "vti with tunnels: tunnels carry the VTI lines",
            s -> {
              Vti vti = new Vti();
              vti.setBind("vti3");
              peer(s).setVti(vti);
            },
            child("updown", "/etc/ipsec.d/vti-up-down vti3"),
            child("if_id_in", "4"),
            child("if_id_out", "4"),
            new Expect(CONN, List.of("connections", "p1", "children"), "p1-vti", null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void optionRendersExactlyAndLoadsIntoCharon(
      String option, Consumer<Fixtures.Scenario> change, List<Expect> expectations) {
    Fixtures.Scenario scenario = Fixtures.Scenario.base();
    change.accept(scenario);
    RenderedGateway rendered = scenario.render();
    assertThat(rendered.peerErrors()).as(option).isEmpty();
    for (Expect e : expectations) {
      SettingsTree section = section(rendered, e);
      if (e.value() == null) {
        assertThat(
                section == null
                    || (section.value(e.key()) == null && section.section(e.key()) == null))
            .as("%s in\n%s", e, rendered.configFiles().get(e.file()))
            .isTrue();
      } else {
        assertThat(section).as("%s: section missing in\n%s", e, rendered.configFiles()).isNotNull();
        assertThat(section.value(e.key()))
            .as("%s in\n%s", e, file(rendered, e.file()))
            .isEqualTo(e.value());
      }
    }
    charon.assertLoads(rendered);
  }

  private static SettingsTree section(RenderedGateway rendered, Expect e) {
    String text = file(rendered, e.file());
    if (text == null) {
      return null;
    }
    return SettingsTree.parse(text).section(e.section().toArray(String[]::new));
  }

  private static String file(RenderedGateway rendered, String name) {
    if (rendered.configFiles().containsKey(name)) {
      return rendered.configFiles().get(name);
    }
    byte[] secret = rendered.secretFiles().get(name);
    return secret == null ? null : new String(secret, StandardCharsets.UTF_8);
  }

  // ---- helpers that change the base scenario

  static void ikeSpec(Fixtures.Scenario s, String extraYaml) {
    s.ike.put(
        "ike",
        ike(
            "ike",
            extraYaml + "\nproposals:\n  - {encryption: aes256, hash: sha256, dhGroup: 14}"));
  }

  static void espSpec(Fixtures.Scenario s, String extraYaml) {
    s.esp.put(
        "esp", esp("esp", extraYaml + "\nproposals:\n  - {encryption: aes256, hash: sha256}"));
  }

  static Tunnel tunnel(int id, String local, String remote) {
    Tunnel t = new Tunnel();
    t.setId(id);
    TrafficSelector l = new TrafficSelector();
    l.setPrefixes(new ArrayList<>(List.of(local)));
    TrafficSelector r = new TrafficSelector();
    r.setPrefixes(new ArrayList<>(List.of(remote)));
    t.setLocal(l);
    t.setRemote(r);
    return t;
  }

  static void x509(Fixtures.Scenario s) {
    s.secrets.put(
        "gw-tls",
        Map.of(
            "tls.crt",
                Fixtures.GATEWAY_CERTIFICATE.certificatePem().getBytes(StandardCharsets.UTF_8),
            "tls.key",
                Fixtures.GATEWAY_CERTIFICATE.privateKeyPem().getBytes(StandardCharsets.UTF_8)));
    s.configMaps.put("ca", Map.of("ca.crt", Fixtures.CA.certificatePem()));
    X509Authentication x = new X509Authentication();
    x.setCertificate(new SecretNameRef("gw-tls"));
    CaCertificateRef ca = new CaCertificateRef();
    ca.setConfigMapRef(new ObjectKeyRef("ca", "ca.crt"));
    x.setCaCertificates(new ArrayList<>(List.of(ca)));
    peer(s).getAuthentication().setMode(AuthenticationMode.X509);
    peer(s).getAuthentication().setPreSharedSecret(null);
    peer(s).getAuthentication().setX509(x);
  }

  static void rsa(Fixtures.Scenario s) {
    s.secrets.put(
        "gw-rsa",
        Map.of(
            "key.pem", Fixtures.GATEWAY_RSA_KEY.privateKeyPem().getBytes(StandardCharsets.UTF_8)));
    RsaAuthentication r = new RsaAuthentication();
    r.setLocalKey(new SecretKeyRef("gw-rsa", "key.pem"));
    r.setRemotePublicKey(Fixtures.PEER_RSA_KEY.publicKeyPem());
    peer(s).getAuthentication().setMode(AuthenticationMode.RSA);
    peer(s).getAuthentication().setPreSharedSecret(null);
    peer(s).getAuthentication().setRsa(r);
  }
}
