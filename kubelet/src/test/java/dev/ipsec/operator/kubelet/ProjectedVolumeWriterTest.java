package dev.ipsec.operator.kubelet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectedVolumeWriterTest {
  @TempDir Path volume;

  @Test
  void laysOutFilesLikeTheKubelet() throws Exception {
    new ProjectedVolumeWriter(volume)
        .write(
            Map.of(
                "swanctl.conf", "include conf.d/*.conf\n".getBytes(UTF_8),
                "conf.d/a.conf", "connections {}\n".getBytes(UTF_8)));

    assertThat(Files.isSymbolicLink(volume.resolve("..data"))).isTrue();
    assertThat(Files.readSymbolicLink(volume.resolve("..data")).toString()).startsWith("..20");
    assertThat(Files.readSymbolicLink(volume.resolve("conf.d")))
        .isEqualTo(Path.of("..data/conf.d"));
    assertThat(Files.readString(volume.resolve("conf.d/a.conf"))).isEqualTo("connections {}\n");
    assertThat(Files.readString(volume.resolve("swanctl.conf"))).contains("include");
  }

  @Test
  void anUpdateSwapsDataAtomicallyAndRemovesWhatIsGone() throws Exception {
    ProjectedVolumeWriter writer = new ProjectedVolumeWriter(volume);
    writer.write(Map.of("a.conf", "1".getBytes(UTF_8), "old/x.pem", "x".getBytes(UTF_8)));
    Path first = Files.readSymbolicLink(volume.resolve("..data"));

    writer.write(Map.of("a.conf", "2".getBytes(UTF_8)));

    Path second = Files.readSymbolicLink(volume.resolve("..data"));
    assertThat(second).isNotEqualTo(first);
    assertThat(volume.resolve(first)).doesNotExist();
    assertThat(Files.readString(volume.resolve("a.conf"))).isEqualTo("2");
    assertThat(volume.resolve("old")).doesNotExist();
    try (Stream<Path> entries = Files.list(volume)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("..data", second.toString(), "a.conf");
    }
  }

  @Test
  void refusesPathsThatLeaveTheVolume() {
    ProjectedVolumeWriter writer = new ProjectedVolumeWriter(volume);
    assertThatThrownBy(() -> writer.write(Map.of("../escape", new byte[0])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> writer.write(Map.of("a/../../escape", new byte[0])))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
