package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.vyos.ImportedSecret;
import dev.ipsec.operator.vyos.VyosImport;
import dev.ipsec.operator.vyos.VyosImportResult;
import dev.ipsec.operator.vyos.VyosTestConfigurations;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The VyOS round trip into a real charon, for every test configuration in VyOS syntax: imported
 * (with the {@code set pki} lines of its x509 and rsa peers, keys made for the test) and rendered,
 * it loads without an error and charon lists exactly the connections and children the renderer
 * announced.
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

  /** Each test configuration and the connections it has. */
  private static final Map<String, String> CONFIGURATIONS =
      Map.of(
          "multi-peer-psk.conf", "branch1,branch2,legacy",
          "x509-two-peers.conf", "east,west",
          "rsa-two-peers.conf", "north,south");

  static Stream<Arguments> configurations() {
    return new TreeMap<>(CONFIGURATIONS)
        .entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void anImportedConfigurationLoadsIntoCharon(String file, String connections) {
    VyosImportResult result =
        VyosImport.fromText(VyosTestConfigurations.complete(file), null, "hq");
    assertThat(result.errors()).isEmpty();

    RenderedGateway rendered = render(result);

    assertThat(rendered.peerErrors()).isEmpty();
    assertThat(rendered.connections()).containsOnlyKeys(connections.split(","));
    charon.assertLoads(rendered);
  }

  @Test
  void everyTestConfigurationIsLoadedHere() {
    assertThat(CONFIGURATIONS.keySet())
        .containsExactlyInAnyOrderElementsOf(VyosTestConfigurations.files());
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
