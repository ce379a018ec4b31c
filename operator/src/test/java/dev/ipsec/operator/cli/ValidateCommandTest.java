package dev.ipsec.operator.cli;

import static dev.ipsec.operator.cli.RenderAndValidateCommandTest.EXAMPLES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.cli.RenderAndValidateCommandTest.Run;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code validate}: every problem once, in the API's words, and the other checks go on. */
class ValidateCommandTest {

  private static final String GATEWAY =
      """
      apiVersion: ipsec.dev/v1alpha1
      kind: IpsecGlobal
      metadata: {name: gw}
      spec: {}
      """;

  private static final String PSK =
      """
      apiVersion: v1
      kind: Secret
      metadata: {name: psk}
      stringData: {key: top-secret-value-4711}
      """;

  private static String documents(String... docs) {
    return String.join("---\n", docs);
  }

  private static List<String> errorLines(Run r) {
    return r.err().lines().toList();
  }

  @Test
  void bindingErrorsNameKindFieldAndProblemAndTheOtherChecksGoOn(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("bad.yaml"),
        documents(
            GATEWAY,
            PSK,
            """
            apiVersion: ipsec.dev/v1alpha1
            kind: IkeGroup
            metadata: {name: ike}
            spec:
              keyExchange: ikev3
              lifetime: eight hours
              proposals: [{encryption: aes257, hash: sha256}]
            """,
            """
            apiVersion: ipsec.dev/v1alpha1
            kind: EspGroup
            metadata: {name: esp}
            spec:
              lifetme: 3600
              proposals: [{encryption: aes128, hash: sha256}]
              disableRekey: sometimes
            """,
            """
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
              remoteAddresses: 192.0.2.2
              connectionType: sometimes
              tunnels: [{id: 1, espGroup: esp, local: {prefixes: [192.0.2.0/25]}}, {id: 1, espGroup: esp}]
            """));

    Run r = RenderAndValidateCommandTest.run("validate", "-f", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(errorLines(r))
        .containsExactlyInAnyOrder(
            "IkeGroup/ike: spec.keyExchange: must be one of ikev1, ikev2",
            "IkeGroup/ike: spec.lifetime: expected a whole number",
            "IkeGroup/ike: spec.proposals[0].encryption: must be one of 55 values (kubectl"
                + " explain lists them); the closest: aes256, aes128, aes192, aes256ctr, 3des",
            "EspGroup/esp: spec.lifetme: unknown field",
            "EspGroup/esp: spec.disableRekey: expected true or false",
            "IpsecPeer/branch: spec.remoteAddresses: expected a list",
            "IpsecPeer/branch: spec.connectionType: must be one of initiate, none, respond",
            // the peer bound all the same; tunnels are a list-map keyed on id, so the CRD's
            // check finds the duplicate, in the API server's words (the operator's own check of
            // the same field is not repeated)
            "IpsecPeer/branch: spec.tunnels[1]: Duplicate value: map[string]interface {}{\"id\":1}",
            "8 error(s)");
    assertThat(r.err())
        .doesNotContain("java.", "dev.ipsec", "Cannot deserialize", "Enum class", "\tat ")
        .doesNotContain("top-secret-value-4711");
  }

