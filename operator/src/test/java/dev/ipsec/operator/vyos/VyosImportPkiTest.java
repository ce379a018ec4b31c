package dev.ipsec.operator.vyos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.render.RenderedGateway;
import dev.ipsec.operator.testing.TestPki;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The certificates and keys of x509 and rsa peers, read from the {@code set pki} lines they name:
 * private keys only into Secrets, public keys inline, every missing or broken part an error naming
 * its line, entries no peer names left alone.
 */
class VyosImportPkiTest {

  private static TestPki.RsaKey local;
  private static TestPki.RsaKey remote;

  @BeforeAll
  static void keys() {
    local = TestPki.RsaKey.generate();
    remote = TestPki.RsaKey.generate();
  }

  static final String GROUPS = VyosImportTest.GROUPS;

  static String rsaPeer(String name) {
    String p = "set vpn ipsec site-to-site peer " + name + " ";
    return VyosImportTest.peer(name, "192.0.2.1", "198.51.100.1")
            .replace("pre-shared-secret", "rsa")
        + p
        + "authentication rsa local-key 'HQ-KEY'\n"
        + p
        + "authentication rsa remote-key 'BRANCH'\n";
  }

  @Test
  void anRsaPeerGetsItsLocalKeyInASecretAndTheRemoteKeyInline() {
    String text =
        GROUPS
            + rsaPeer("east")
            + VyosTestConfigurations.keyPair("HQ-KEY", local)
            // both halves of the remote pair: its private half must never be copied
            + VyosTestConfigurations.keyPair("BRANCH", remote);

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    assertThat(result.errors()).isEmpty();
    PeerAuthentication auth = result.peers().get(0).getSpec().getAuthentication();
    assertThat(auth.getMode()).isEqualTo(AuthenticationMode.RSA);
    assertThat(auth.getRsa().getLocalKey().getName()).isEqualTo("hq-key");
    assertThat(auth.getRsa().getLocalKey().getKey()).isEqualTo("key.pem");
    assertThat(auth.getRsa().getRemotePublicKey()).isEqualTo(remote.publicKeyPem());
    assertThat(result.secrets())
        .containsExactly(
            new ImportedSecret(
                "hq-key",
                Map.of("key.pem", VyosTestConfigurations.imported(local.privateKeyPem()))));
    assertThat(everythingButSecrets(result)).doesNotContain("PRIVATE KEY");
    assertThat(result.toString())
        .doesNotContain(PkiMaterial.body(TestPki.pkcs8(remote.privateKeyPem())));
    assertThat(VyosRendering.render(result).peerErrors()).isEmpty();
  }

  @Test
  void anX509PeerGetsATlsSecretAndItsCaSecretFromThePkiEntries() {
    TestPki.CertificateAuthority ca = new TestPki.CertificateAuthority("root");
    TestPki.IssuedCertificate gw = ca.issue("hq.example.org");
    String text =
        GROUPS
            + VyosImportTest.peer("east", "192.0.2.1", "198.51.100.1")
                .replace("pre-shared-secret", "x509")
            + """
            set vpn ipsec site-to-site peer east authentication x509 certificate 'GW'
            set vpn ipsec site-to-site peer east authentication x509 ca-certificate 'Root_CA'
            """
            + VyosTestConfigurations.certificate("GW", gw)
            + VyosTestConfigurations.ca("Root_CA", ca.certificatePem())
            + "set pki ca Root_CA crl 'MIIBAAAA'\n";

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    assertThat(result.errors()).isEmpty();
    var x509 = result.peers().get(0).getSpec().getAuthentication().getX509();
    assertThat(x509.getCertificate().getName()).isEqualTo("gw");
    assertThat(x509.getCaCertificates().get(0).getSecretRef().getName()).isEqualTo("root-ca");
    assertThat(x509.getPassphrase()).isNull();
    assertThat(result.secrets())
        .containsExactlyInAnyOrder(
            new ImportedSecret(
                "gw",
                "kubernetes.io/tls",
                Map.of(
                    "tls.crt",
                    gw.certificatePem(),
                    "tls.key",
                    VyosTestConfigurations.imported(gw.privateKeyPem()))),
            new ImportedSecret("root-ca", Map.of("ca.crt", ca.certificatePem())));
    assertThat(result.warnings()).noneMatch(w -> w.message().contains("create the"));
    assertThat(result.warnings())
        .anyMatch(
            w ->
                w.line() == 14
                    && w.message()
                        .equals(
                            "the CRLs of pki ca Root_CA are not imported: the operator has no CRL"
                                + " setting"));
    assertThat(VyosRendering.render(result).peerErrors()).isEmpty();
  }

