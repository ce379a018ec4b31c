package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.vyos.ImportedSecret;
import dev.ipsec.operator.vyos.VyosImport;
import dev.ipsec.operator.vyos.VyosImportResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The VyOS round trip into a real charon: a test configuration in VyOS syntax, imported and
 * rendered, loads without an error and charon lists exactly the connections and children the
 * renderer announced. (The x509 configuration needs certificates that live in VyOS's pki, outside
 * the import; its rendering is checked by ImportVyosCommandTest with the Secrets on trust.)
 */
@RequiresCharon
class VyosImportCharonTest {

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

  @ParameterizedTest
  @ValueSource(strings = {"multi-peer-psk.conf"})
  void anImportedConfigurationLoadsIntoCharon(String file) throws IOException {
    String text = Files.readString(Path.of("src/test/resources/vyos").resolve(file));
    VyosImportResult result = VyosImport.fromText(text, null, "hq");
    assertThat(result.errors()).isEmpty();

    RenderedGateway rendered = render(result);

    assertThat(rendered.peerErrors()).isEmpty();
    assertThat(rendered.connections()).containsOnlyKeys("branch1", "branch2", "legacy");
    charon.assertLoads(rendered);
  }

  private static RenderedGateway render(VyosImportResult result) {
    Map<String, Map<String, byte[]>> secrets = new HashMap<>();
    for (ImportedSecret secret : result.secrets()) {
      Map<String, byte[]> data = new HashMap<>();
      secret.data().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
      secrets.put(secret.name(), data);
    }
    Map<String, IkeGroup> ike =
        result.ikeGroups().stream()
            .collect(Collectors.toMap(g -> g.getMetadata().getName(), g -> g));
    Map<String, EspGroup> esp =
        result.espGroups().stream()
            .collect(Collectors.toMap(g -> g.getMetadata().getName(), g -> g));
    return new GatewayRenderer()
        .render(
            new GatewayInput(
                result.global(), result.peers(), ike, esp, ReferencedData.of(secrets, Map.of())));
  }
}