  @Test
  void valuesOfTheWrongShapeSayWhatTheFieldHolds(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("shapes.yaml"),
        documents(
            """
            apiVersion: ipsec.dev/v1alpha1
            kind: IkeGroup
            metadata: {name: ike}
            spec:
              lifetime: 99999999999
              proposals: [{encryption: aes128, hash: sha256}]
            """,
            """
            apiVersion: ipsec.dev/v1alpha1
            kind: EspGroup
            metadata: {name: esp}
            spec:
              lifetime: 1.5
              proposals: [5]
            """,
            """
            apiVersion: ipsec.dev/v1alpha1
            kind: EspGroup
            metadata: {name: esp2}
            spec:
              proposals: {encryption: aes128}
            """,
            """
            apiVersion: ipsec.dev/v1alpha1
            kind: EspGroup
            metadata: {name: esp3}
            spec:
              lifetime: "3600"
              proposals: [{encryption: aes128, hash: sha256}]
            """,
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: s}
            data: [1]
            """));

    Run r = RenderAndValidateCommandTest.run("validate", "-f", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(errorLines(r))
        .contains(
            "IkeGroup/ike: spec.lifetime: expected a whole number",
            "EspGroup/esp: spec.lifetime: expected a whole number",
            "EspGroup/esp: spec.proposals[0]: expected an object",
            "EspGroup/esp2: spec.proposals: expected a list",
            "Secret/s: data: expected a map of keys to values");
    // binding would take the quoted number; the API server, and so the CRD check, does not
    assertThat(errorLines(r)).anyMatch(l -> l.startsWith("EspGroup/esp3: spec.lifetime: "));
    assertThat(r.err()).doesNotContain("java.", "Numeric value", "Cannot deserialize");
  }

  @Test
  void aMistakeThatTheCrdAndTheOperatorBothCatchIsPrintedOnce(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("twice.yaml"),
        documents(
            GATEWAY,
            PSK,
            """
            apiVersion: ipsec.dev/v1alpha1
            kind: IkeGroup
            metadata: {name: ike}
            spec:
              proposals: [{encryption: aes128, hash: sha256_96}]
            """,
            """
            apiVersion: ipsec.dev/v1alpha1
            kind: EspGroup
            metadata: {name: esp}
            spec:
              lifetime: 999999
              proposals: [{encryption: aes128, hash: sha256}]
            """,
            peer("branch", "esp"),
            peer("branch-2", "esp")));

    Run r = RenderAndValidateCommandTest.run("validate", "-f", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    // the CRD's CEL rule and the operator's group check say the same: once
    assertThat(occurrences(r.err(), "sha256_96 (HMAC-SHA-256 truncated")).isOne();
    // the CRD's range and the operator's range on the same field: the first only
    assertThat(errorLines(r)).filteredOn(l -> l.contains("spec.lifetime")).hasSize(1);
    assertThat(errorLines(r))
        .contains(
            "EspGroup/esp: spec.lifetime: must have a maximum value of 86400.0",
            "IpsecPeer/branch: spec.ikeGroup: IkeGroup \"ike\" is invalid (its errors are under"
                + " IkeGroup/ike)",
            "IpsecPeer/branch-2: spec.tunnels[0].espGroup: EspGroup \"esp\" is invalid (its"
                + " errors are under EspGroup/esp)")
        .doesNotHaveDuplicates();
    assertThat(errorLines(r).get(errorLines(r).size() - 1))
        .isEqualTo((errorLines(r).size() - 1) + " error(s)");
  }

  @Test
  void aGatewayPlacementThatIsNotAPodsIsNamedAsTheOperatorWouldName(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("placement.yaml"),
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecGlobal
        metadata: {name: gw}
        spec:
          gateway:
            affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: []}}
            topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone}]
        """);

    Run r = RenderAndValidateCommandTest.run("validate", "-f", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(errorLines(r))
        .contains(
            "IpsecGlobal/gw: spec.gateway.affinity.nodeAffinity"
                + ".requiredDuringSchedulingIgnoredDuringExecution: does not have the type this"
                + " field has in a Pod's affinity",
            "IpsecGlobal/gw: spec.gateway.topologySpreadConstraints[0].whenUnsatisfiable: is"
                + " required");
  }

  private static String peer(String name, String espGroup) {
    return """
    apiVersion: ipsec.dev/v1alpha1
    kind: IpsecPeer
    metadata: {name: %s}
    spec:
      gateway: gw
      authentication:
        mode: pre-shared-secret
        preSharedSecret: {secretRef: {name: psk, key: key}}
      ikeGroup: ike
      localAddress: 192.0.2.1
      remoteAddresses: [192.0.2.2]
      tunnels: [{id: 1, espGroup: %s}]
    """
        .formatted(name, espGroup);
  }

