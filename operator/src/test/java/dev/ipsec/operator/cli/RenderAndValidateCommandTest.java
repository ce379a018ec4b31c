package dev.ipsec.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RenderAndValidateCommandTest {

  static final Path EXAMPLES = Path.of(System.getProperty("project.root", ".."), "examples");

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void rendersTheSiteToSiteExampleWithTheSecretMasked() {
    Run r = run("render", "-f", EXAMPLES.resolve("site-to-site").toString(), "--gateway", "site-a");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "# ---- strongswan.conf",
            "# ---- swanctl/swanctl.conf",
            "include conf.d/*.conf",
            "# ---- swanctl/conf.d/site-b.conf",
            "proposals = \"aes256-sha256-modp2048\"",
            "# ---- swanctl/secrets.d/site-b.conf (Secret)",
            "secret = \"<masked>\"")
        .doesNotContain("demo-secret-change-me");
  }

  @Test
  void masksPrivateKeysOfTheX509Example() throws IOException {
    Run r = run("render", "-f", EXAMPLES.resolve("x509").toString(), "--gateway", "x509-site-a");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern(
            "# ---- swanctl/private/[a-z0-9-]+\\.pem \\(Secret\\)\n<masked: \\d+ bytes>")
        .contains("-----BEGIN CERTIFICATE-----")
        .doesNotContain("PRIVATE KEY");
  }

  @Test
  void needsGatewayWhenTheFilesHoldSeveral() {
    Run r = run("render", "-f", EXAMPLES.resolve("site-to-site").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--gateway");
    assertThat(
            run("render", "-f", EXAMPLES.resolve("site-to-site").toString(), "--gateway", "nope")
                .exitCode())
        .isEqualTo(1);
  }

  @Test
  void printsValidationErrorsWithExitCode1(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("bad.yaml"),
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecGlobal
        metadata: {name: gw}
        spec: {}
        ---
        apiVersion: ipsec.dev/v1alpha1
        kind: IkeGroup
        metadata: {name: ike}
        spec:
          proposals: [{encryption: aes128, hash: sha256_96}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: psk}
        stringData: {key: top-secret-value}
        ---
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecPeer
        metadata: {name: branch}
        spec:
          gateway: gw
          authentication:
            mode: pre-shared-secret
            preSharedSecret: {secretRef: {name: psk, key: key}}
          ikeGroup: ike
          localAddress: 192.0.2.1
          tunnels: [{id: 1}]
        """);
    Run r = run("render", "-f", dir.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            "IkeGroup/ike: spec.proposals[0].hash: sha256_96 (HMAC-SHA-256 truncated to 96 bits")
        .contains("IpsecPeer/branch: spec.tunnels[0].espGroup: missing esp-group on tunnel 1")
        .doesNotContain("top-secret-value");
    assertThat(r.out()).isEmpty();
    Run v = run("validate", "-f", dir.resolve("bad.yaml").toString());
    assertThat(v.exitCode()).isEqualTo(1);
    assertThat(v.err()).contains("IpsecPeer/branch: spec.tunnels[0].espGroup");
  }

  @Test
  void validatesEveryExample() {
    for (String example : new String[] {"site-to-site", "x509", "rsa", "multi-tunnel"}) {
      Run r = run("validate", "-f", EXAMPLES.resolve(example).toString());
      assertThat(r.exitCode()).as(example + ": " + r.err()).isZero();
      assertThat(r.out()).contains("resource(s) valid");
    }
  }

  @Test
  void reportsUnknownFieldsMissingGatewaysAndMissingFiles(@TempDir Path dir) throws IOException {
    Path sub = Files.createDirectories(dir.resolve("nested"));
    Files.writeString(
        sub.resolve("peer.yml"),
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecPeer
        metadata: {name: orphan}
        spec:
          gateway: missing-gw
          ikeGroup: ike
          localAddress: 192.0.2.1
          authentication: {mode: pre-shared-secret}
          tunnels: [{id: 1}]
        ---
        apiVersion: ipsec.dev/v1alpha1
        kind: EspGroup
        metadata: {name: typo}
        spec:
          proposals: [{}]
          lifetme: 3600
        """);
    Run r = run("validate", "-f", dir.toString(), "-f", dir.resolve("absent.yaml").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("IpsecPeer/orphan: spec.gateway: IpsecGlobal \"missing-gw\" not found")
        .contains("EspGroup/typo: spec.lifetme: unknown field")
        .contains("absent.yaml: no such file or directory");
  }
}
