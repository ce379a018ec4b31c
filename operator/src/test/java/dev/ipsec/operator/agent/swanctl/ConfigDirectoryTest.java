package dev.ipsec.operator.agent.swanctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.testing.TestManifests;
import dev.ipsec.operator.vici.ViciMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDirectoryTest {

  @TempDir Path dir;

  private void write(String relative, String text) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** What the agent reads from the directory once the operator's manifests list all of it. */
  private DesiredConfig read(ConfigDirectory reader, String revision) {
    TestManifests.write(dir, revision);
    return reader.read(TestManifests.verifiedView(dir));
  }

  private DesiredConfig read() {
    return read(new ConfigDirectory(dir), "r1");
  }

  @Test
  void connectionBecomesLoadConnWithListsAndSectionsInSwanctlOrder() throws Exception {
    write(
        "swanctl.conf",
        """
        connections {
          tun {
            children { c1 { local_ts = 198.51.100.1/32, 198.51.100.2/32
                            esp_proposals = aes128gcm16 } }
            version = 2
            local_addrs = 192.0.2.1
            remote_addrs = 192.0.2.2 ,, 192.0.2.3
            local { auth = psk
                    id = a.test }
            remote { auth = pubkey
                     certs = peer.pem }
          }
        }
        """);
    write("x509/peer.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

    DesiredConfig config = read();

    ViciMessage tun = config.connections().get("tun").request().section("tun").orElseThrow();
    assertThat(tun.entries().keySet())
        .containsExactly("version", "local_addrs", "remote_addrs", "children", "local", "remote");
    assertThat(tun.list("local_addrs")).containsExactly("192.0.2.1");
    assertThat(tun.list("remote_addrs")).containsExactly("192.0.2.2", "192.0.2.3");
    ViciMessage c1 = tun.section("children").orElseThrow().section("c1").orElseThrow();
    assertThat(c1.list("local_ts")).containsExactly("198.51.100.1/32", "198.51.100.2/32");
    assertThat(c1.list("esp_proposals")).containsExactly("aes128gcm16");
    assertThat(tun.section("remote").orElseThrow().list("certs"))
        .singleElement()
        .asString()
        .contains("BEGIN CERTIFICATE");
    assertThat(config.credentials()).containsOnlyKeys("x509/peer.pem");
    assertThat(config.credentials().get("x509/peer.pem").request().string("flag")).contains("NONE");
  }

  @Test
  void secretsBecomeLoadSharedWithOwnersAndDecodedData() throws Exception {
    write(
        "swanctl.conf",
        """
        secrets {
          ike-1 { id-local = a.test
                  id-remote-0 = b.test
                  secret = "secret1" }
          ike-hex { secret = 0x736563726574 }
          ike-b64 { secret = 0sc2VjcmV0 }
          eap-x { secret = x }
          bogus { secret = x }
        }
        """);

    DesiredConfig config = read();

    ViciMessage ike = config.secrets().get("ike-1").request();
    assertThat(ike.string("id")).contains("ike-1");
    assertThat(ike.string("type")).contains("IKE");
    assertThat(ike.string("data")).contains("secret1");
    assertThat(ike.list("owners")).containsExactly("a.test", "b.test");
    assertThat(config.secrets().get("ike-hex").request().string("data")).contains("secret");
    assertThat(config.secrets().get("ike-b64").request().string("data")).contains("secret");
    // charon knows EAP secrets, but the operator renders none: not passed on
    assertThat(config.secretErrors()).containsOnlyKeys("eap-x", "bogus");
    assertThat(config.secretErrors().get("eap-x"))
        .isEqualTo("swanctl.conf: secrets.eap-x is not a section the operator renders");
    assertThat(config.secrets().get("ike-1").toString()).doesNotContain("secret1");
  }

  @Test
  void fingerprintsChangeOnlyForTheEditedConnection() throws Exception {
    write("swanctl.conf", "include conf.d/*.conf\n");
    write("conf.d/a.conf", "connections { a { remote_addrs = 192.0.2.10 } }\n");
    write("conf.d/b.conf", "connections { b { remote_addrs = 192.0.2.11 } }\n");
    DesiredConfig before = read(new ConfigDirectory(dir), "r1");
    write("conf.d/b.conf", "connections { b { remote_addrs = 192.0.2.12 } }\n");
    DesiredConfig after = read(new ConfigDirectory(dir), "r2");

    assertThat(after.connections().get("a").fingerprint())
        .isEqualTo(before.connections().get("a").fingerprint());
    assertThat(after.connections().get("b").fingerprint())
        .isNotEqualTo(before.connections().get("b").fingerprint());
    assertThat(before.revision()).isEqualTo("r1");
    assertThat(after.revision()).isEqualTo("r2");
  }

  @Test
  void aReusedReaderSeesEveryEditAndOnlyRetranslatesWhatChanged() throws Exception {
    write("swanctl.conf", "include conf.d/*.conf\n");
    write("conf.d/a.conf", "connections { a { remote_addrs = 192.0.2.10 } }\n");
    write("conf.d/b.conf", "connections { b { remote_addrs = 192.0.2.11 } }\n");
    write("conf.d/c.conf", "connections { c { remote_addrs = 192.0.2.12 } }\n");
    ConfigDirectory reader = new ConfigDirectory(dir);
    DesiredConfig before = read(reader, "r1");
    write("conf.d/b.conf", "connections { b { remote_addrs = 192.0.2.13 } }\n");
    write("conf.d/c.conf", "connections { c { remote_addrs = 192.0.2.12 }\n b { version = 2 } }\n");
    DesiredConfig after = read(reader, "r2");

    assertThat(after.connections().get("a")).isSameAs(before.connections().get("a"));
    assertThat(
            after.connections().get("b").request().section("b").orElseThrow().list("remote_addrs"))
        .containsExactly("192.0.2.13");
    assertThat(after.connections().get("b").request().section("b").orElseThrow().string("version"))
        .contains("2");
    assertThat(after.connections().get("c").fingerprint())
        .isEqualTo(before.connections().get("c").fingerprint());
    assertThat(after.connections().get("b").sources()).hasSize(2);
  }

  @Test
  void errorsAreAttributedToTheirConnectionAndTheOthersSurvive() throws Exception {
    write("swanctl.conf", "include conf.d/*.conf\n");
    write("conf.d/a.conf", "connections { a { remote_addrs = 192.0.2.10 } }\n");
    write("conf.d/b.conf", "connections {\n b {\n remote_addrs 192.0.2.11\n }\n}\n");
    write("conf.d/c.conf", "connections { c { remote { certs = missing.pem } } }\n");

    DesiredConfig config = read();

    assertThat(config.connections()).containsOnlyKeys("a");
    assertThat(config.connectionErrors()).containsOnlyKeys("b", "c");
    assertThat(config.connectionErrors().get("b")).contains("b.conf:3");
    assertThat(config.connectionErrors().get("c")).contains("x509/missing.pem");
    assertThat(config.failedFiles()).containsExactly(dir.resolve("conf.d/b.conf"));
    assertThat(config.entryFileFailed()).isFalse();
  }

  @Test
  void onlyListedFilesExistForIncludesReferencesAndCredentialFolders() throws Exception {
    write("swanctl.conf", "include conf.d/*.conf\n");
    write("conf.d/a.conf", "connections { a { remote { auth = pubkey\n cacerts = ca.pem } } }\n");
    write("x509ca/ca.pem", "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
    TestManifests.write(dir, "r1");
    // written after the manifests: on disk, but listed nowhere
    write("conf.d/evil.conf", "connections { evil { remote_addrs = %any } }\n");
    write("x509ca/evil.pem", "-----BEGIN CERTIFICATE-----\nBB==\n-----END CERTIFICATE-----\n");
    write("conf.d/b.conf", "connections { b { remote { auth = pubkey\n cacerts = evil.pem } } }\n");

    DesiredConfig config = new ConfigDirectory(dir).read(TestManifests.verifiedView(dir));

    assertThat(config.connections()).containsOnlyKeys("a");
    assertThat(config.credentials()).containsOnlyKeys("x509ca/ca.pem");
    assertThat(config.revision()).isEqualTo("r1");
  }

  @Test
  void keysTheRendererDoesNotWriteAreRefusedNamingFileAndKey() throws Exception {
    write("swanctl.conf", "include conf.d/*.conf\n");
    write(
        "conf.d/x.conf",
        """
        connections {
          site-b {
            remote_addrs = 192.0.2.2
            children { t1 { local_ts = 0.0.0.0/0
                            updown = /usr/bin/curl evil.example } }
          }
          site-c { remote_addrs = 192.0.2.3
                   children { t1 { updown = /etc/ipsec.d/vti-up-down vti7 } } }
          site-d { pools = everyone }
          site-e { remote-2 { auth = psk } }
        }
        pools { everyone { addrs = 0.0.0.0/0 } }
        """);

    DesiredConfig config = read();

    assertThat(config.connections()).containsOnlyKeys("site-c");
    assertThat(config.connectionErrors())
        .containsEntry(
            "site-b",
            "conf.d/x.conf: connections.site-b.children.t1.updown has a value the operator does"
                + " not render")
        .containsEntry(
            "site-d", "conf.d/x.conf: connections.site-d.pools is not a key the operator renders")
        .containsEntry(
            "site-e",
            "conf.d/x.conf: connections.site-e.remote-2 is not a section the operator renders");
    assertThat(config.connectionErrors().get("site-b")).doesNotContain("curl");
    assertThat(config.fileErrors())
        .containsExactly("conf.d/x.conf: pools is not a section the operator renders");
  }

  @Test
  void credentialFoldersMapToLoadCertAndLoadKey() throws Exception {
    write("swanctl.conf", "secrets { private-gw { file = gw.pem } rsa-x { file = nope.pem } }\n");
    write("x509ca/ca.pem", "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
    write("private/gw.pem", "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n");
    Files.createDirectories(dir.resolve("x509"));
    Files.write(dir.resolve("x509/der.crt"), new byte[] {0x30, (byte) 0x82, 0x01});

    DesiredConfig config = read();

    assertThat(config.credentials())
        .containsOnlyKeys("x509ca/ca.pem", "x509/der.crt", "private/gw.pem");
    assertThat(config.credentials().get("x509ca/ca.pem").request().string("flag")).contains("CA");
    assertThat(config.credentials().get("x509/der.crt").request().string("data"))
        .hasValueSatisfying(pem -> assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\nMIIB"));
    assertThat(config.credentials().get("private/gw.pem").command()).isEqualTo("load-key");
    assertThat(config.secretErrors()).containsOnlyKeys("rsa-x");
    assertThat(config.secretErrors().get("rsa-x")).contains("not a section the operator renders");
    assertThat(List.copyOf(config.secrets().keySet())).isEmpty();
  }
}
