package dev.ipsec.operator.agent.swanctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.kubelet.ProjectedVolumeWriter;
import dev.ipsec.operator.settings.ConfigTree;
import dev.ipsec.operator.testing.TestManifests;
import dev.ipsec.operator.volume.ConfigShards;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A projected volume without {@code items} holds every file flat at its root under its ConfigMap
 * key ({@code conf.d..b.conf}), beside the kubelet's {@code ..data} and {@code ..<timestamp>}
 * entries. Read through {@link ConfigDirectory}, it must give exactly what the nested layout of the
 * same files gives: includes, certificate, public key and key file references all resolve.
 */
class FlatConfigDirectoryTest {

  @TempDir Path tmp;

  private static final String CERT =
      "-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n";
  private static final String CA =
      "-----BEGIN CERTIFICATE-----\nMIIBCCCC\n-----END CERTIFICATE-----\n";
  private static final String KEY =
      "-----BEGIN PRIVATE KEY-----\nMIIBKKKK\n-----END PRIVATE KEY-----\n";
  private static final String PUBKEY =
      "-----BEGIN PUBLIC KEY-----\nMIIBPPPP\n-----END PUBLIC KEY-----\n";

  /**
   * The layout the renderer produces: entry file, one file per peer, credentials in their folders.
   */
  private static Map<String, String> files() {
    Map<String, String> files = new TreeMap<>();
    files.put("swanctl.conf", "include conf.d/*.conf\nsecrets { private-gw { file = gw.pem } }\n");
    files.put(
        "conf.d/site-a.conf",
        """
        connections {
          site-a {
            remote_addrs = 192.0.2.1
            local { auth = psk
              id = a.test }
            remote { auth = psk
              id = b.test }
            children { net { local_ts = 198.51.100.0/24 } }
          }
        }
        secrets {
          ike-site-a {
            id-local = a.test
            secret = "not-logged"
          }
        }
        """);
    files.put(
        "conf.d/site-b.conf",
        """
        connections {
          site-b {
            remote_addrs = 192.0.2.2
            local { auth = pubkey
              certs = site-b-local.pem }
            remote { auth = pubkey
              cacerts = site-b-ca-0.pem }
            children { net { local_ts = 198.51.100.0/24 } }
          }
        }
        """);
    files.put(
        "conf.d/site-c.conf",
        """
        connections {
          site-c {
            remote_addrs = 192.0.2.3
            local { auth = pubkey }
            remote { auth = pubkey
              pubkeys = site-c-remote.pem }
            children { net { local_ts = 198.51.100.0/24 } }
          }
        }
        """);
    files.put("x509/site-b-local.pem", CERT);
    files.put("x509ca/site-b-ca-0.pem", CA);
    files.put("private/gw.pem", KEY);
    files.put("pubkey/site-c-remote.pem", PUBKEY);
    return files;
  }

