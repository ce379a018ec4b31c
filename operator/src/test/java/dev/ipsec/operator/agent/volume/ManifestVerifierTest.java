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
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's check of a configuration volume against the operator's two manifests: a revision is
 * complete only when both manifests agree and every listed file is there, inside the volume, a
 * regular file of bounded size, with its digest; files no manifest lists are named, never read.
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
    assertThat(check.missingFiles()).containsExactly("conf.d/site-b.conf", "secrets.d/site-b.conf");
    assertThat(check.mismatchedFiles()).isEmpty();
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
    assertThat(check.mismatchedFiles()).containsExactly("secrets.d/site-b.conf");
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
    assertThat(check.problem()).isEqualTo("both manifests list swanctl.conf");
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
    assertThat(check.mismatchedFiles()).containsExactly("conf.d/site-b.conf");
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
    assertThat(check.mismatchedFiles()).containsExactly("swanctl.conf");
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

    assertThat(check.mismatchedFiles()).containsExactly("swanctl.conf");
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
}
