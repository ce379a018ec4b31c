package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.testing.TestPki.CertificateAuthority;
import dev.ipsec.operator.testing.TestPki.IssuedCertificate;
import dev.ipsec.operator.testing.TestPki.RsaKey;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Resources for tests, written as the YAML a user would apply, and a mutable scenario that a test
 * changes one option at a time.
 */
final class Fixtures {

  static final String PSK = "correct horse battery staple";

  /** Key material of the x509 and rsa scenarios, made once per JVM: RSA keys take a moment. */
  static final CertificateAuthority CA = new CertificateAuthority("Test CA");

  static final IssuedCertificate GATEWAY_CERTIFICATE = CA.issue("gw.example.org");
  static final RsaKey GATEWAY_RSA_KEY = RsaKey.generate();
  static final RsaKey PEER_RSA_KEY = RsaKey.generate();

  private Fixtures() {}

  static <T> T resource(Class<T> type, String kind, String name, String specYaml) {
    String yaml =
        "apiVersion: ipsec.dev/v1alpha1\nkind: "
            + kind
            + "\nmetadata:\n  name: "
            + name
            + "\nspec:\n"
            + specYaml.stripIndent().lines().map(l -> "  " + l).collect(Collectors.joining("\n"))
            + "\n";
    return Serialization.unmarshal(yaml, type);
  }

  static IkeGroup ike(String name, String spec) {
    return resource(IkeGroup.class, "IkeGroup", name, spec);
  }

  static EspGroup esp(String name, String spec) {
    return resource(EspGroup.class, "EspGroup", name, spec);
  }

  static IpsecPeer peer(String name, String spec) {
    return resource(IpsecPeer.class, "IpsecPeer", name, spec);
  }

  static IpsecGlobal gateway(String spec) {
    return resource(IpsecGlobal.class, "IpsecGlobal", "gw", spec.isBlank() ? "{}" : spec);
  }

  /** A peer with one tunnel and a PSK, valid against {@link Scenario#base()}'s groups. */
  static String peerSpec(String localAddress, String remoteAddress, String local, String remote) {
    return """
    gateway: gw
    authentication:
      mode: pre-shared-secret
      preSharedSecret:
        secretRef: {name: psk, key: key}
    ikeGroup: ike
    defaultEspGroup: esp
    localAddress: %s
    remoteAddresses: [%s]
    tunnels:
      - id: 1
        local: {prefixes: [%s]}
        remote: {prefixes: [%s]}
    """
        .formatted(localAddress, remoteAddress, local, remote);
  }

  /** Everything one render needs, mutable so a test can change one option. */
  static final class Scenario {
    IpsecGlobal gateway = Fixtures.gateway("");
    final Map<String, IkeGroup> ike = new LinkedHashMap<>();
    final Map<String, EspGroup> esp = new LinkedHashMap<>();
    final List<IpsecPeer> peers = new ArrayList<>();
    final Map<String, Map<String, byte[]>> secrets = new HashMap<>();
    final Map<String, Map<String, String>> configMaps = new HashMap<>();

    static Scenario base() {
      Scenario s = new Scenario();
      s.ike.put(
          "ike",
          Fixtures.ike(
              "ike",
              """
              proposals:
                - {encryption: aes256, hash: sha256, dhGroup: 14}
              """));
      s.esp.put(
          "esp",
          Fixtures.esp(
              "esp",
              """
              proposals:
                - {encryption: aes256, hash: sha256}
              """));
      s.peers.add(
          Fixtures.peer(
              "p1", peerSpec("192.0.2.1", "198.51.100.1", "192.0.2.0/24", "203.0.113.0/24")));
      s.secrets.put("psk", Map.of("key", PSK.getBytes(StandardCharsets.UTF_8)));
      return s;
    }

    IpsecPeer peer() {
      return peers.get(0);
    }

    IkeGroup ikeGroup() {
      return ike.get("ike");
    }

    EspGroup espGroup() {
      return esp.get("esp");
    }

    GatewayInput input() {
      return new GatewayInput(gateway, peers, ike, esp, ReferencedData.of(secrets, configMaps));
    }

    RenderedGateway render() {
      return new GatewayRenderer().render(input());
    }

    RenderedGateway render(RenderOptions options) {
      return new GatewayRenderer(options).render(input());
    }

    Scenario with(Consumer<Scenario> change) {
      change.accept(this);
      return this;
    }
  }
}
