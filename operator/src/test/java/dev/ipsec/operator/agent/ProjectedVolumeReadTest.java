package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.swanctl.ConfigDirectory;
import dev.ipsec.operator.agent.swanctl.DesiredConfig;
import dev.ipsec.operator.testing.TestManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory reader sees each {@code ..data} swap whole: new content, new revision, no
 * leftovers.
 */
class ProjectedVolumeReadTest {

  @TempDir Path tmp;

  @Test
  void aSwapIsReadWithItsNewContent() throws Exception {
    ProjectedVolumeDir volume =
        ProjectedVolumeDir.create(tmp.resolve("v"), "r1", ManyPeers.responderFiles(3));
    ConfigDirectory reader = new ConfigDirectory(volume.root());
    DesiredConfig first = reader.read(TestManifests.verifiedView(volume.root()));

    Map<String, String> changes = new HashMap<>();
    changes.put(ManyPeers.file(2), ManyPeers.responder(2, "        rekey_time = 1234s\n"));
    changes.put(ManyPeers.file(3), null);
    volume.update("r2", changes);
    DesiredConfig second = reader.read(TestManifests.verifiedView(volume.root()));

    assertThat(first.revision()).isEqualTo("r1");
    assertThat(second.revision()).isEqualTo("r2");
    assertThat(second.connections()).containsOnlyKeys("peer1", "peer2");
    assertThat(second.connections().get("peer1").fingerprint())
        .isEqualTo(first.connections().get("peer1").fingerprint());
    assertThat(second.connections().get("peer2").fingerprint())
        .isNotEqualTo(first.connections().get("peer2").fingerprint());
    try (var entries = Files.list(volume.root())) {
      assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("..")))
          .hasSize(2)
          .contains("..data");
    }
  }
}