  private static int occurrences(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  @Test
  void dashReadsStandardInput() throws IOException {
    String example = examples("site-to-site", true);
    Run r = withStdin(example, "validate", "-f", "-");
    assertThat(r.exitCode()).as(r.err()).isZero();
    // the same as the directory gives
    assertThat(r.out())
        .isEqualTo(
            RenderAndValidateCommandTest.run(
                    "validate", "-f", EXAMPLES.resolve("site-to-site").toString())
                .out())
        .isEqualTo("8 resource(s) valid, 2 gateway(s) rendered\n");

    Run bad =
        withStdin(
            "apiVersion: ipsec.dev/v1alpha1\n"
                + "kind: IkeGroup\n"
                + "metadata: {name: x}\n"
                + "spec: {mode: fast}\n",
            "validate",
            "-f",
            "-");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).startsWith("IkeGroup/x: spec.mode: must be one of aggressive, main\n");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"site-to-site", "x509", "rsa", "multi-tunnel"})
  void offlineTakesSecretsMissingFromTheFilesOnTrust(String example) throws IOException {
    String withoutSecrets = examples(example, false);

    Run online = withStdin(withoutSecrets, "validate", "-f", "-");
    assertThat(online.exitCode()).isEqualTo(1);
    assertThat(online.err()).contains("not found");

    Run offline = withStdin(withoutSecrets, "validate", "--offline", "-f", "-");
    assertThat(offline.exitCode()).as(offline.err()).isZero();
    assertThat(offline.err()).isEmpty();
    assertThat(offline.out()).contains("resource(s) valid", "not in the files taken on trust");
  }

  @Test
  void offlineStillChecksEverythingElse(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("peers.yaml"),
        documents(
            GATEWAY,
            PSK,
            """
            apiVersion: ipsec.dev/v1alpha1
            kind: IkeGroup
            metadata: {name: ike}
            spec:
              proposals: [{encryption: aes128, hash: sha256}]
            """,
            """
            apiVersion: ipsec.dev/v1alpha1
            kind: EspGroup
            metadata: {name: esp}
            spec:
              proposals: [{encryption: aes128, hash: sha256}]
            """,
            // a Secret in the files without the key named: still an error
            peer("wrong-key", "esp").replace("key: key}", "key: nope}"),
            // a Secret not in the files: taken on trust, but its other mistakes are reported
            peer("sealed", "missing-esp").replace("name: psk,", "name: sealed-psk,")));

    Run r = RenderAndValidateCommandTest.run("validate", "--offline", "-f", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(errorLines(r))
        .containsExactly(
            "IpsecPeer/sealed: spec.tunnels[0].espGroup: EspGroup \"missing-esp\" not found",
            "IpsecPeer/wrong-key: spec.authentication.preSharedSecret.secretRef: Secret \"psk\""
                + " with key nope not found",
            "2 error(s)");
  }

  @Test
  void helpExplainsOfflineAndStandardInput() {
    Run r = RenderAndValidateCommandTest.run("validate", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out().replaceAll("\\s+", " "))
        .contains("--offline", "Secrets are sealed", "taken on trust", "- reads standard input");
  }

  /** The example's files as one stream of documents, its Secrets left out unless asked for. */
  private static String examples(String example, boolean withSecrets) throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES.resolve(example))) {
      String all =
          files
              .filter(f -> f.toString().endsWith(".yaml"))
              .sorted()
              .map(ValidateCommandTest::read)
              .collect(Collectors.joining("\n---\n"));
      return Arrays.stream(all.split("(?m)^---\\s*$"))
          .filter(doc -> withSecrets || !doc.matches("(?s).*(?m:^kind: Secret\\s*$).*"))
          .collect(Collectors.joining("\n---\n"));
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Run withStdin(String input, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return RenderAndValidateCommandTest.run(args);
    } finally {
      System.setIn(saved);
    }
  }
}