  @Test
  void aFlatProjectedVolumeReadsLikeTheNestedLayout() throws Exception {
    Path nested = tmp.resolve("nested");
    for (Map.Entry<String, String> file : TestManifests.withManifests("r1", files()).entrySet()) {
      Files.createDirectories(nested.resolve(file.getKey()).getParent());
      Files.writeString(nested.resolve(file.getKey()), file.getValue());
    }
    Path flat = tmp.resolve("flat");
    new ProjectedVolumeWriter(flat).write(flat(TestManifests.withManifests("r1", files())));

    DesiredConfig fromNested = read(nested);
    DesiredConfig fromFlat = read(flat);

    assertThat(Files.exists(flat.resolve("conf.d"))).isFalse();
    assertThat(Files.isSymbolicLink(flat.resolve("conf.d..site-b.conf"))).isTrue();
    assertThat(fromFlat.connectionErrors()).isEmpty();
    assertThat(fromFlat.secretErrors()).isEmpty();
    assertThat(fromFlat.credentialErrors()).isEmpty();
    assertThat(fromFlat.fileErrors()).isEmpty();
    assertThat(fromFlat.revision()).isEqualTo("r1");
    assertThat(fromFlat.connections()).containsOnlyKeys("site-a", "site-b", "site-c");
    assertThat(fingerprints(fromFlat.connections(), SectionSpec::fingerprint))
        .isEqualTo(fingerprints(fromNested.connections(), SectionSpec::fingerprint));
    assertThat(fingerprints(fromFlat.secrets(), SectionSpec::fingerprint))
        .isEqualTo(fingerprints(fromNested.secrets(), SectionSpec::fingerprint))
        .containsOnlyKeys("ike-site-a");
    // the kubelet's ..data and ..<timestamp> entries are not credentials or configuration
    assertThat(fingerprints(fromFlat.credentials(), CredentialSpec::fingerprint))
        .isEqualTo(fingerprints(fromNested.credentials(), CredentialSpec::fingerprint))
        .containsOnlyKeys("x509/site-b-local.pem", "x509ca/site-b-ca-0.pem", "private/gw.pem");
    // the certificate and the public key really were read through their flat names
    var siteB = fromFlat.connections().get("site-b").request().section("site-b").orElseThrow();
    assertThat(siteB.section("local").orElseThrow().list("certs"))
        .singleElement()
        .asString()
        .contains("MIIBAAAA");
    assertThat(siteB.section("remote").orElseThrow().list("cacerts"))
        .singleElement()
        .asString()
        .contains("MIIBCCCC");
    var siteC = fromFlat.connections().get("site-c").request().section("site-c").orElseThrow();
    assertThat(siteC.section("remote").orElseThrow().list("pubkeys"))
        .singleElement()
        .asString()
        .contains("MIIBPPPP");
  }

  @Test
  void aMissingFlatCredentialIsReportedForItsConnection() throws Exception {
    Map<String, String> files = files();
    files.remove("pubkey/site-c-remote.pem");
    Path flat = tmp.resolve("flat");
    new ProjectedVolumeWriter(flat).write(flat(TestManifests.withManifests("r1", files)));

    DesiredConfig config = read(flat);

    assertThat(config.connections()).containsOnlyKeys("site-a", "site-b");
    assertThat(config.connectionErrors().get("site-c")).contains("pubkey/site-c-remote.pem");
  }

  @Test
  void flatNamesDecodeAndTheKubeletsOwnEntriesDoNot() {
    assertThat(ConfigTree.decode("conf.d..site-b.conf")).contains("conf.d/site-b.conf");
    assertThat(ConfigTree.decode("x509ca..site-b-ca-0.pem")).contains("x509ca/site-b-ca-0.pem");
    assertThat(ConfigTree.decode("..data")).isEmpty();
    assertThat(ConfigTree.decode("..2026_11_27_03_00_00.123456789")).isEmpty();
    assertThat(ConfigTree.decode("..data_tmp")).isEmpty();
    assertThat(ConfigTree.decode("swanctl.conf")).isEmpty();
    assertThat(ConfigTree.decode("a...b")).isEmpty(); // would need a component starting with a dot
    // what the operator encodes, the agent decodes
    assertThat(ConfigTree.decode(ConfigShards.key("conf.d/site-b.conf")))
        .contains("conf.d/site-b.conf");
  }

  private static DesiredConfig read(Path dir) {
    return new ConfigDirectory(dir).read(TestManifests.verifiedView(dir));
  }

  /** The files under their ConfigMap keys, as the kubelet projects a source without items. */
  private static Map<String, byte[]> flat(Map<String, String> files) {
    return files.entrySet().stream()
        .collect(
            Collectors.toMap(
                e -> ConfigShards.key(e.getKey()),
                e -> e.getValue().getBytes(StandardCharsets.UTF_8)));
  }

  private static <T> Map<String, String> fingerprints(
      Map<String, T> items, Function<T, ?> fingerprint) {
    Map<String, String> result = new TreeMap<>();
    items.forEach((k, v) -> result.put(k, String.valueOf(fingerprint.apply(v))));
    return result;
  }
}
