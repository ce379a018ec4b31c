package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.apply.CountingViciChannel;
import dev.ipsec.operator.agent.apply.ViciChannel;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.testing.TestManifests;
import dev.ipsec.operator.testing.TestPki;
import dev.ipsec.operator.vici.ViciMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader without charon (every command answers empty): what reaches the VICI channel for a
 * volume without manifests, a complete one, and one whose file was changed behind the manifest.
 */
class ConfigLoaderTest {

  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final String CONNECTION =
      "connections { site-b { remote_addrs = 192.0.2.2\n"
          + " children { net { local_ts = 198.51.100.0/24 } } } }\n";

  @TempDir Path dir;

  private final CountingViciChannel channel =
      new CountingViciChannel(
          new ViciChannel() {
            @Override
            public ViciMessage call(String command, ViciMessage request) {
              return ViciMessage.empty();
            }

            @Override
            public void stream(
                String command, String event, ViciMessage request, Consumer<ViciMessage> onEvent) {
              // charon lists no connection
            }
          });

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-12-06T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final TestClock clock = new TestClock();

  @Test
  void aDirectoryWithoutManifestsLoadsNothingAndSaysSoOnceSettled() throws Exception {
    Files.writeString(dir.resolve("swanctl.conf"), CONNECTION);
    ConfigLoader loader = new ConfigLoader(dir, channel, clock, SETTLE);

    ConfigLoader.Pass pass = loader.load(true);

    assertThat(pass.applied()).isNull();
    assertThat(pass.recheckAt()).contains(clock.now.plus(SETTLE));
    assertThat(channel.history()).isEmpty();
    assertThat(loader.status().pending()).isNull();

    clock.now = clock.now.plus(SETTLE);
    loader.load(true);
    LoaderStatus status = loader.status();
    assertThat(channel.history()).isEmpty();
    assertThat(status.configRevision()).isNull();
    assertThat(status.pending().reason()).isEqualTo("no manifest");
    assertThat(status.pending().revision()).isNull();
    assertThat(status.ignoredFiles()).containsExactly("swanctl.conf");
  }

  @Test
  void aTamperedFileChangesNothingAndAFullLoadRestoresTheLastCompleteRevision() throws Exception {
    Files.writeString(dir.resolve("swanctl.conf"), CONNECTION);
    TestManifests.write(dir, "r1");
    ConfigLoader loader = new ConfigLoader(dir, channel, clock, SETTLE);
    assertThat(loader.load(true).applied()).isNotNull();
    assertThat(channel.history()).contains("load-conn site-b");
    assertThat(loader.status().configRevision()).isEqualTo("r1");

    Files.writeString(dir.resolve("swanctl.conf"), CONNECTION.replace("192.0.2.2", "%any"));
    int mark = channel.history().size();
    assertThat(loader.load(false).applied()).isNull();
    assertThat(channel.historySince(mark)).isEmpty();

    // charon restarted meanwhile: it gets r1 again, not the tampered file
    ConfigLoader.Pass full = loader.load(true);
    assertThat(full.applied()).isNotNull();
    assertThat(full.desired().revision()).isEqualTo("r1");
    assertThat(
            full.desired()
                .connections()
                .get("site-b")
                .request()
                .section("site-b")
                .orElseThrow()
                .list("remote_addrs"))
        .containsExactly("192.0.2.2");

    clock.now = clock.now.plus(SETTLE);
    loader.load(false);
    assertThat(loader.status().pending().mismatchedFiles()).containsExactly("swanctl.conf");
    assertThat(loader.status().configRevision()).isEqualTo("r1");
  }

  @Test
  void knowsWhenEachLoadedCertificateExpiresButNotOfKeys() throws Exception {
    TestPki.CertificateAuthority ca = new TestPki.CertificateAuthority("metrics-ca");
    TestPki.IssuedCertificate gateway = ca.issue("gw.example.org");
    Files.writeString(dir.resolve("swanctl.conf"), CONNECTION);
    Files.createDirectories(dir.resolve("x509ca"));
    Files.createDirectories(dir.resolve("x509"));
    Files.createDirectories(dir.resolve("private"));
    Files.writeString(dir.resolve("x509ca/ca.pem"), ca.certificatePem());
    Files.writeString(dir.resolve("x509/gw.pem"), gateway.certificatePem());
    Files.writeString(dir.resolve("private/gw.pem"), gateway.privateKeyPem());
    TestManifests.write(dir, "r1");
    ConfigLoader loader = new ConfigLoader(dir, channel, clock, SETTLE);

    assertThat(loader.load(true).applied()).isNotNull();

    assertThat(loader.loadedCertificatesNotAfter())
        .containsOnlyKeys("x509ca/ca.pem", "x509/gw.pem")
        .containsEntry("x509ca/ca.pem", notAfter(ca.certificatePem()))
        .containsEntry("x509/gw.pem", notAfter(gateway.certificatePem()));
  }

  private static Instant notAfter(String pem) throws Exception {
    return ((X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))))
        .getNotAfter()
        .toInstant();
  }
}
