package dev.ipsec.operator.api;

import static dev.ipsec.operator.api.Resources.with;
import static dev.ipsec.operator.api.Resources.without;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ipsec.operator.api.schema.CrdCatalog;
import dev.ipsec.operator.api.schema.ResourceValidator;
import dev.ipsec.operator.api.schema.SchemaViolation;
import dev.ipsec.operator.api.v1alpha1.Patterns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each CEL rule of the CRDs, evaluated with cel-java as the API server would: at least one object
 * it accepts and one it rejects, and the rejection names the field.
 */
class CelRulesTest {
  private static final ResourceValidator VALIDATOR = ResourceValidator.bundled();

  /** rule fragment -> (accepted object, rejected object, expected path, expected message part). */
  record Case(
      String rule,
      Supplier<ObjectNode> accepted,
      Supplier<ObjectNode> rejected,
      String path,
      String message) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static final List<Case> CASES =
      List.of(
          new Case(
              "aggressive",
              () ->
                  with(
                      with(Resources.ikeGroup(), "/spec/mode", "aggressive"),
                      "/spec/keyExchange",
                      "ikev1"),
              () ->
                  with(
                      with(Resources.ikeGroup(), "/spec/mode", "aggressive"),
                      "/spec/keyExchange",
                      "ikev2"),
              "spec.mode",
              "aggressive mode requires keyExchange ikev1"),
          new Case(
              "self != 'sha256_96'",
              () -> with(Resources.ikeGroup(), "/spec/proposals/0/hash", "sha256"),
              () -> with(Resources.espGroup(), "/spec/proposals/0/hash", "sha256_96"),
              "spec.proposals[0].hash",
              "sha256_96 (HMAC-SHA-256 truncated to 96 bits"),
          new Case(
              "self in ['aes128gmac', 'aes192gmac', 'aes256gmac']",
              () -> with(Resources.espGroup(), "/spec/proposals/0/encryption", "aes256gcm128"),
              () -> with(Resources.ikeGroup(), "/spec/proposals/0/hash", "aes192gmac"),
              "spec.proposals[0].hash",
              "are not integrity algorithms in strongSwan"),
          new Case(
              "self != 'null'",
              () -> with(Resources.espGroup(), "/spec/proposals/0/encryption", "null"),
              () -> with(Resources.ikeGroup(), "/spec/proposals/0/encryption", "null"),
              "spec.proposals[0].encryption",
              "IKE must be encrypted"),
          new Case(
              "self.startsWith('serpent')",
              () -> with(Resources.espGroup(), "/spec/proposals/0/encryption", "camellia256"),
              () -> with(Resources.espGroup(), "/spec/proposals/0/encryption", "twofish256"),
              "spec.proposals[0].encryption",
              "serpent and twofish have no IANA transform number"),
          new Case(
              "self == 1 || self == 2",
              () -> with(Resources.ikeGroup(), "/spec/proposals/0/dhGroup", 31),
              () -> with(Resources.ikeGroup(), "/spec/proposals/0/dhGroup", 3),
              "spec.proposals[0].dhGroup",
              "dhGroup must be one of 1, 2, 5 or 14 to 32"),
          new Case(
              "self.mode != 'pre-shared-secret'",
              Resources::pskPeer,
              () -> without(Resources.pskPeer(), "/spec/authentication/preSharedSecret"),
              "spec.authentication.preSharedSecret",
              "mode pre-shared-secret requires preSharedSecret"),
          new Case(
              "self.mode != 'x509'",
              () ->
                  with(
                      with(Resources.pskPeer(), "/spec/authentication/mode", "x509"),
                      "/spec/authentication/x509",
                      Map.of(
                          "certificate",
                          Map.of("name", "tls"),
                          "caCertificates",
                          List.of(Map.of("configMapRef", Map.of("name", "ca", "key", "ca.crt"))))),
              () -> with(Resources.pskPeer(), "/spec/authentication/mode", "x509"),
              "spec.authentication.x509",
              "mode x509 requires x509"),
          new Case(
              "self.mode != 'rsa'",
              () ->
                  with(
                      with(Resources.pskPeer(), "/spec/authentication/mode", "rsa"),
                      "/spec/authentication/rsa",
                      Map.of(
                          "localKey",
                          Map.of("name", "k", "key", "key.pem"),
                          "remotePublicKey",
                          "-----BEGIN PUBLIC KEY-----")),
              () -> with(Resources.pskPeer(), "/spec/authentication/mode", "rsa"),
              "spec.authentication.rsa",
              "mode rsa requires rsa"),
          new Case(
              "has(self.secretRef) != has(self.configMapRef)",
              () ->
                  with(
                      with(Resources.pskPeer(), "/spec/authentication/mode", "x509"),
                      "/spec/authentication/x509",
                      Map.of(
                          "certificate",
                          Map.of("name", "tls"),
                          "caCertificates",
                          List.of(Map.of("secretRef", Map.of("name", "tls", "key", "ca.crt"))))),
              () ->
                  with(
                      with(Resources.pskPeer(), "/spec/authentication/mode", "x509"),
                      "/spec/authentication/x509",
                      Map.of(
                          "certificate",
                          Map.of("name", "tls"),
                          "caCertificates",
                          List.of(
                              Map.of(
                                  "secretRef", Map.of("name", "tls", "key", "ca.crt"),
                                  "configMapRef", Map.of("name", "ca", "key", "ca.crt"))))),
              "spec.authentication.x509.caCertificates[0]",
              "exactly one of secretRef or configMapRef"),
          new Case(
              "size(self.tunnels) > 0) || has(self.vti)",
              () ->
                  with(
                      without(Resources.pskPeer(), "/spec/tunnels"),
                      "/spec/vti",
                      Map.of("bind", "vti0")),
              () -> without(Resources.pskPeer(), "/spec/tunnels"),
              "spec",
              "no VTI or tunnel specified"),
          new Case(
              "has(self.localAddress) || has(self.dhcpInterface)",
              () ->
                  with(
                      without(Resources.pskPeer(), "/spec/localAddress"),
                      "/spec/dhcpInterface",
                      "eth0"),
              () -> without(Resources.pskPeer(), "/spec/localAddress"),
              "spec.localAddress",
              "missing localAddress or dhcpInterface"),
          new Case(
              "!has(self.vti) || !(has(self.localAddress) && has(self.dhcpInterface))",
              () -> with(Resources.pskPeer(), "/spec/vti", Map.of("bind", "vti3")),
              () ->
                  with(
                      with(Resources.pskPeer(), "/spec/vti", Map.of("bind", "vti3")),
                      "/spec/dhcpInterface",
                      "eth0"),
              "spec.vti",
              "a single localAddress or dhcpInterface is required when using vti"),
          // addresses and prefixes: a rule with a sentence instead of a bare pattern
          new Case(
              "self.matches(r'" + Patterns.LOCAL_ADDRESS + "')",
              () -> with(Resources.pskPeer(), "/spec/localAddress", "2001:db8::1"),
              () -> with(Resources.pskPeer(), "/spec/localAddress", "192.0.2.256"),
              "spec.localAddress",
              "must be an IPv4 or IPv6 address, or any"),
          new Case(
              "self.matches(r'" + Patterns.REMOTE_ADDRESS + "')",
              () -> with(Resources.pskPeer(), "/spec/remoteAddresses/0", "vpn.example.org"),
              () -> with(Resources.pskPeer(), "/spec/remoteAddresses/0", "bad host!"),
              "spec.remoteAddresses[0]",
              "must be an IPv4 or IPv6 address, a host name, or any"),
          new Case(
              "self.matches(r'" + Patterns.IP_ADDRESS + "')",
              () -> with(Resources.pskPeer(), "/spec/virtualAddresses", List.of("192.0.2.5")),
              () -> with(Resources.pskPeer(), "/spec/virtualAddresses", List.of("any")),
              "spec.virtualAddresses[0]",
              "must be an IPv4 or IPv6 address"),
          new Case(
              "self.matches(r'" + Patterns.PREFIX + "')",
              () -> with(Resources.pskPeer(), "/spec/tunnels/0/local/prefixes/0", "2001:db8::/32"),
              () -> with(Resources.pskPeer(), "/spec/tunnels/0/local/prefixes/0", "10.0.0/8"),
              "spec.tunnels[0].local.prefixes[0]",
              "must be an IPv4 or IPv6 prefix in CIDR notation"));

