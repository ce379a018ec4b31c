package dev.ipsec.operator.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.kubelet.ProjectedVolumeWriter;
import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.manifest.ConfigManifestJson;
import dev.ipsec.operator.settings.ConfigTree;
import dev.ipsec.operator.testing.TestManifests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ManifestVerifier#checkChanged()}: after a complete check, a swap is checked by its
 * manifests and the files whose digest changed; every other file is the one that matched the same
 * digest before, and {@link ManifestVerifier#check()} still finds one edited behind its digest.
 */
class ManifestVerifierChangedFilesTest {

  @TempDir Path tmp;

  private static final Map<String, String> FILES =
      Map.of(
          "swanctl.conf", "include conf.d/*.conf\n",
          "conf.d/site-b.conf", "connections { site-b { version = 2 } }\n",
          "conf.d/site-c.conf", "connections { site-c { version = 2 } }\n",
          "secrets.d/site-b.conf", "secrets { ike-site-b { secret = \"s3cret\" } }\n");

  private ProjectedVolumeWriter writer;
  private ManifestVerifier verifier;

  @BeforeEach
  void firstRevision() throws Exception {
    Path dir = tmp.resolve("volume");
    writer = new ProjectedVolumeWriter(dir);
    writer.write(flat(TestManifests.withManifests("r1", FILES)));
    verifier = new ManifestVerifier(dir);
    assertThat(verifier.check().complete()).isTrue();
  }

  @Test
  void aSwapThatChangesOneFileGivesTheNewRevisionWithTheNewBytes() throws Exception {
    Map<String, String> r2 = new TreeMap<>(FILES);
    r2.put("conf.d/site-b.conf", "connections { site-b { version = 1 } }\n");
    writer.write(flat(TestManifests.withManifests("r2", r2)));

    Optional<VolumeCheck> changed = verifier.checkChanged();

    assertThat(changed).isPresent();
    assertThat(changed.get().complete()).isTrue();
    assertThat(changed.get().revision()).isEqualTo("r2");
    assertThat(text(changed.get(), "conf.d/site-b.conf")).contains("version = 1");
    assertThat(changed.get().view().files()).containsOnlyKeys(r2.keySet());
    VolumeCheck full = verifier.check();
    assertThat(full.complete()).isTrue();
    assertThat(full.view().files().keySet()).isEqualTo(changed.get().view().files().keySet());
  }

  @Test
  void aChangedFileThatDoesNotMatchItsNewDigestIsLeftToTheFullCheck() throws Exception {
    Map<String, String> r2 = new TreeMap<>(FILES);
    r2.put("conf.d/site-b.conf", "connections { site-b { version = 1 } }\n");
    Map<String, String> written = new TreeMap<>(TestManifests.withManifests("r2", r2));
    written.put("conf.d/site-b.conf", "connections { site-b { remote_addrs = %any } }\n");
    writer.write(flat(written));

    assertThat(verifier.checkChanged()).isEmpty();
    VolumeCheck full = verifier.check();
    assertThat(full.complete()).isFalse();
    assertThat(full.gap().mismatchedFiles()).containsExactly("conf.d/site-b.conf");
  }

  @Test
  void aFileEditedBehindItsUnchangedDigestIsNeverInTheViewAndTheFullCheckFindsIt()
      throws Exception {
    Map<String, String> r2 = new TreeMap<>(FILES);
    r2.put("conf.d/site-b.conf", "connections { site-b { version = 1 } }\n");
    Map<String, String> written = new TreeMap<>(TestManifests.withManifests("r2", r2));
    written.put("conf.d/site-c.conf", "connections { site-c { remote_addrs = %any } }\n");
    writer.write(flat(written));

    Optional<VolumeCheck> changed = verifier.checkChanged();

    assertThat(changed).isPresent();
    assertThat(text(changed.get(), "conf.d/site-c.conf"))
        .isEqualTo(FILES.get("conf.d/site-c.conf"));
    VolumeCheck full = verifier.check();
    assertThat(full.complete()).isFalse();
    assertThat(full.gap().mismatchedFiles()).containsExactly("conf.d/site-c.conf");
    // until the volume is complete again, every look is a full one
    assertThat(verifier.checkChanged()).isEmpty();
  }

  @Test
  void withoutAChangedDigestTheFullCheckAnswers() throws Exception {
    Map<String, String> written = new TreeMap<>(TestManifests.withManifests("r1", FILES));
    written.put("conf.d/site-c.conf", "connections { site-c { remote_addrs = %any } }\n");
    writer.write(flat(written));

    assertThat(verifier.checkChanged()).isEmpty();
    assertThat(verifier.check().gap().mismatchedFiles()).containsExactly("conf.d/site-c.conf");
  }

  @Test
  void aTornViewIsLeftToTheFullCheck() throws Exception {
    Map<String, String> r2 = new TreeMap<>(FILES);
    r2.put("conf.d/site-b.conf", "connections { site-b { version = 1 } }\n");
    Map<String, String> written = new TreeMap<>(TestManifests.withManifests("r2", r2));
    // the root is new, the shard (its manifest and files) still the old one
    Map<String, String> old = TestManifests.withManifests("r1", FILES);
    old.forEach(
        (path, text) -> {
          if (!path.equals("manifest.json") && !path.equals("secrets-manifest.json")) {
            written.put(path, text);
          }
        });
    writer.write(flat(written));

    assertThat(verifier.checkChanged()).isEmpty();
    assertThat(verifier.check().complete()).isFalse();
  }

  @Test
  void aSwapThatAddsAndRemovesFilesBesidesAChangeGivesWhatAFullCheckGives() throws Exception {
    Map<String, String> r2 = new TreeMap<>(FILES);
    r2.put("conf.d/site-b.conf", "connections { site-b { version = 1 } }\n");
    r2.remove("conf.d/site-c.conf");
    r2.put("conf.d/site-d.conf", "connections { site-d { version = 2 } }\n");
    writer.write(flat(TestManifests.withManifests("r2", r2)));

    Optional<VolumeCheck> changed = verifier.checkChanged();

    assertThat(changed).isPresent();
    assertSameAsFullCheck(changed.get(), r2);
  }

  @Test
  void aFileThatMovesToAnotherShardWithTheSameBytesStaysInTheView() throws Exception {
    Map<String, String> r2 = new TreeMap<>(FILES);
    r2.put("conf.d/site-b.conf", "connections { site-b { version = 1 } }\n");
    // site-c moves to a new shard 1 (its manifest new), with the bytes it had
    writer.write(
        flat(
            TestManifests.withManifests(
                "r2", r2, path -> path.equals("conf.d/site-c.conf") ? 1 : 0)));

    Optional<VolumeCheck> changed = verifier.checkChanged();

    assertThat(changed).isPresent();
    assertSameAsFullCheck(changed.get(), r2);

    // and back, with shard 1 gone: its manifest is no longer listed, its file is in shard 0
    Map<String, String> r3 = new TreeMap<>(r2);
    r3.put("conf.d/site-b.conf", "connections { site-b { version = 2 } }\n");
    writer.write(flat(TestManifests.withManifests("r3", r3)));

    Optional<VolumeCheck> back = verifier.checkChanged();

    assertThat(back).isPresent();
    assertSameAsFullCheck(back.get(), r3);
  }

  @Test
  void aSwapWhoseManifestsListAPathTwiceIsLeftToTheFullCheck() throws Exception {
    Map<String, String> r2 = new TreeMap<>(FILES);
    r2.put("conf.d/site-b.conf", "connections { site-b { version = 1 } }\n");
    Map<String, String> written =
        new TreeMap<>(
            TestManifests.withManifests(
                "r2", r2, path -> path.equals("conf.d/site-c.conf") ? 1 : 0));
    // shard 0's manifest lists site-c too, which shard 1's lists; the root lists both as they are
    ConfigManifest shard0 = ConfigManifestJson.read(written.get("manifests/config-0.json"));
    SortedMap<String, String> listed = new TreeMap<>(shard0.files());
    listed.put("conf.d/site-c.conf", sha256(FILES.get("conf.d/site-c.conf")));
    String shard0Json =
        ConfigManifestJson.write(
            new ConfigManifest(ConfigManifest.SCHEMA_VERSION, shard0.revision(), listed));
    written.put("manifests/config-0.json", shard0Json);
    ConfigManifest root = ConfigManifestJson.read(written.get(ConfigManifest.PUBLIC_FILE));
    SortedMap<String, String> rootListed = new TreeMap<>(root.files());
    rootListed.put("manifests/config-0.json", sha256(shard0Json));
    written.put(
        ConfigManifest.PUBLIC_FILE,
        ConfigManifestJson.write(
            new ConfigManifest(ConfigManifest.SCHEMA_VERSION, root.revision(), rootListed)));
    writer.write(flat(written));

    assertThat(verifier.checkChanged()).isEmpty();
    VolumeCheck full = verifier.check();
    assertThat(full.complete()).isFalse();
    assertThat(full.problem()).contains("listed by two manifests: conf.d/site-c.conf");
  }

  private static String sha256(String text) {
    return ConfigManifest.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSwapThatOnlyRemovesFilesIsLeftToTheFullCheck() throws Exception {
    Map<String, String> r2 = new TreeMap<>(FILES);
    r2.remove("conf.d/site-c.conf");
    writer.write(flat(TestManifests.withManifests("r2", r2)));

    assertThat(verifier.checkChanged()).isEmpty();
    VolumeCheck full = verifier.check();
    assertThat(full.complete()).isTrue();
    assertThat(full.view().files()).containsOnlyKeys(r2.keySet());
  }

  @Test
  void changesInARowEachGiveWhatAFullCheckGives() throws Exception {
    Map<String, String> files = new TreeMap<>(FILES);
    for (int i = 2; i <= 6; i++) {
      files.put("conf.d/site-b.conf", "connections { site-b { version = " + i + " } }\n");
      files.put("conf.d/peer" + i + ".conf", "connections { peer" + i + " { version = 2 } }\n");
      files.remove("conf.d/peer" + (i - 2) + ".conf");
      int round = i;
      writer.write(
          flat(
              TestManifests.withManifests(
                  "r" + i, files, path -> path.hashCode() % 2 == 0 ? 0 : round % 2 + 1)));

      Optional<VolumeCheck> changed = verifier.checkChanged();

      assertThat(changed).as("round %d", i).isPresent();
      assertSameAsFullCheck(changed.get(), files);
    }
  }

  /**
   * The view holds exactly {@code files}, with their bytes, as a fresh verifier's full check of the
   * same volume does.
   */
  private void assertSameAsFullCheck(VolumeCheck changed, Map<String, String> files)
      throws Exception {
    VolumeCheck full = new ManifestVerifier(verifier.root()).check();
    assertThat(full.complete()).isTrue();
    assertThat(changed.revision()).isEqualTo(full.revision());
    assertThat(changed.view().files()).containsOnlyKeys(files.keySet());
    assertThat(changed.view().files().keySet()).isEqualTo(full.view().files().keySet());
    files.forEach((path, text) -> assertThat(text(changed, path)).as(path).isEqualTo(text));
  }

  private static String text(VolumeCheck check, String path) {
    return new String(check.view().files().get(path), StandardCharsets.UTF_8);
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
