package dev.ipsec.operator.api;

import static dev.ipsec.operator.api.Resources.with;
import static dev.ipsec.operator.api.Resources.without;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ipsec.operator.api.schema.ResourceValidator;
import dev.ipsec.operator.api.schema.SchemaViolation;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The structural schema rejects bad values with messages that name the field. */
class SchemaValidationTest {
  private static final ResourceValidator VALIDATOR = ResourceValidator.bundled();

  @Test
  void minimalResourcesOfEveryKindAreValid() {
    for (Supplier<ObjectNode> resource :
        List.<Supplier<ObjectNode>>of(
            Resources::ikeGroup, Resources::espGroup, Resources::pskPeer, Resources::ipsecGlobal)) {
      assertThat(VALIDATOR.validate(resource.get()))
          .as(resource.get().path("kind").asText())
          .isEmpty();
    }
  }

  @ParameterizedTest(name = "{0} {1}={2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // kind | pointer | bad value | expected path | expected message fragment
        "IkeGroup | /spec/proposals/0/encryption | aes512 | spec.proposals[0].encryption | does not"
            + " have a value in the enumeration",
        "IkeGroup | /spec/proposals/0/hash | sha3 | spec.proposals[0].hash | does not have a value"
            + " in the enumeration",
        "IkeGroup | /spec/lifetime | 86401 | spec.lifetime | maximum value of 86400",
        "IkeGroup | /spec/lifetime | -1 | spec.lifetime | minimum value of 0",
        "IkeGroup | /spec/deadPeerDetection/interval | 1 | spec.deadPeerDetection.interval |"
            + " minimum value of 2",
        "IkeGroup | /spec/keyExchange | ikev3 | spec.keyExchange | does not have a value in the"
            + " enumeration",
        "EspGroup | /spec/lifetime | 29 | spec.lifetime | minimum value of 30",
        "EspGroup | /spec/pfs | dh-group3 | spec.pfs | does not have a value in the enumeration",
        "EspGroup | /spec/mode | beet | spec.mode | does not have a value in the enumeration",
        "IpsecPeer | /spec/tunnels/0/remote/port | 70000 | spec.tunnels[0].remote.port | maximum"
            + " value of 65535",
        // addresses and prefixes say what they expect in words, not with a 600-character regex
        "IpsecPeer | /spec/tunnels/0/remote/prefixes/0 | 203.0.113.0/33 |"
            + " spec.tunnels[0].remote.prefixes[0] | must be an IPv4 or IPv6 prefix in CIDR"
            + " notation (192.0.2.0/24, 2001:db8::/32), or any",
        "IpsecPeer | /spec/tunnels/0/local/prefixes/0 | 10.0.0/8 |"
            + " spec.tunnels[0].local.prefixes[0] | must be an IPv4 or IPv6 prefix in CIDR",
        "IpsecPeer | /spec/tunnels/0/priority | 101 | spec.tunnels[0].priority | maximum value of"
            + " 100",
        "IpsecPeer | /spec/localAddress | 192.0.2.256 | spec.localAddress | must be an IPv4 or"
            + " IPv6 address, or any",
        "IpsecPeer | /spec/remoteAddresses/0 | bad host! | spec.remoteAddresses[0] | must be an"
            + " IPv4 or IPv6 address, a host name, or any",
        "IpsecPeer | /spec/replayWindow | 2041 | spec.replayWindow | maximum value of 2040",
        "IpsecPeer | /spec/vti | {\"bind\":\"eth0\"} | spec.vti.bind | does not match the regex"
            + " pattern",
        "IpsecPeer | /spec/authentication/mode | psk | spec.authentication.mode | does not have a"
            + " value in the enumeration",
        "IpsecPeer | /spec/authentication/localId | \"a\\n"
            + "b\" | spec.authentication.localId | does not match the regex pattern",
        // references stay in the peer's namespace: a qualified name is no name
        "IpsecPeer | /spec/gateway | other/gw | spec.gateway | does not match the regex pattern",
        "IpsecPeer | /spec/ikeGroup | other/ike | spec.ikeGroup | does not match the regex"
            + " pattern",
        "IpsecPeer | /spec/tunnels/0/espGroup | other/esp | spec.tunnels[0].espGroup | does not"
            + " match the regex pattern",
        "IpsecPeer | /spec/authentication/preSharedSecret/secretRef/namespace | Other_NS |"
            + " spec.authentication.preSharedSecret.secretRef.namespace | does not match the regex"
            + " pattern",
        "IpsecGlobal | /spec/log/level | 3 | spec.log.level | maximum value of 2",
        // every pod would initiate the same tunnels: one pod until active/standby exists
        "IpsecGlobal | /spec/gateway/replicas | 2 | spec.gateway.replicas | maximum value of 1",
        "IpsecGlobal | /spec/log/subsystems/0 | xyz | spec.log.subsystems[0] | does not have a"
            + " value in the enumeration",
        "IpsecGlobal | /spec/interfaces/0 | eth0;rm | spec.interfaces[0] | does not match the regex"
            + " pattern",
        "IpsecGlobal | /spec/gateway/priorityClassName | High! | spec.gateway.priorityClassName |"
            + " does not match the regex pattern",
        "IpsecGlobal | /spec/gateway/imagePullSecrets | [\"a b\"] |"
            + " spec.gateway.imagePullSecrets[0] | does not match the regex pattern",
        "IpsecGlobal | /spec/gateway/affinity | [] | spec.gateway.affinity | object",
        "IpsecGlobal | /spec/gateway/topologySpreadConstraints | [1] |"
            + " spec.gateway.topologySpreadConstraints[0] | object",
      })
  void badValueIsRejectedNamingTheField(
      String kind, String pointer, String badValue, String path, String message) throws Exception {
    ObjectNode resource = with(base(kind), pointer, Resources.yaml("v: " + badValue).get("v"));
    List<SchemaViolation> violations = VALIDATOR.validate(resource);
    assertThat(violations)
        .anySatisfy(
            v -> {
              assertThat(v.path()).isEqualTo(path);
              assertThat(v.message()).contains(message);
            });
  }

  @Test
  void aReferenceNamespaceIsAFieldTheOperatorRefusesNotOneTheServerPrunes() {
    // admitted by the schema, so the operator can say why it refuses it (CrossNamespaceReference)
    ObjectNode peer =
        with(Resources.pskPeer(), "/spec/authentication/preSharedSecret/secretRef/namespace", "b");
    assertThat(VALIDATOR.validate(peer)).isEmpty();
  }

  @Test
  void affinityAndSpreadConstraintsAreKeptForTheOperatorToBind() {
    // preserved as written: the operator binds them and names a field that does not fit
    ObjectNode gw = Resources.ipsecGlobal();
    with(gw, "/spec/gateway/affinity", Resources.yaml("v: {nodeAfinity: {x: 1}}").get("v"));
    with(
        gw,
        "/spec/gateway/topologySpreadConstraints",
        Resources.yaml("v: [{maxSkew: 1, anything: [2]}]").get("v"));
    assertThat(VALIDATOR.validate(gw)).isEmpty();
  }

  @Test
  void unknownFieldIsRejectedNotSilentlyPruned() {
    ObjectNode peer = with(Resources.pskPeer(), "/spec/tunnels/0/remoteprefix", "203.0.113.0/24");
    assertThat(VALIDATOR.validate(peer))
        .containsExactly(new SchemaViolation("spec.tunnels[0].remoteprefix", "unknown field"));
  }

  @Test
  void missingRequiredFieldIsNamed() {
    List<SchemaViolation> violations =
        VALIDATOR.validate(without(Resources.pskPeer(), "/spec/ikeGroup"));
    assertThat(violations)
        .anySatisfy(
            v -> {
              assertThat(v.path()).isEqualTo("spec");
              assertThat(v.message()).contains("ikeGroup").contains("required");
            });
  }

  @Test
  void everyErrorIsReportedAtOnce() {
    ObjectNode peer = Resources.pskPeer();
    with(peer, "/spec/replayWindow", 5000);
    with(peer, "/spec/tunnels/0/remote/port", 0);
    with(peer, "/spec/localAddress", "nowhere");
    assertThat(VALIDATOR.validate(peer))
        .extracting(SchemaViolation::path)
        .contains("spec.replayWindow", "spec.tunnels[0].remote.port", "spec.localAddress");
  }

  @Test
  void celRulesSeeSchemaDefaults() {
    // mode defaults to main; the aggressive rule must not fail on the absent field.
    ObjectNode group = Resources.ikeGroup();
    assertThat(group.at("/spec/mode").isMissingNode()).isTrue();
    assertThat(VALIDATOR.validate(group)).isEmpty();
  }

  @Test
  void unknownKindIsRefused() {
    ObjectNode secret = Resources.yaml("{apiVersion: v1, kind: Secret, metadata: {name: s}}");
    assertThat(VALIDATOR.handles("Secret")).isFalse();
    assertThatThrownBy(() -> VALIDATOR.validate(secret)).hasMessageContaining("Secret");
  }

  private static ObjectNode base(String kind) {
    return switch (kind) {
      case "IkeGroup" -> with(Resources.ikeGroup(), "/spec/deadPeerDetection/action", "clear");
      case "EspGroup" -> Resources.espGroup();
      case "IpsecPeer" -> Resources.pskPeer();
      case "IpsecGlobal" -> with(Resources.ipsecGlobal(), "/spec/log/subsystems/0", "ike");
      default -> throw new IllegalArgumentException(kind);
    };
  }
}
