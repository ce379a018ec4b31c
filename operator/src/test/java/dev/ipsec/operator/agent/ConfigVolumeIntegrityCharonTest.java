package dev.ipsec.operator.agent;

import static dev.ipsec.operator.agent.AgentIncrementalApplyCharonTest.awaitRevision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.agent.GatewayVolumeSources.Source;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.manifest.ConfigManifestJson;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.SiteToSite;
import dev.ipsec.operator.testing.SiteToSite.Side;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciMessage;
import dev.ipsec.operator.volume.ConfigShards;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the agent loads into a real charon from a gateway's projected volume is exactly what the
 * operator's manifests list, with the listed digests: a ConfigMap or Secret that someone else named
 * like a shard adds files that are never loaded (only named in the state), also with a manifest of
 * its own that no root lists, and a listed file changed behind the operator's back, also with its
 * shard's manifest to match, stops the volume from loading at all, while charon keeps the last
 * complete revision and its SAs.
 *
 * <p>Gateway B's agent reads the volume ({@link GatewayVolumeSources}: the operator's objects,
 * projected and swapped as the kubelet does); gateway A initiates the tunnel {@code site-b}.
 */
@RequiresCharon
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigVolumeIntegrityCharonTest {

  private static final String SECRET = "integrity-psk";
  private static final Duration SETTLE = Duration.ofMillis(300);

  private Path tmp;
  private SiteToSite site;
  private ViciClient probeB;

  @BeforeAll
  void startGateways() throws Exception {
    tmp = Files.createTempDirectory("agent-integrity");
    site = SiteToSite.create("ci", tmp);
    site.a().fastRetransmit();
    site.start();
    Path confA = tmp.resolve("a-swanctl.conf");
    Files.writeString(
        confA, SiteToSite.swanctlConf(Side.A, "site-b", "net", Map.of(), Map.of(), SECRET));
    site.a().swanctlLoadAll(confA).orThrow("load A");
    probeB = site.b().newClient();
  }

  @AfterAll
  void stop() throws Exception {
    if (probeB != null) {
      probeB.close();
    }
    if (site != null) {
      site.close();
    }
    try (Stream<Path> walk = Files.walk(tmp)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** B's files as the renderer lays them out: entry file, the peer's connection and its secret. */
  private static Map<String, String> filesOfB() {
    String conf = SiteToSite.swanctlConf(Side.B, "site-b", "net", Map.of(), Map.of(), SECRET);
    int secrets = conf.indexOf("secrets {");
    return Map.of(
        "swanctl.conf", "include conf.d/*.conf\ninclude secrets.d/*.conf\n",
        "conf.d/site-b.conf", conf.substring(0, secrets),
        "secrets.d/site-b.conf", conf.substring(secrets));
  }

  private GatewayAgent startAgent(Path volume, ViciClient client) throws Exception {
    AgentSettings settings =
        AgentSettings.defaults(volume)
            .withDebounce(Duration.ofMillis(50))
            .withProbeInterval(Duration.ofMillis(300))
            .withSettleTime(SETTLE);
    return new GatewayAgent(settings, client, new StateRevision(), Clock.systemUTC()).start();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> sharedSecretsOfB() {
    return probeB.call("get-shared", ViciMessage.empty()).list("keys");
  }

  @Test
  void filesOfSomeoneElsesShardAreNeverLoadedAndAreReportedByName() throws Exception {
    Path dir = tmp.resolve("b-volume-foreign");
    GatewayVolumeSources volume = new GatewayVolumeSources(dir);
    volume.setAll(GatewayVolumeSources.render("r1", filesOfB(), path -> 0));
    volume.project();
    try (ViciClient client = site.b().newClient();
        GatewayAgent agent = startAgent(dir, client)) {
      awaitRevision(agent, "r1");
      String connections = site.b().swanctl("--list-conns").orThrow("list-conns").stdout();
      assertThat(connections).contains("site-b:").contains("192.0.2.1");
      List<String> secrets = sharedSecretsOfB();
      int mark = agent.loaderChannel().history().size();

      // anyone allowed to create ConfigMaps and Secrets in the namespace can name them like a
      // shard: the pod projects gw-config-17 and gw-secrets-17 next to the operator's objects,
      // here complete with a well-formed manifest of their own, which no root lists
      Map<String, String> hostile =
          Map.of(
              "conf.d/zz-hostile.conf",
              """
              connections {
                zz-hostile {
                  remote_addrs = %any
                  local { auth = psk }
                  remote { auth = psk }
                  children {
                    all {
                      local_ts = 0.0.0.0/0
                      remote_ts = 0.0.0.0/0
                      updown = /bin/sh -c 'touch /tmp/pwned'
                    }
                  }
                }
              }
              """,
              "conf.d/site-b-more.conf",
              """
              connections {
                site-b {
                  remote_addrs = %any
                  children { net { local_ts = 0.0.0.0/0 } }
                }
              }
              """);
      Map<String, byte[]> hostileShard = new TreeMap<>();
      hostile.forEach((path, text) -> hostileShard.put(ConfigShards.key(path), bytes(text)));
      hostileShard.put(
          "manifests..config-17.json",
          bytes(ConfigManifestJson.write(ConfigManifest.ofText("h17", hostile))));
      volume.set("config:" + GatewayVolumeSources.configShard(17), new Source(false, hostileShard));
      volume.set(
          "secret:" + GatewayVolumeSources.secretShard(17),
          new Source(
              true,
              Map.of(
                  "secrets.d..zz-hostile.conf",
                  bytes("secrets {\n  ike-zz-hostile {\n    secret = \"guessable\"\n  }\n}\n"))));
      volume.project();

      // the kubelet links a new revision's top-level names one by one after the ..data swap, so
      // the agent may first see some of them: each is reported once it has lasted the settle time
      List<String> foreignFiles =
          List.of(
              "conf.d..site-b-more.conf",
              "conf.d..zz-hostile.conf",
              "manifests..config-17.json",
              "secrets.d..zz-hostile.conf");
      LoaderStatus status =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(agent::loaderStatus, s -> s.ignoredFiles().equals(foreignFiles));
      assertThat(status.pending()).isNull();
      assertThat(status.configRevision()).isEqualTo("r1");
      assertThat(status.connections())
          .extracting(LoaderStatus.Connection::name)
          .containsExactly("site-b");
      // charon holds the real connection unchanged, and nothing of the foreign objects
      assertThat(site.b().swanctl("--list-conns").orThrow("list-conns").stdout())
          .isEqualTo(connections);
      assertThat(sharedSecretsOfB()).isEqualTo(secrets).containsExactly("ike-site-b");
      assertThat(agent.loaderChannel().historySince(mark)).isEmpty();
    }
  }

  @Test
  void aTamperedFileIsNotLoadedAndTheLastCompleteRevisionKeepsItsSas() throws Exception {
    Path dir = tmp.resolve("b-volume-tampered");
    GatewayVolumeSources volume = new GatewayVolumeSources(dir);
    Map<String, Source> r1 = GatewayVolumeSources.render("r1", filesOfB(), path -> 0);
    volume.setAll(r1);
    volume.project();
    try (ViciClient client = site.b().newClient();
        GatewayAgent agent = startAgent(dir, client)) {
      awaitRevision(agent, "r1");
      site.a().swanctl("--initiate", "--child", "net").orThrow("initiate");
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> ManyPeers.installed(probeB, "site-b"));
      Map<String, String> sas = ManyPeers.establishedIkeIds(probeB);
      String connections = site.b().swanctl("--list-conns").orThrow("list-conns").stdout();
      int mark = agent.loaderChannel().history().size();

      // the shard is edited behind the operator's back: its manifest still lists the old digest
      String tampered =
          filesOfB()
              .get("conf.d/site-b.conf")
              .replace("remote_addrs = " + SiteToSite.ADDR_A, "remote_addrs = %any")
              .replace("local_ts = " + SiteToSite.INNER_B + "/32", "local_ts = 0.0.0.0/0");
      String shard0 = "config:" + GatewayVolumeSources.configShard(0);
      Map<String, byte[]> edited = new TreeMap<>(r1.get(shard0).data());
      edited.put("conf.d..site-b.conf", bytes(tampered));
      volume.set(shard0, new Source(false, edited));
      volume.project();

      LoaderStatus status =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(agent::loaderStatus, s -> s.pending() != null);
      assertThat(status.pending().revision()).isEqualTo("r1");
      assertThat(status.pending().mismatchedFiles()).containsExactly("conf.d/site-b.conf");
      assertThat(status.pending().missingFiles()).isEmpty();
      assertThat(status.pending().reason())
          .contains("conf.d/site-b.conf does not match its digest");
      assertThat(status.configRevision()).isEqualTo("r1");
      assertThat(agent.loaderChannel().historySince(mark)).isEmpty();
      assertThat(site.b().swanctl("--list-conns").orThrow("list-conns").stdout())
          .isEqualTo(connections);
      assertThat(ManyPeers.establishedIkeIds(probeB)).isEqualTo(sas);

      // the shard's manifest is edited to match: the root's digest of that manifest catches it
      edited.put(
          "manifests..config-0.json",
          bytes(
              ConfigManifestJson.write(
                  ConfigManifest.ofText("x1", Map.of("conf.d/site-b.conf", tampered)))));
      volume.set(shard0, new Source(false, edited));
      volume.project();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              agent::loaderStatus,
              s ->
                  s.pending() != null
                      && s.pending().mismatchedFiles().equals(List.of("manifests/config-0.json")));
      assertThat(agent.loaderStatus().pending().reason())
          .contains("manifests/config-0.json does not match its digest");
      assertThat(agent.loaderStatus().configRevision()).isEqualTo("r1");
      assertThat(agent.loaderChannel().historySince(mark)).isEmpty();
      assertThat(site.b().swanctl("--list-conns").orThrow("list-conns").stdout())
          .isEqualTo(connections);

      // charon restarts meanwhile: it gets the last complete revision again, not the tampered file
      long restarts = agent.charonStatus().restarts();
      site.b().kill();
      site.b().start();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  agent.charonStatus().restarts() > restarts
                      && agent.charonStatus().configApplied());
      assertThat(site.b().swanctl("--list-conns").orThrow("list-conns").stdout())
          .isEqualTo(connections);
      assertThat(agent.loaderStatus().pending()).isNotNull();

      // the operator's next revision is complete again and loads
      volume.setAll(GatewayVolumeSources.render("r2", filesOfB(), path -> 0));
      volume.project();
      awaitRevision(agent, "r2");
      assertThat(agent.loaderStatus().pending()).isNull();
    }
  }
}
