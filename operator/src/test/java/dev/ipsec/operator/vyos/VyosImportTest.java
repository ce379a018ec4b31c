package dev.ipsec.operator.vyos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the import carries over, and how it tells what it does not. */
class VyosImportTest {

  static final String GROUPS =
      """
      set vpn ipsec ike-group IKE proposal 1 encryption 'aes256'
      set vpn ipsec esp-group ESP proposal 1 encryption 'aes256'
      """;

  static String peer(String name, String local, String remote) {
    String p = "set vpn ipsec site-to-site peer " + name + " ";
    return p
        + "authentication mode 'pre-shared-secret'\n"
        + p
        + "ike-group 'IKE'\n"
        + p
        + "default-esp-group 'ESP'\n"
        + p
        + "local-address '"
        + local
        + "'\n"
        + p
        + "remote-address '"
        + remote
        + "'\n"
        + p
        + "tunnel 1 local prefix '10.1.0.0/16'\n";
  }

  @Test
  void globalPskEntriesAreMatchedToPeersByTheirIds() {
    String text =
        GROUPS
            + peer("east", "192.0.2.1", "198.51.100.1")
            + peer("west", "192.0.2.1", "203.0.113.1")
            + """
            set vpn ipsec authentication psk EAST id '198.51.100.1'
            set vpn ipsec authentication psk EAST secret 'east secret'
            set vpn ipsec authentication psk WEST id '192.0.2.1'
            set vpn ipsec authentication psk WEST id '203.0.113.1'
            set vpn ipsec authentication psk WEST secret 'west-secret'
            """;

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    assertThat(result.errors()).isEmpty();
    assertThat(pskSecretOf(result, "east")).isEqualTo("psk-east");
    assertThat(pskSecretOf(result, "west")).isEqualTo("psk-west");
    assertThat(result.secrets())
        .containsExactlyInAnyOrder(
            new ImportedSecret("psk-east", Map.of("psk", "east secret")),
            new ImportedSecret("psk-west", Map.of("psk", "west-secret")));
    assertThat(VyosRendering.render(result).hasErrors()).isFalse();
  }

  @Test
  void aPeerNoPskEntryNamesIsAnErrorOnItsAuthenticationLine() {
    String text = GROUPS + peer("east", "192.0.2.1", "198.51.100.1");

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    assertThat(result.errors()).hasSize(1);
    assertThat(result.errors().get(0).line()).isEqualTo(3);
    assertThat(result.errors().get(0).message())
        .contains("no authentication psk entry", "east", "198.51.100.1");
  }

  @Test
  void twoEntriesMatchingEquallyWellAreAmbiguous() {
    String text =
        GROUPS
            + peer("east", "192.0.2.1", "198.51.100.1")
            + """
            set vpn ipsec authentication psk A id '198.51.100.1'
            set vpn ipsec authentication psk A secret 'a'
            set vpn ipsec authentication psk B id '198.51.100.1'
            set vpn ipsec authentication psk B secret 'b'
            """;

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    assertThat(result.errors()).extracting(VyosProblem::message).anyMatch(m -> m.contains("A, B"));
  }

  @Test
  void theOlderPerPeerPreSharedSecretBecomesThePeersOwnSecret() {
    String text =
        GROUPS
            + peer("east", "192.0.2.1", "198.51.100.1")
            + "set vpn ipsec site-to-site peer east authentication pre-shared-secret 'old style'\n";

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    assertThat(result.errors()).isEmpty();
    assertThat(pskSecretOf(result, "east")).isEqualTo("east-psk");
    assertThat(result.secrets())
        .containsExactly(new ImportedSecret("east-psk", Map.of("psk", "old style")));
    assertThat(result.secrets().get(0).toString()).doesNotContain("old style");
  }