  @Test
  void aCaAndACertificateOfOneNameShareOneTlsSecretAsCertManagerWritesIt() {
    TestPki.CertificateAuthority ca = new TestPki.CertificateAuthority("root");
    TestPki.IssuedCertificate gw = ca.issue("hq.example.org");
    String text =
        GROUPS
            + VyosImportTest.peer("east", "192.0.2.1", "198.51.100.1")
                .replace("pre-shared-secret", "x509")
            + """
            set vpn ipsec site-to-site peer east authentication x509 certificate 'gw-tls'
            set vpn ipsec site-to-site peer east authentication x509 ca-certificate 'gw-tls'
            """
            + VyosTestConfigurations.certificate("gw-tls", gw)
            + VyosTestConfigurations.ca("gw-tls", ca.certificatePem());

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    assertThat(result.errors()).isEmpty();
    assertThat(result.secrets())
        .containsExactly(
            new ImportedSecret(
                "gw-tls",
                "kubernetes.io/tls",
                Map.of(
                    "tls.crt",
                    gw.certificatePem(),
                    "tls.key",
                    VyosTestConfigurations.imported(gw.privateKeyPem()),
                    "ca.crt",
                    ca.certificatePem())));
    assertThat(VyosRendering.render(result).peerErrors()).isEmpty();
  }

  @Test
  void missingPartsAreErrorsInVyosWordsOnTheLineThatNamesThem() {
    String text =
        GROUPS
            + rsaPeer("east")
            // HQ-KEY has only its public half, BRANCH only a private one
            + VyosTestConfigurations.publicKey("HQ-KEY", local.publicKeyPem())
            + "set pki key-pair BRANCH private key '"
            + PkiMaterial.body(remote.privateKeyPem())
            + "'\n";

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    assertThat(result.errors())
        .extracting(VyosProblem::line, VyosProblem::message)
        .anySatisfy(
            e ->
                assertThat(e.toList())
                    .containsExactly(9, "Missing private key on specified local-key \"HQ-KEY\""))
        .anySatisfy(
            e ->
                assertThat(e.toList())
                    .containsExactly(10, "Missing public key on specified remote-key \"BRANCH\""));
    assertThat(result.errors().toString()).doesNotContain(PkiMaterial.body(remote.privateKeyPem()));
  }

  @Test
  void aKeyPairNotInTheInputIsAnErrorAndAnRsaPeerWithoutKeysTooRsaLines() {
    String noPki = GROUPS + rsaPeer("east");
    String noKeys =
        GROUPS
            + VyosImportTest.peer("west", "192.0.2.1", "203.0.113.1")
                .replace("pre-shared-secret", "rsa");

    VyosImportResult withoutPki = VyosImport.fromText(noPki, "ns", "gw");
    VyosImportResult withoutKeys = VyosImport.fromText(noKeys, "ns", "gw");

    assertThat(withoutPki.errors()).extracting(VyosProblem::line).containsExactly(9, 10);
    assertThat(withoutPki.errors().get(0).message()).contains("no `set pki key-pair HQ-KEY`");
    assertThat(withoutKeys.errors())
        .extracting(VyosProblem::message)
        .containsExactly(
            "Missing RSA local-key on site-to-site peer west",
            "Missing RSA remote-key on site-to-site peer west");
  }

