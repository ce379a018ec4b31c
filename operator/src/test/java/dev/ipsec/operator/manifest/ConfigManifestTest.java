package dev.ipsec.operator.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipsec.operator.manifest.ConfigManifestJson.InvalidManifestException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigManifestTest {

  private static final Map<String, String> FILES =
      new TreeMap<>(Map.of("swanctl.conf", "include conf.d/*.conf\n", "conf.d/site-b.conf", "x"));

  @Test
  void listsEachFileWithItsSha256AndReadsBackEqual() {
    ConfigManifest manifest = ConfigManifest.ofText("0123abcd", FILES);

    assertThat(manifest.files())
        .containsEntry(
            "conf.d/site-b.conf",
            // sha256("x"), as sha256sum prints it
            "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881");
    String json = ConfigManifestJson.write(manifest);
    assertThat(ConfigManifestJson.read(json)).isEqualTo(manifest);
    assertThat(ConfigManifestJson.write(ConfigManifestJson.read(json))).isEqualTo(json);
  }

  @Test
  void matchesOnlyTheListedContent() {
    ConfigManifest manifest = ConfigManifest.ofText("r1", FILES);

    assertThat(manifest.matches("conf.d/site-b.conf", "x".getBytes(StandardCharsets.UTF_8)))
        .isTrue();
    assertThat(manifest.matches("conf.d/site-b.conf", "y".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    assertThat(manifest.matches("conf.d/evil.conf", "x".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../etc/passwd",
        "/etc/passwd",
        "conf.d/../../x",
        "..data/swanctl.conf",
        ".hidden",
        "conf.d..site-b.conf",
        "a/b/c/d/e",
        "conf.d/",
        ""
      })
  void refusesPathsThatAreNoFileOfTheVolume(String path) {
    String json =
        "{\"schemaVersion\":1,\"revision\":\"r1\",\"files\":{\""
            + path
            + "\":\"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\"}}";

    assertThatThrownBy(() -> ConfigManifestJson.read(json))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("not a file name");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"schemaVersion\":2,\"revision\":\"r1\",\"files\":{}}",
        "{\"revision\":\"r1\",\"files\":{}}",
        "{\"schemaVersion\":1,\"files\":{}}",
        "{\"schemaVersion\":1,\"revision\":\"r1\"}",
        "{\"schemaVersion\":1,\"revision\":\"r 1\",\"files\":{}}",
        "{\"schemaVersion\":1,\"revision\":\"r1\",\"files\":{},\"extra\":1}",
        "{\"schemaVersion\":1,\"revision\":\"r1\",\"files\":{\"a\":\"x\"}}",
        "{\"schemaVersion\":1,\"revision\":\"r1\",\"files\":{\"a\":null}}",
        "{\"schemaVersion\":1,\"revision\":\"r1\",\"files\":{}} {}",
        "{\"schemaVersion\":1,\"schemaVersion\":1,\"revision\":\"r1\",\"files\":{}}",
        "null",
        "[]",
        ""
      })
  void refusesAnythingButAWholeManifestOfThisSchema(String json) {
    assertThatThrownBy(() -> ConfigManifestJson.read(json))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageStartingWith("invalid manifest: ");
  }

  @Test
  void refusesAnOversizedDocumentBeforeParsingIt() {
    byte[] huge = new byte[ConfigManifestJson.MAX_BYTES + 1];

    assertThatThrownBy(() -> ConfigManifestJson.read(huge))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void aShardsManifestIsNamedAfterItsSideAndIndexAndThePathAloneSaysSo() {
    assertThat(ConfigManifest.shardManifestPath(ConfigManifest.Side.PUBLIC, 0))
        .isEqualTo("manifests/config-0.json");
    assertThat(ConfigManifest.shardManifestPath(ConfigManifest.Side.SECRET, 31))
        .isEqualTo("manifests/secrets-31.json");
    assertThat(ConfigManifest.nestedSide("manifests/config-7.json"))
        .contains(ConfigManifest.Side.PUBLIC);
    assertThat(ConfigManifest.nestedSide("manifests/secrets-0.json"))
        .contains(ConfigManifest.Side.SECRET);
    // the folder makes a path a nested manifest; only these names are one of a side
    for (String other :
        new String[] {
          "manifests/config-07.json",
          "manifests/other.json",
          "manifests/config-1.yaml",
          "conf.d/config-1.json"
        }) {
      assertThat(ConfigManifest.nestedSide(other)).as(other).isEmpty();
    }
    assertThat(ConfigManifest.isNested("manifests/other.json")).isTrue();
    assertThat(ConfigManifest.isNested("conf.d/manifests.conf")).isFalse();
    // a shard manifest's path is a path a manifest may list
    ConfigManifest.checkPath(ConfigManifest.shardManifestPath(ConfigManifest.Side.SECRET, 31));
  }

  @Test
  void secretFilesAreTheSharedSecretsAndPrivateKeys() {
    for (String secret :
        new String[] {
          "secrets.d/site-b.conf", "private/site-b.pem", "rsa/k.pem", "ecdsa/k.pem", "pkcs8/k.pem"
        }) {
      assertThat(ConfigManifest.side(secret)).as(secret).isEqualTo(ConfigManifest.Side.SECRET);
    }
    for (String pub :
        new String[] {
          "swanctl.conf",
          "conf.d/site-b.conf",
          "x509/site-b.pem",
          "x509ca/site-b-ca-0.pem",
          "pubkey/site-b-remote.pem",
          "secrets.conf"
        }) {
      assertThat(ConfigManifest.side(pub)).as(pub).isEqualTo(ConfigManifest.Side.PUBLIC);
    }
  }
}