  @Test
  void whatHasNoEquivalentIsAWarningNamingTheLine() {
    String text =
        GROUPS
            + peer("east", "192.0.2.1", "198.51.100.1")
            + """
            set vpn ipsec site-to-site peer east authentication pre-shared-secret 's'
            set vpn ipsec remote-access connection RA authentication local-id 'x'
            set vpn ipsec profile NHRP authentication mode 'pre-shared-secret'
            set vpn ipsec site-to-site peer east vti bind 'br0'
            """;

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings())
        .extracting(VyosProblem::line, VyosProblem::message)
        .anySatisfy(
            w ->
                assertThat(w.toList())
                    .containsExactly(10, "remote-access is not imported: no equivalent"))
        .anySatisfy(w -> assertThat(w.toList().get(0)).isEqualTo(11));
    assertThat(result.warnings()).anyMatch(w -> w.line() == 12 && w.message().contains("br0"));
    assertThat(result.peers().get(0).getSpec().getVti()).isNull();
  }

  @Test
  void unknownAndMalformedLinesAreErrorsWithTheirLineNumber() {
    String text =
        GROUPS
            + """
            set vpn ipsec ike-group IKE proposal 1 colour 'blue'
            set vpn ipsec esp-group ESP lifetime 'long'
            set vpn ipsec esp-group ESP pfs 'sometimes'
            set vpn ipsec nat-traversal enable
            set vpn ipsec ike-group IKE disable-mobike 'yes'
            set vpn ipsec esp-group ESP mode 'tunnel
            """;

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    assertThat(result.errors()).extracting(VyosProblem::line).containsExactly(3, 4, 5, 6, 7, 8);
    assertThat(result.errors().get(0).message()).contains("colour");
    assertThat(result.errors().get(1).message()).contains("'long' is not a number");
    assertThat(result.errors().get(2).message()).contains("'sometimes' is not a valid pfs value");
    assertThat(result.errors().get(5).message()).contains("unterminated quote");
  }

  @Test
  void vyosNamesBecomeObjectNamesWithAWarningAndClashesAreErrors() {
    String text =
        GROUPS.replace("IKE", "My_IKE")
            + peer("East@1", "192.0.2.1", "198.51.100.1").replace("'IKE'", "'My_IKE'")
            + "set vpn ipsec site-to-site peer East@1 authentication pre-shared-secret 's'\n"
            + "set vpn ipsec ike-group my-ike lifetime '3600'\n";

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    IpsecPeer peer = result.peers().get(0);
    assertThat(peer.getMetadata().getName()).isEqualTo("east1");
    assertThat(peer.getSpec().getIkeGroup()).isEqualTo("my-ike");
    assertThat(result.warnings()).anyMatch(w -> w.message().contains("imported as 'east1'"));
    assertThat(result.errors()).anyMatch(e -> e.message().contains("would both be named my-ike"));
  }

  @Test
  void x509PeersReferToSecretsNamedAfterTheirPkiEntries() {
    String text =
        GROUPS
            + peer("east", "192.0.2.1", "198.51.100.1").replace("pre-shared-secret", "x509")
            + """
            set vpn ipsec site-to-site peer east authentication x509 certificate 'GW'
            set vpn ipsec site-to-site peer east authentication x509 ca-certificate 'Root_CA'
            set vpn ipsec site-to-site peer east authentication x509 passphrase 'key pass'
            """;

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    assertThat(result.errors()).isEmpty();
    var auth = result.peers().get(0).getSpec().getAuthentication();
    assertThat(auth.getMode()).isEqualTo(AuthenticationMode.X509);
    assertThat(auth.getX509().getCertificate().getName()).isEqualTo("gw");
    assertThat(auth.getX509().getCaCertificates().get(0).getSecretRef().getName())
        .isEqualTo("root-ca");
    assertThat(auth.getX509().getPassphrase().getName()).isEqualTo("east-x509");
    assertThat(result.secrets())
        .containsExactly(new ImportedSecret("east-x509", Map.of("passphrase", "key pass")));
    assertThat(result.warnings()).anyMatch(w -> w.message().contains("pki certificate GW"));
  }

  private static String pskSecretOf(VyosImportResult result, String peer) {
    List<IpsecPeer> matching =
        result.peers().stream().filter(p -> p.getMetadata().getName().equals(peer)).toList();
    assertThat(matching).hasSize(1);
    return matching
        .get(0)
        .getSpec()
        .getAuthentication()
        .getPreSharedSecret()
        .getSecretRef()
        .getName();
  }
}
