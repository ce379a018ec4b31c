package dev.ipsec.operator.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.kubelet.ProjectedVolumeWriter;
import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.manifest.ConfigManifestJson;
import dev.ipsec.operator.settings.ConfigTree;
import dev.ipsec.operator.testing.TestManifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's check of a configuration volume against the operator's manifests, two roots and the
 * shards' manifests they list: a revision is complete only when both roots agree, the tree has the
 * operator's shape, and every listed file is there, inside the volume, a regular file of bounded
 * size, with its digest; files no manifest lists are named, never read.
 */
class ManifestVerifierTest {

  @TempDir Path tmp;

  private static final Map<String, String> FILES =
      Map.of(
          "swanctl.conf", "include conf.d/*.conf\ninclude secrets.d/*.conf\n",
          "conf.d/site-b.conf", "connections { site-b { version = 2 } }\n",
          "x509ca/site-b-ca-0.pem",
              "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n",
          "secrets.d/site-b.conf", "secrets { ike-site-b { secret = \"s3cret\" } }\n",
          "private/site-b.pem", "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n");

  /** A flat projected volume, as the gateway pod has it, holding {@code files} as written. */
  private Path volume(Map<String, String> files) {
    Path dir = tmp.resolve("volume");
    Map<String, byte[]> payload = new TreeMap<>();
    files.forEach(
        (path, text) ->
            payload.put(
                path.replace("/", ConfigTree.SEPARATOR), text.getBytes(StandardCharsets.UTF_8)));
    new ProjectedVolumeWriter(dir).write(payload);
    return dir;
  }

  private static VolumeCheck check(Path dir) throws IOException {
    return new ManifestVerifier(dir).check();
  }

  @Test
  void aCompleteRevisionCarriesEveryListedFileAndNothingElse() throws Exception {
    Path dir = volume(TestManifests.withManifests("r7", FILES));

    VolumeCheck check = check(dir);

    assertThat(check.complete()).isTrue();
    assertThat(check.revision()).isEqualTo("r7");
    assertThat(check.problem()).isNull();
    assertThat(check.view().files()).containsOnlyKeys(FILES.keySet());
    assertThat(new String(check.view().files().get("conf.d/site-b.conf"), StandardCharsets.UTF_8))
        .isEqualTo(FILES.get("conf.d/site-b.conf"));
    // the kubelet's ..data, ..<timestamp> and the manifests are not unlisted files
    assertThat(check.unlistedFiles()).isEmpty();
    assertThat(check.view().toString()).doesNotContain("s3cret");
  }

  @Test
  void aFileNoManifestListsIsNamedByItsVolumeNameAndNotRead() throws Exception {
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r1", FILES));
    files.put("conf.d/evil.conf", "connections { evil { remote_addrs = %any } }\n");
    files.put(".hidden", "x");
    Path dir = volume(files);

    VolumeCheck check = check(dir);

    assertThat(check.complete()).isTrue();
    assertThat(check.view().files()).doesNotContainKey("conf.d/evil.conf");
    assertThat(check.unlistedFiles()).containsExactly(".hidden", "conf.d..evil.conf");
  }

