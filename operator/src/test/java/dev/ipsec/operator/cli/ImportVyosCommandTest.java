package dev.ipsec.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.cli.RenderAndValidateCommandTest.Run;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import-vyos} on complete VyOS configurations (test resources in VyOS syntax): what it
 * writes passes {@code validate} (binding, CRD schema and CEL, the operator's checks, rendering).
 */
class ImportVyosCommandTest {

  static final Path VYOS = Path.of("src/test/resources/vyos");

  @Test
  void aMultiPeerPskConfigurationImportsToResourcesThatValidate(@TempDir Path dir)
      throws IOException {
    Run imported =
        RenderAndValidateCommandTest.run(
            "import-vyos", "-f", VYOS.resolve("multi-peer-psk.conf").toString(), "--gateway", "hq");

    assertThat(imported.exitCode()).as(imported.err()).isZero();
    // fabric8 writes strings double-quoted
    assertThat(imported.out().replace("\"", ""))
        .contains(
            "kind: IpsecGlobal",
            "name: hq",
            "kind: IkeGroup",
            "name: ike-hq",
            "name: esp-legacy",
            "name: branch1",
            "name: branch2",
            "bind: vti2",
            "name: psk-branch1",
            "name: legacy-psk",
            "it's an old key");
    // the remote-access line is told, with its line number, and nothing else is left out
    assertThat(imported.err()).contains("line 64: warning: remote-access is not imported");
    Path yaml = dir.resolve("imported.yaml");
    Files.writeString(yaml, imported.out());

    Run validated = RenderAndValidateCommandTest.run("validate", "-f", yaml.toString());

    assertThat(validated.exitCode()).as(validated.err()).isZero();
    assertThat(validated.out()).contains("1 gateway(s) rendered");
    Run rendered =
        RenderAndValidateCommandTest.run("render", "-f", yaml.toString(), "--gateway", "hq");
    assertThat(rendered.exitCode()).as(rendered.err()).isZero();
    assertThat(rendered.out())
        .contains(
            "proposals = \"aes256gcm128-sha256-ecp256,aes256-sha256-modp2048\"",
            "esp_proposals = \"aes256gcm128-sha256-ecp256\"",
            "branch1-tunnel-0",
            "branch2-vti",
            "legacy-tunnel-5",
            "encap = \"yes\"")
        .doesNotContain("branch one shared key", "it's an old key");
  }

  @Test
  void secretsOmitWritesReferencesWithoutValues(@TempDir Path dir) throws IOException {
    Run imported =
        RenderAndValidateCommandTest.run(
            "import-vyos",
            "-f",
            VYOS.resolve("multi-peer-psk.conf").toString(),
            "--secrets=omit",
            "--namespace",
            "vpn");

    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out().replace("\"", ""))
        .doesNotContain("kind: Secret", "branch one shared key", "branch2-key", "old key")
        .contains("namespace: vpn", "name: psk-branch1", "key: psk");
    assertThat(imported.err())
        .contains("create Secret psk-branch1 (type Opaque) with key(s) [psk]")
        .doesNotContain("branch one shared key");
    Path yaml = dir.resolve("imported.yaml");
    Files.writeString(yaml, imported.out());

    Run validated =
        RenderAndValidateCommandTest.run("validate", "--offline", "-f", yaml.toString());

    assertThat(validated.exitCode()).as(validated.err()).isZero();
  }

  @Test
  void x509PeersImportAndValidateWithTheirCertificateSecretsTakenOnTrust(@TempDir Path dir)
      throws IOException {
    Run imported =
        RenderAndValidateCommandTest.run(
            "import-vyos", "-f", VYOS.resolve("x509-two-peers.conf").toString());

    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.err())
        .contains(
            "no `set pki certificate HQ-CERT` lines",
            "create the kubernetes.io/tls Secret hq-cert");
    Path yaml = dir.resolve("imported.yaml");
    Files.writeString(yaml, imported.out());

    Run validated =
        RenderAndValidateCommandTest.run("validate", "--offline", "-f", yaml.toString());

    assertThat(validated.exitCode()).as(validated.err()).isZero();
  }

  @Test
  void rsaAndX509PeersImportWithTheirPkiMaterialAndValidate(@TempDir Path dir) throws IOException {
    for (String file : java.util.List.of("rsa-two-peers.conf", "x509-two-peers.conf")) {
      Path conf = dir.resolve(file);
      Files.writeString(conf, dev.ipsec.operator.vyos.VyosTestConfigurations.complete(file));

      Run imported = RenderAndValidateCommandTest.run("import-vyos", "-f", conf.toString());
      Run omitted =
          RenderAndValidateCommandTest.run("import-vyos", "-f", conf.toString(), "--secrets=omit");

      assertThat(imported.exitCode()).as(imported.err()).isZero();
      assertThat(imported.err()).doesNotContain("PRIVATE KEY", "create the");
      Path yaml = dir.resolve(file + ".yaml");
      Files.writeString(yaml, imported.out());
      Run validated = RenderAndValidateCommandTest.run("validate", "-f", yaml.toString());
      assertThat(validated.exitCode()).as(validated.err()).isZero();
      assertThat(validated.out()).contains("1 gateway(s) rendered");
      // private keys only in Secrets: without them, nowhere
      assertThat(omitted.exitCode()).as(omitted.err()).isZero();
      assertThat(omitted.out()).doesNotContain("PRIVATE KEY", "kind: Secret");
      assertThat(omitted.err()).doesNotContain("PRIVATE KEY");
    }
    assertThat(
            RenderAndValidateCommandTest.run(
                    "import-vyos",
                    "-f",
                    writeComplete(dir, "x509-two-peers.conf").toString(),
                    "--secrets=omit")
                .err())
        .contains(
            "create Secret hq-cert (type kubernetes.io/tls) with key(s) [tls.crt, tls.key]",
            "create Secret root-ca (type Opaque) with key(s) [ca.crt]");
  }

  private static Path writeComplete(Path dir, String file) throws IOException {
    Path conf = dir.resolve("again-" + file);
    Files.writeString(conf, dev.ipsec.operator.vyos.VyosTestConfigurations.complete(file));
    return conf;
  }

  @Test
  void errorsAreReportedWithTheirLineAndNothingIsWritten() {
    Run r =
        withStdin(
            "set vpn ipsec ike-group IKE proposal 1 encryption 'rot13'\n"
                + "set vpn ipsec esp-group ESP lifetime 'x\n",
            () -> RenderAndValidateCommandTest.run("import-vyos", "-f", "-"));

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains(
            "<stdin>: line 1: error: 'rot13' is not a valid encryption value",
            "<stdin>: line 2: error: unterminated quote",
            "2 error(s), nothing written");
  }

  @Test
  void anUnreadableFileIsExitCodeOne() {
    Run r = RenderAndValidateCommandTest.run("import-vyos", "-f", "/nonexistent/vyos.conf");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("cannot read /nonexistent/vyos.conf");
  }

  @Test
  void aWrongSecretsModeIsUsageExitCodeTwo() {
    Run r = RenderAndValidateCommandTest.run("import-vyos", "--secrets=print");

    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void exportVyosWritesTheImportBackAndTheImportOfThatIsTheSame(@TempDir Path dir)
      throws IOException {
    Run imported =
        RenderAndValidateCommandTest.run(
            "import-vyos", "-f", VYOS.resolve("multi-peer-psk.conf").toString(), "--gateway", "hq");
    Path yaml = dir.resolve("imported.yaml");
    Files.writeString(yaml, imported.out());

    Run exported =
        RenderAndValidateCommandTest.run("export-vyos", "-f", yaml.toString(), "--secrets=include");

    assertThat(exported.exitCode()).as(exported.err()).isZero();
    assertThat(exported.out())
        .contains(
            "set vpn ipsec ike-group ike-hq proposal 1 encryption 'aes256gcm128'",
            // pre-shared keys as VyOS 1.4 keeps them: global entries with the peers' ids
            "set vpn ipsec authentication psk legacy-psk id '192.0.2.1'\n"
                + "set vpn ipsec authentication psk legacy-psk id '203.0.113.7'\n"
                + "set vpn ipsec authentication psk legacy-psk secret 'it\\'s an old key'\n",
            "set vpn ipsec authentication psk branch2 id 'hq.example.org'\n"
                + "set vpn ipsec authentication psk branch2 id 'branch2.example.org'\n",
            "set vpn ipsec site-to-site peer branch2 vti bind 'vti2'",
            // the IpsecGlobal's VyOS options
            "set vpn ipsec interface 'eth0'\n",
            "set vpn ipsec log level '1'\nset vpn ipsec log subsystem 'ike'\n",
            "set vpn ipsec options disable-route-autoinstall\n")
        .doesNotContain("authentication pre-shared-secret");
    Path vyos = dir.resolve("exported.conf");
    Files.writeString(vyos, exported.out());
    Run reimported =
        RenderAndValidateCommandTest.run("import-vyos", "-f", vyos.toString(), "--gateway", "hq");
    assertThat(reimported.exitCode()).as(reimported.err()).isZero();
    Path yaml2 = dir.resolve("reimported.yaml");
    Files.writeString(yaml2, reimported.out());
    Run exportedAgain =
        RenderAndValidateCommandTest.run(
            "export-vyos", "-f", yaml2.toString(), "--secrets=include");
    assertThat(exportedAgain.out()).isEqualTo(exported.out());

    Run withoutSecrets = RenderAndValidateCommandTest.run("export-vyos", "-f", yaml.toString());
    assertThat(withoutSecrets.out())
        .doesNotContain(" secret '", "old key", "branch2-key")
        .contains("set vpn ipsec authentication psk legacy-psk id '203.0.113.7'");
    assertThat(withoutSecrets.err()).contains("legacy-psk/psk");
  }

  @Test
  void x509AndRsaPeersGoBackToVyosWithTheirPkiEntries(@TempDir Path dir) throws IOException {
    for (String file : java.util.List.of("rsa-two-peers.conf", "x509-two-peers.conf")) {
      Path conf = writeComplete(dir, file);
      Path yaml = dir.resolve(file + ".yaml");
      Files.writeString(
          yaml, RenderAndValidateCommandTest.run("import-vyos", "-f", conf.toString()).out());

      Run exported =
          RenderAndValidateCommandTest.run(
              "export-vyos", "-f", yaml.toString(), "--secrets=include");
      Run withoutSecrets = RenderAndValidateCommandTest.run("export-vyos", "-f", yaml.toString());

      assertThat(exported.exitCode()).as(exported.err()).isZero();
      assertThat(exported.err()).isEmpty();
      Path back = dir.resolve(file + ".back");
      Files.writeString(back, exported.out());
      Run reimported = RenderAndValidateCommandTest.run("import-vyos", "-f", back.toString());
      assertThat(reimported.exitCode()).as(reimported.err()).isZero();
      // the same resources and Secrets, private keys byte for byte
      assertThat(reimported.out())
          .isEqualTo(RenderAndValidateCommandTest.run("import-vyos", "-f", conf.toString()).out());
      Path yaml2 = dir.resolve(file + ".2.yaml");
      Files.writeString(yaml2, reimported.out());
      assertThat(
              RenderAndValidateCommandTest.run(
                      "export-vyos", "-f", yaml2.toString(), "--secrets=include")
                  .out())
          .isEqualTo(exported.out());
      // without Secrets no private key, and the Secret keys are named instead
      assertThat(withoutSecrets.out()).doesNotContain("private key");
      assertThat(withoutSecrets.err()).contains("lines left out");
    }
    String x509 =
        RenderAndValidateCommandTest.run(
                "export-vyos",
                "-f",
                writeYaml(dir, "x509-two-peers.conf").toString(),
                "--secrets=include")
            .out();
    assertThat(x509)
        .contains(
            "set pki ca root-ca certificate '",
            "set pki certificate hq-cert certificate '",
            "set pki certificate hq-cert private key '",
            "set vpn ipsec site-to-site peer east authentication x509 certificate 'hq-cert'");
  }

  private static Path writeYaml(Path dir, String file) throws IOException {
    Path yaml = dir.resolve("yaml-" + file);
    Files.writeString(
        yaml,
        RenderAndValidateCommandTest.run("import-vyos", "-f", writeComplete(dir, file).toString())
            .out());
    return yaml;
  }

  @Test
  void exportVyosWritesOneGatewayOfSeveralWhenToldWhich(@TempDir Path dir) throws IOException {
    Path yaml = dir.resolve("two.yaml");
    Files.writeString(
        yaml,
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecGlobal
        metadata: {name: a}
        spec: {interfaces: [eth0]}
        ---
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecGlobal
        metadata: {name: b}
        spec: {interfaces: [eth1], options: {flexvpn: true}}
        """);

    Run ambiguous = RenderAndValidateCommandTest.run("export-vyos", "-f", yaml.toString());
    Run chosen =
        RenderAndValidateCommandTest.run("export-vyos", "-f", yaml.toString(), "--gateway", "b");
    Run missing =
        RenderAndValidateCommandTest.run("export-vyos", "-f", yaml.toString(), "--gateway", "c");

    assertThat(ambiguous.exitCode()).isEqualTo(1);
    assertThat(ambiguous.err()).contains("2 IpsecGlobals: choose the one to write with --gateway");
    assertThat(chosen.exitCode()).as(chosen.err()).isZero();
    assertThat(chosen.out())
        .isEqualTo("set vpn ipsec interface 'eth1'\nset vpn ipsec options flexvpn\n");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("no IpsecGlobal named c");
  }

  private static Run withStdin(String input, java.util.function.Supplier<Run> action) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return action.get();
    } finally {
      System.setIn(saved);
    }
  }
}
