package dev.ipsec.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.demo.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret scan of {@link E2eCluster} finds what it looks for, so its silence after a scenario
 * means something: a PSK planted in a ConfigMap, in a log line (in base64 too) and in a metrics
 * line is found and named by place, and the secret itself is never in the findings.
 */
class SecretScanTest {
  private static final String PSK = "planted-psk-0123456789abcdef";
  private EmbeddedApiServer server;
  private KubernetesClient client;
  @TempDir Path logs;

  @BeforeEach
  void start() {
    server = new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0);
    client = server.client();
    client
        .secrets()
        .inNamespace("scan")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("site-b-psk")
                .endMetadata()
                .addToData("psk", base64(PSK))
                .build())
        .create();
    client
        .configMaps()
        .inNamespace("scan")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("innocent")
                .endMetadata()
                .addToData("swanctl.conf", "connections { }")
                .build())
        .create();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aPlantedPskIsFoundInAConfigMapALogLineAndAMetricsLineAndNamedByPlaceOnly() throws Exception {
    client
        .configMaps()
        .inNamespace("scan")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("leaky")
                .endMetadata()
                .addToData("secrets.conf", "ike { secret = " + PSK + " }")
                .build())
        .create();
    Files.createDirectories(logs.resolve("gw-pod/logs"));
    Files.writeString(
        logs.resolve("gw-pod/logs/agent.log"), "loaded\nsecret " + base64(PSK) + "\n");

    SecretScan scan =
        ClusterSecretScan.scan(
            client,
            List.of("started", "reconciled with psk " + PSK),
            logs,
            "ipsec_up{conn=\"" + PSK + "\"} 1\n",
            "agent-metrics");

    assertThat(scan.findings())
        .containsExactlyInAnyOrder(
            "Secret scan/site-b-psk key psk in ConfigMap scan/leaky key secrets.conf",
            "Secret scan/site-b-psk key psk in the operator process's log line 2",
            "Secret scan/site-b-psk key psk (base64) in gw-pod/logs/agent.log line 2",
            "Secret scan/site-b-psk key psk in the operator's metrics line 1");
    assertThat(String.join("\n", scan.findings())).doesNotContain(PSK, base64(PSK));
  }

  @Test
  void aPrivateKeyIsFoundByItsLinesAndItsHeaderWhileCertificatesAreNoSecret() throws Exception {
    String key =
        "-----BEGIN PRIVATE KEY-----\n"
            + "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgplantedplantedplanted\n"
            + "-----END PRIVATE KEY-----\n";
    String certificate =
        "-----BEGIN CERTIFICATE-----\nMIIBcertificatecertificatecertificatecertificate\n"
            + "-----END CERTIFICATE-----\n";
    client
        .secrets()
        .inNamespace("scan")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("gw-agent-tls")
                .endMetadata()
                .addToData("tls.key", base64(key))
                .addToData("tls.crt", base64(certificate))
                .build())
        .create();
    client
        .configMaps()
        .inNamespace("scan")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("ca")
                .endMetadata()
                .addToData("ca.crt", certificate)
                .build())
        .create();

    SecretScan scan =
        ClusterSecretScan.scan(
            client,
            List.of(
                "key MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgplantedplantedplanted",
                "-----BEGIN PRIVATE KEY-----"),
            logs,
            "",
            "agent-metrics");

    assertThat(scan.findings())
        .containsExactlyInAnyOrder(
            "Secret scan/gw-agent-tls key tls.key (PEM line 1) in the operator process's log line"
                + " 1",
            "'PRIVATE KEY' in the operator process's log line 2");
  }

  @Test
  void aCleanClusterHasNoFindingsAndSaysWhatItSearched() {
    SecretScan scan =
        ClusterSecretScan.scan(client, List.of("started"), logs, "up 1\n", "agent-metrics");

    assertThat(scan.findings()).isEmpty();
    assertThat(scan.secrets()).as("the PSK and its base64 form").isEqualTo(2);
    assertThat(scan.scanned())
        .containsEntry(ClusterSecretScan.CONFIG_MAPS, 1)
        .containsEntry(ClusterSecretScan.LOGS, 1)
        .containsEntry(ClusterSecretScan.METRICS, 1);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