  @Test
  void aListedFileThatIsMissingLeavesTheRevisionIncomplete() throws Exception {
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r2", FILES));
    files.remove("conf.d/site-b.conf");
    files.remove("secrets.d/site-b.conf");

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.revision()).isEqualTo("r2");
    assertThat(check.gap().missingFiles())
        .containsExactly("conf.d/site-b.conf", "secrets.d/site-b.conf");
    assertThat(check.gap().mismatchedFiles()).isEmpty();
    assertThat(check.problem())
        .isEqualTo(
            "revision r2 is incomplete: 2 listed file(s) missing: conf.d/site-b.conf,"
                + " secrets.d/site-b.conf");
  }

  @Test
  void aListedFileWhoseContentChangedIsMismatchedAndNeverQuoted() throws Exception {
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r3", FILES));
    files.put("secrets.d/site-b.conf", "secrets { ike-site-b { secret = \"guess\" } }\n");

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.gap().mismatchedFiles()).containsExactly("secrets.d/site-b.conf");
    assertThat(check.problem())
        .isEqualTo("revision r3 is incomplete: secrets.d/site-b.conf does not match its digest")
        .doesNotContain("guess");
  }

  @Test
  void withoutAnyManifestNothingIsLoadedAndEveryFileIsUnlisted() throws Exception {
    VolumeCheck check = check(volume(FILES));

    assertThat(check.complete()).isFalse();
    assertThat(check.problem()).isEqualTo("no manifest");
    assertThat(check.revision()).isNull();
    assertThat(check.unlistedFiles()).hasSize(FILES.size()).contains("swanctl.conf");
  }

  @Test
  void oneManifestAloneIsNotARevision() throws Exception {
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r4", FILES));
    files.remove(ConfigManifest.SECRET_FILE);

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.problem()).isEqualTo("secrets-manifest.json is missing");
    assertThat(check.revision()).isEqualTo("r4");
  }

  @Test
  void anInvalidManifestIsRefusedWithItsReason() throws Exception {
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r5", FILES));
    files.put(
        ConfigManifest.PUBLIC_FILE,
        "{\"schemaVersion\": 1, \"revision\": \"r5\", \"files\": {}, \"extra\": 1}");

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.problem()).startsWith("manifest.json: invalid manifest:").contains("extra");
  }

  @Test
  void anInvalidSecretManifestIsRefusedWithoutQuotingIt() throws Exception {
    String digest = "ab".repeat(32);
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r5", FILES));
    files.put(
        ConfigManifest.SECRET_FILE,
        "{\"schemaVersion\": 1, \"revision\": \"" + digest + "!\", \"files\": {}}");

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.problem())
        .isEqualTo("secrets-manifest.json is not a valid manifest")
        .doesNotContain(digest);
  }

  @Test
  void manifestsOfDifferentRevisionsAreATornView() throws Exception {
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r6", FILES));
    files.put(
        ConfigManifest.SECRET_FILE,
        TestManifests.withManifests("r5", FILES).get(ConfigManifest.SECRET_FILE));

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.revision()).isNull();
    assertThat(check.problem())
        .isEqualTo("manifest.json names revision r6, secrets-manifest.json names r5");
  }

  @Test
  void aPathListedInBothManifestsIsRefused() throws Exception {
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r1", FILES));
    Map<String, byte[]> secret = new TreeMap<>();
    secret.put("swanctl.conf", FILES.get("swanctl.conf").getBytes(StandardCharsets.UTF_8));
    files.put(
        ConfigManifest.SECRET_FILE, ConfigManifestJson.write(ConfigManifest.of("r1", secret)));

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.problem())
        .isEqualTo("listed by two manifests: swanctl.conf (manifest.json, secrets-manifest.json)");
  }

  @Test
  void aListedFileThatLinksOutOfTheVolumeIsRefused() throws Exception {
    Path dir = tmp.resolve("nested");
    Files.createDirectories(dir.resolve("conf.d"));
    for (Map.Entry<String, String> file : FILES.entrySet()) {
      Files.createDirectories(dir.resolve(file.getKey()).getParent());
      Files.writeString(dir.resolve(file.getKey()), file.getValue());
    }
    TestManifests.write(dir, "r8");
    // same content, but outside: a link may never carry a file in
    Path outside = Files.writeString(tmp.resolve("outside.conf"), FILES.get("conf.d/site-b.conf"));
    Files.delete(dir.resolve("conf.d/site-b.conf"));
    Files.createSymbolicLink(dir.resolve("conf.d/site-b.conf"), outside);

    VolumeCheck check = check(dir);

    assertThat(check.complete()).isFalse();
    assertThat(check.gap().mismatchedFiles()).containsExactly("conf.d/site-b.conf");
    assertThat(check.problem()).contains("conf.d/site-b.conf resolves outside the volume");
  }

  @Test
  void aListedFileLargerThanAnyConfigMapIsRefusedWithoutReadingItAll() throws Exception {
    Path dir = tmp.resolve("nested");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("swanctl.conf"), "# " + "x".repeat(VolumeFileReader.MAX_FILE_BYTES));
    TestManifests.write(dir, "r9");

    VolumeCheck check = check(dir);

    assertThat(check.complete()).isFalse();
    assertThat(check.gap().mismatchedFiles()).containsExactly("swanctl.conf");
    assertThat(check.problem()).contains("swanctl.conf is larger than 1048576 bytes");
  }

  @Test
  void aDirectoryWhereAListedFileShouldBeIsRefused() throws Exception {
    Path dir = tmp.resolve("nested");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("swanctl.conf"), "");
    TestManifests.write(dir, "r1");
    Files.delete(dir.resolve("swanctl.conf"));
    Files.createDirectories(dir.resolve("swanctl.conf"));

    VolumeCheck check = check(dir);

    assertThat(check.gap().mismatchedFiles()).containsExactly("swanctl.conf");
    assertThat(check.problem()).contains("swanctl.conf is not a regular file");
  }

  @Test
  void aFlatFileShadowedByANestedOneIsNotTheListedFile() throws Exception {
    Path dir = tmp.resolve("nested");
    Files.createDirectories(dir.resolve("conf.d"));
    Files.writeString(dir.resolve("swanctl.conf"), "include conf.d/*.conf\n");
    Files.writeString(dir.resolve("conf.d/a.conf"), "a = 1\n");
    TestManifests.write(dir, "r1");
    Files.writeString(dir.resolve("conf.d..a.conf"), "a = 2\n");

    VolumeCheck check = check(dir);

    assertThat(check.complete()).isTrue();
    assertThat(new String(check.view().files().get("conf.d/a.conf"), StandardCharsets.UTF_8))
        .isEqualTo("a = 1\n");
    assertThat(check.unlistedFiles()).containsExactly("conf.d..a.conf");
  }

  // the tree: roots list the shards' manifests, each lists its shard's files

  private static final String CONFIG_0 = "manifests/config-0.json";
  private static final String SECRETS_0 = "manifests/secrets-0.json";

  @Test
  void theRootsListTheShardsManifestsWhichListTheFiles() throws Exception {
    Map<String, String> files = TestManifests.withManifests("r1", FILES);
    ConfigManifest publicRoot = ConfigManifestJson.read(files.get(ConfigManifest.PUBLIC_FILE));
    ConfigManifest secretRoot = ConfigManifestJson.read(files.get(ConfigManifest.SECRET_FILE));
    assertThat(publicRoot.files()).containsOnlyKeys("swanctl.conf", CONFIG_0);
    assertThat(secretRoot.files()).containsOnlyKeys(SECRETS_0);
    assertThat(ConfigManifestJson.read(files.get(SECRETS_0)).files())
        .containsOnlyKeys("secrets.d/site-b.conf", "private/site-b.pem");

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isTrue();
    // the shards' manifests are no files of the configuration, and not unlisted either
    assertThat(check.view().files()).containsOnlyKeys(FILES.keySet());
    assertThat(check.unlistedFiles()).isEmpty();
  }

  @Test
  void aShardsManifestThatDoesNotMatchItsDigestLeavesItsFilesUnknown() throws Exception {
    // someone rewrites a shard consistently: a file and the shard's manifest listing it
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r1", FILES));
    String evil = "connections { site-b { remote_addrs = %any } }\n";
    files.put("conf.d/site-b.conf", evil);
    Map<String, byte[]> shard = new TreeMap<>();
    FILES.forEach(
        (path, text) -> {
          if (!path.equals("swanctl.conf") && !TestManifests.isSecret(path)) {
            shard.put(path, text.getBytes(StandardCharsets.UTF_8));
          }
        });
    shard.put("conf.d/site-b.conf", evil.getBytes(StandardCharsets.UTF_8));
    files.put(CONFIG_0, ConfigManifestJson.write(ConfigManifest.of("x1", shard)));

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.revision()).isEqualTo("r1");
    assertThat(check.gap().mismatchedFiles()).containsExactly(CONFIG_0);
    assertThat(check.gap().missingFiles()).isEmpty();
    assertThat(check.problem())
        .isEqualTo("revision r1 is incomplete: " + CONFIG_0 + " does not match its digest");
    // what only that manifest listed is listed by nothing the agent trusts
    assertThat(check.unlistedFiles())
        .containsExactly("conf.d..site-b.conf", "x509ca..site-b-ca-0.pem");
  }

  @Test
  void aMissingShardsManifestIsAMissingFile() throws Exception {
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r2", FILES));
    files.remove(SECRETS_0);

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.gap().missingFiles()).containsExactly(SECRETS_0);
    assertThat(check.problem())
        .isEqualTo("revision r2 is incomplete: 1 listed file(s) missing: " + SECRETS_0);
    assertThat(check.unlistedFiles())
        .containsExactly("private..site-b.pem", "secrets.d..site-b.conf");
  }

  @Test
  void aShardsManifestListsFilesOnlyNeverAnotherManifest() throws Exception {
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r1", FILES));
    String deeper =
        ConfigManifestJson.write(
            ConfigManifest.ofText("x2", Map.of("conf.d/deeper.conf", "connections {}\n")));
    files.put("manifests/config-1.json", deeper);
    files.put("conf.d/deeper.conf", "connections {}\n");
    SortedMap<String, String> listing =
        new TreeMap<>(ConfigManifestJson.read(files.get(CONFIG_0)).files());
    listing.put("manifests/config-1.json", sha256(deeper));
    files =
        relisted(
            files,
            ConfigManifest.PUBLIC_FILE,
            CONFIG_0,
            ConfigManifestJson.write(new ConfigManifest(1, "x1", listing)));

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.revision()).isEqualTo("r1");
    assertThat(check.problem())
        .isEqualTo(
            CONFIG_0 + " lists manifests/config-1.json: a shard's manifest lists files only");
  }

  @Test
  void aSecretFileListedOnThePublicSideIsRefused() throws Exception {
    // a config shard's manifest would put the digest of a pre-shared key into a ConfigMap
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r1", FILES));
    SortedMap<String, String> listing =
        new TreeMap<>(ConfigManifestJson.read(files.get(CONFIG_0)).files());
    listing.put("secrets.d/site-b.conf", sha256(FILES.get("secrets.d/site-b.conf")));
    files =
        relisted(
            files,
            ConfigManifest.PUBLIC_FILE,
            CONFIG_0,
            ConfigManifestJson.write(new ConfigManifest(1, "x1", listing)));
    files =
        relisted(
            files,
            ConfigManifest.SECRET_FILE,
            SECRETS_0,
            ConfigManifestJson.write(
                ConfigManifest.ofText(
                    "x2", Map.of("private/site-b.pem", FILES.get("private/site-b.pem")))));

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.problem())
        .isEqualTo(
            CONFIG_0
                + " lists secrets.d/site-b.conf, a secret file, which only secrets-manifest.json"
                + " and the secret shards' manifests may list");

    // the public root may not list a secret shard's manifest either
    Map<String, String> secretsFromPublic = new TreeMap<>(TestManifests.withManifests("r1", FILES));
    ConfigManifest publicRoot =
        ConfigManifestJson.read(secretsFromPublic.get(ConfigManifest.PUBLIC_FILE));
    SortedMap<String, String> rootListing = new TreeMap<>(publicRoot.files());
    rootListing.put(SECRETS_0, sha256(secretsFromPublic.get(SECRETS_0)));
    secretsFromPublic.put(
        ConfigManifest.PUBLIC_FILE,
        ConfigManifestJson.write(new ConfigManifest(1, "r1", rootListing)));
    secretsFromPublic.put(
        ConfigManifest.SECRET_FILE,
        ConfigManifestJson.write(new ConfigManifest(1, "r1", new TreeMap<>())));

    VolumeCheck fromPublic = check(volume(secretsFromPublic));

    assertThat(fromPublic.complete()).isFalse();
    assertThat(fromPublic.problem())
        .isEqualTo(
            "manifest.json lists "
                + SECRETS_0
                + ", the manifest of a secret shard, which only secrets-manifest.json may list");
  }

  @Test
  void aRootListsShardManifestsByTheirNamesOnly() throws Exception {
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r1", FILES));
    String json = files.remove(CONFIG_0);
    files.put("manifests/extra.json", json);
    ConfigManifest publicRoot = ConfigManifestJson.read(files.get(ConfigManifest.PUBLIC_FILE));
    SortedMap<String, String> rootListing = new TreeMap<>(publicRoot.files());
    rootListing.put("manifests/extra.json", rootListing.remove(CONFIG_0));
    files.put(
        ConfigManifest.PUBLIC_FILE,
        ConfigManifestJson.write(new ConfigManifest(1, "r1", rootListing)));

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.problem())
        .isEqualTo("manifest.json lists manifests/extra.json, which names no shard's manifest");
  }

  @Test
  void aPathListedByTwoShardsManifestsIsRefused() throws Exception {
    Map<String, String> files =
        new TreeMap<>(
            TestManifests.withManifests("r1", FILES, path -> path.startsWith("x509ca/") ? 1 : 0));
    String second =
        ConfigManifestJson.write(
            ConfigManifest.ofText(
                "x3",
                Map.of(
                    "x509ca/site-b-ca-0.pem", FILES.get("x509ca/site-b-ca-0.pem"),
                    "conf.d/site-b.conf", FILES.get("conf.d/site-b.conf"))));
    files = relisted(files, ConfigManifest.PUBLIC_FILE, "manifests/config-1.json", second);

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.problem())
        .isEqualTo(
            "listed by two manifests: conf.d/site-b.conf (manifests/config-0.json,"
                + " manifests/config-1.json)");
  }

  @Test
  void anInvalidSecretShardsManifestIsRefusedWithoutQuotingIt() throws Exception {
    String digest = "cd".repeat(32);
    String invalid =
        "{\"schemaVersion\": 1, \"revision\": \"x\", \"files\": {\"a\": \"" + digest + "!\"}}";
    Map<String, String> files =
        relisted(
            TestManifests.withManifests("r1", FILES),
            ConfigManifest.SECRET_FILE,
            SECRETS_0,
            invalid);

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isFalse();
    assertThat(check.revision()).isEqualTo("r1");
    assertThat(check.problem())
        .isEqualTo(SECRETS_0 + " is not a valid manifest")
        .doesNotContain(digest);
  }

  @Test
  void aForeignShardWithAManifestOfItsOwnIsIgnoredAndReported() throws Exception {
    // gw-config-17, someone else's, complete with a well-formed manifest: no root lists it
    Map<String, String> files = new TreeMap<>(TestManifests.withManifests("r1", FILES));
    String evil = "connections { evil { remote_addrs = %any } }\n";
    files.put("conf.d/evil.conf", evil);
    files.put(
        "manifests/config-17.json",
        ConfigManifestJson.write(ConfigManifest.ofText("e1", Map.of("conf.d/evil.conf", evil))));

    VolumeCheck check = check(volume(files));

    assertThat(check.complete()).isTrue();
    assertThat(check.view().files()).containsOnlyKeys(FILES.keySet());
    assertThat(check.unlistedFiles())
        .containsExactly("conf.d..evil.conf", "manifests..config-17.json");
  }

  @Test
  void aShardThatChangesIsCheckedAgainAndTheOthersStay() throws Exception {
    Path dir = tmp.resolve("volume");
    ProjectedVolumeWriter writer = new ProjectedVolumeWriter(dir);
    writer.write(
        flat(TestManifests.withManifests("r1", FILES, path -> path.contains("ca") ? 1 : 0)));
    ManifestVerifier verifier = new ManifestVerifier(dir);
    assertThat(verifier.check().complete()).isTrue();

    Map<String, String> changed = new TreeMap<>(FILES);
    changed.put("conf.d/site-b.conf", "connections { site-b { version = 1 } }\n");
    writer.write(
        flat(TestManifests.withManifests("r2", changed, path -> path.contains("ca") ? 1 : 0)));
    VolumeCheck check = verifier.check();

    assertThat(check.complete()).isTrue();
    assertThat(check.revision()).isEqualTo("r2");
    assertThat(new String(check.view().files().get("conf.d/site-b.conf"), StandardCharsets.UTF_8))
        .contains("version = 1");
  }

  /**
   * {@code files} with the shard manifest at {@code path} replaced by {@code json}, and the root
   * {@code rootFile} listing it with its digest, as an operator that wrote them would.
   */
  private static Map<String, String> relisted(
      Map<String, String> files, String rootFile, String path, String json) {
    Map<String, String> out = new TreeMap<>(files);
    out.put(path, json);
    ConfigManifest root = ConfigManifestJson.read(out.get(rootFile));
    SortedMap<String, String> listing = new TreeMap<>(root.files());
    listing.put(path, sha256(json));
    out.put(rootFile, ConfigManifestJson.write(new ConfigManifest(1, root.revision(), listing)));
    return out;
  }

  private static String sha256(String text) {
    return ConfigManifest.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, byte[]> flat(Map<String, String> files) {
    Map<String, byte[]> payload = new TreeMap<>();
    files.forEach(
        (path, text) ->
            payload.put(
                path.replace("/", ConfigTree.SEPARATOR), text.getBytes(StandardCharsets.UTF_8)));
    return payload;
  }
}