  @Test
  void valuesThatAreNotWhatTheirPlacePromisesAreErrorsThatDoNotQuoteThem() {
    String text =
        GROUPS
            + rsaPeer("east")
            + "set pki key-pair HQ-KEY private key 'bm90IGEga2V5'\n"
            + "set pki key-pair BRANCH public key 'not base64 at all!'\n";

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    assertThat(result.errors())
        .extracting(VyosProblem::line, VyosProblem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                11,
                "pki key-pair HQ-KEY private key is not a PKCS#8, PKCS#1 or SEC1 private key (its"
                    + " DER does not parse)"),
            org.assertj.core.groups.Tuple.tuple(
                12, "expected a public key in base64: the value is not base64"));
    assertThat(result.secrets()).isEmpty();
  }

  @Test
  void anEncryptedRsaKeyIsRefusedAndAnEncryptedX509KeyNeedsThePassphrase() throws Exception {
    String encrypted = PkiMaterial.body(TestPki.encryptedPkcs8(local.privateKeyPem(), "pw"));
    String rsa =
        GROUPS
            + rsaPeer("east")
            + "set pki key-pair HQ-KEY private key '"
            + encrypted
            + "'\nset pki key-pair HQ-KEY private password-protected\n"
            + VyosTestConfigurations.publicKey("BRANCH", remote.publicKeyPem());

    VyosImportResult result = VyosImport.fromText(rsa, "ns", "gw");

    assertThat(result.errors()).hasSize(1);
    assertThat(result.errors().get(0).line()).isEqualTo(9);
    assertThat(result.errors().get(0).message())
        .contains("pki key-pair HQ-KEY is encrypted", "decrypt it");
    assertThat(result.secrets()).isEmpty();
  }

  @Test
  void entriesNoPeerNamesAreLeftAlone() {
    TestPki.CertificateAuthority ca = new TestPki.CertificateAuthority("root");
    String text =
        GROUPS
            + rsaPeer("east")
            + VyosTestConfigurations.keyPair("HQ-KEY", local)
            + VyosTestConfigurations.publicKey("BRANCH", remote.publicKeyPem())
            // another subsystem's material: OpenVPN's, the HTTPS API's
            + VyosTestConfigurations.ca("OVPN-CA", ca.certificatePem())
            + VyosTestConfigurations.certificate("WEB", ca.issue("router.example.org"))
            + VyosTestConfigurations.keyPair("OTHER", remote);

    VyosImportResult result = VyosImport.fromText(text, "ns", "gw");

    assertThat(result.errors()).isEmpty();
    assertThat(result.secrets()).extracting(ImportedSecret::name).containsExactly("hq-key");
    // the only warnings are the renames (groups and the key-pair's Secret), none about the pki
    // entries no peer names
    assertThat(result.warnings())
        .extracting(VyosProblem::line, VyosProblem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "ike-group 'IKE' is imported as 'ike'"),
            org.assertj.core.groups.Tuple.tuple(2, "esp-group 'ESP' is imported as 'esp'"),
            org.assertj.core.groups.Tuple.tuple(
                9, "pki key-pair 'HQ-KEY' is imported as Secret 'hq-key'"));
  }

  @Test
  void aPkiSecretAndAPskSecretOfOneNameAreAnErrorNotAnOverwrite() {
    String text =
        GROUPS
            + rsaPeer("east").replace("'HQ-KEY'", "'LOCAL_KEY_PAIR'")
            + VyosTestConfigurations.keyPair("LOCAL_KEY_PAIR", local)
            + VyosTestConfigurations.publicKey("BRANCH", remote.publicKeyPem())
            + VyosImportTest.peer("west", "192.0.2.1", "203.0.113.1")
            + "set vpn ipsec site-to-site peer west authentication pre-shared-secret 'x'\n";

    VyosImportResult distinct = VyosImport.fromText(text, "ns", "gw");
    VyosImportResult clashing =
        VyosImport.fromText(text.replace("LOCAL_KEY_PAIR", "WEST_PSK"), "ns", "gw");

    assertThat(distinct.errors()).isEmpty();
    assertThat(clashing.errors())
        .extracting(VyosProblem::message)
        .containsExactly(
            "two different Secrets would both be named west-psk (keys [key.pem] and [psk]):"
                + " rename one of their VyOS entries");
    assertThat(clashing.secrets())
        .filteredOn(s -> s.name().equals("west-psk"))
        .extracting(ImportedSecret::data)
        .containsExactly(Map.of("key.pem", VyosTestConfigurations.imported(local.privateKeyPem())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.ipsec.operator.vyos.VyosTestConfigurations#files")
  void everyTestConfigurationImportsAndRendersWithoutAnError(String file) {
    VyosImportResult result =
        VyosImport.fromText(VyosTestConfigurations.complete(file), null, "hq");

    assertThat(result.errors()).isEmpty();
    assertThat(result.peers()).hasSizeGreaterThanOrEqualTo(2);
    RenderedGateway rendered = VyosRendering.render(result);
    assertThat(rendered.peerErrors()).isEmpty();
    assertThat(rendered.connections()).hasSize(result.peers().size());
    assertThat(everythingButSecrets(result)).doesNotContain("PRIVATE KEY");
  }

  /** The imported resources but the Secrets, as YAML: where no private key may be. */
  private static String everythingButSecrets(VyosImportResult result) {
    StringBuilder out = new StringBuilder();
    out.append(io.fabric8.kubernetes.client.utils.Serialization.asYaml(result.global()));
    result
        .ikeGroups()
        .forEach(g -> out.append(io.fabric8.kubernetes.client.utils.Serialization.asYaml(g)));
    result
        .espGroups()
        .forEach(g -> out.append(io.fabric8.kubernetes.client.utils.Serialization.asYaml(g)));
    for (IpsecPeer peer : result.peers()) {
      out.append(io.fabric8.kubernetes.client.utils.Serialization.asYaml(peer));
    }
    result.problems().forEach(p -> out.append(p).append('\n'));
    return out.toString();
  }
}