  static Stream<Arguments> cases() {
    return CASES.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void acceptedObjectPasses(Case c) {
    assertThat(VALIDATOR.validate(c.accepted().get())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejectedObjectFailsNamingTheField(Case c) {
    List<SchemaViolation> violations = VALIDATOR.validate(c.rejected().get());
    assertThat(violations)
        .as("violations of the rejected object")
        .anySatisfy(
            v -> {
              assertThat(v.path()).isEqualTo(c.path());
              assertThat(v.message()).contains(c.message());
            });
  }

  @Test
  void everyRuleOfTheCrdsHasCases() {
    CrdCatalog catalog = CrdCatalog.bundled();
    Set<String> rules = new TreeSet<>();
    for (String kind : catalog.kinds()) {
      catalog.schema(kind).orElseThrow().findValues("x-kubernetes-validations").stream()
          .flatMap(n -> StreamSupport.stream(n.spliterator(), false))
          .forEach(n -> rules.add(n.path("rule").asText()));
    }
    List<String> untested = new ArrayList<>();
    for (String rule : rules) {
      if (CASES.stream().noneMatch(c -> rule.contains(c.rule()))) {
        untested.add(rule);
      }
    }
    assertThat(untested).as("CEL rules without accepted/rejected cases").isEmpty();
  }
}
