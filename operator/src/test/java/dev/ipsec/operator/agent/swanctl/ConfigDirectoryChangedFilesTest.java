package dev.ipsec.operator.agent.swanctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.volume.VerifiedView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A read after a change reads only the changed files' sections when the change is local to them
 * ({@link ChangedSections}), and gives exactly what a fresh full read of the same view gives:
 * items, errors, and the order of both.
 */
class ConfigDirectoryChangedFilesTest {

  private static final Path DIR = Path.of("/etc/swanctl");
  private static final int PEERS = 12;

  private final ConfigDirectory reader = new ConfigDirectory(DIR);
  private final SortedMap<String, byte[]> files = new TreeMap<>();
  private int revision;

  @BeforeEach
  void firstRevision() {
    put("swanctl.conf", "include conf.d/*.conf\n");
    for (int i = 1; i <= PEERS; i++) {
      put("conf.d/peer" + i + ".conf", peer(i, ""));
    }
    assertSameAsFullRead(readNext());
  }

  @Test
  void aChangedPeerFileIsReadAloneAndGivesWhatAFullReadGives() {
    put("conf.d/peer7.conf", peer(7, "        rekey_time = 3001s\n"));

    DesiredConfig read = readNext();

    assertThat(reader.lastReadChangedOnly()).isTrue();
    assertSameAsFullRead(read);
    assertThat(read.connections().get("peer7").request().toString())
        .isNotEqualTo(firstRead().connections().get("peer7").request().toString());
  }

  @Test
  void aPeerThatTurnsInvalidAndValidAgainKeepsItsPlace() {
    put("conf.d/peer5.conf", peer(5, "        no_such_key = 1\n"));
    DesiredConfig broken = readNext();
    assertThat(reader.lastReadChangedOnly()).isTrue();
    assertSameAsFullRead(broken);
    assertThat(broken.connectionErrors()).containsOnlyKeys("peer5");
    assertThat(broken.connections()).doesNotContainKey("peer5");

    put("conf.d/peer5.conf", peer(5, ""));
    DesiredConfig repaired = readNext();
    assertThat(reader.lastReadChangedOnly()).isTrue();
    assertSameAsFullRead(repaired);
    assertThat(repaired.connectionErrors()).isEmpty();
  }

  @Test
  void anUnchangedViewGivesThePreviousItemsUnderTheNewRevision() {
    DesiredConfig before = firstRead();

    DesiredConfig again = readNext();

    assertThat(reader.lastReadChangedOnly()).isTrue();
    assertThat(again.revision()).isEqualTo("r" + revision).isNotEqualTo(before.revision());
    assertThat(again.connections()).isEqualTo(before.connections());
    assertSameAsFullRead(again);
  }

  @Test
  void aFileThatDefinesAnotherItemIsReadInFull() {
    put("conf.d/peer3.conf", peer(3, "") + peer(100, "").replaceAll("(?s)secrets \\{.*", ""));

    DesiredConfig read = readNext();

    assertThat(reader.lastReadChangedOnly()).isFalse();
    assertSameAsFullRead(read);
    assertThat(read.connections()).containsKey("peer100");
  }

  @Test
  void aConnectionThatTwoFilesDefineIsReadInFull() {
    put("conf.d/zz-extra.conf", "connections {\n  peer4 {\n    mobike = no\n  }\n}\n");
    assertSameAsFullRead(readNext()); // a file more: read in full
    assertThat(reader.lastReadChangedOnly()).isFalse();

    put("conf.d/peer4.conf", peer(4, "        rekey_time = 3002s\n"));
    DesiredConfig read = readNext();

    assertThat(reader.lastReadChangedOnly()).isFalse();
    assertSameAsFullRead(read);
  }

  @Test
  void aFileThatNoLongerParsesIsReadInFullAndKeepsItsItemsAsBefore() {
    put("conf.d/peer2.conf", "connections {\n  peer2 {\n");

    DesiredConfig broken = readNext();

    assertThat(reader.lastReadChangedOnly()).isFalse();
    assertSameAsFullRead(broken);
    assertThat(broken.failedFiles()).containsExactly(DIR.resolve("conf.d/peer2.conf"));

    put("conf.d/peer2.conf", peer(2, ""));
    DesiredConfig repaired = readNext();
    assertThat(reader.lastReadChangedOnly()).isFalse(); // the read before had a broken file
    assertSameAsFullRead(repaired);
  }

  @Test
  void aFileWithAnIncludeIsReadInFull() {
    put("conf.d/peer6.conf", peer(6, "") + "include ../other/*.conf\n");

    DesiredConfig read = readNext();

    assertThat(reader.lastReadChangedOnly()).isFalse();
    assertSameAsFullRead(read);
  }

  private DesiredConfig first;

  private DesiredConfig firstRead() {
    return first;
  }

  private DesiredConfig readNext() {
    revision++;
    DesiredConfig read = reader.read(new VerifiedView("r" + revision, files));
    if (first == null) {
      first = read;
    }
    return read;
  }

  /** Equal to a fresh reader's full read of the same files, order of items and errors too. */
  private void assertSameAsFullRead(DesiredConfig read) {
    DesiredConfig full = new ConfigDirectory(DIR).read(new VerifiedView("r" + revision, files));
    assertThat(read).isEqualTo(full);
    assertThat(List.copyOf(read.connections().keySet()))
        .isEqualTo(List.copyOf(full.connections().keySet()));
    assertThat(List.copyOf(read.secrets().keySet()))
        .isEqualTo(List.copyOf(full.secrets().keySet()));
    assertThat(List.copyOf(read.connectionErrors().keySet()))
        .isEqualTo(List.copyOf(full.connectionErrors().keySet()));
  }

  private void put(String path, String text) {
    files.put(path, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String peer(int i, String childExtra) {
    return "connections {\n"
        + "  peer"
        + i
        + " {\n"
        + "    version = 2\n"
        + "    local_addrs = 192.0.2.2\n"
        + "    remote_addrs = 192.0.2.1\n"
        + "    local {\n      auth = psk\n      id = gw"
        + i
        + ".b.test\n    }\n"
        + "    remote {\n      auth = psk\n      id = peer"
        + i
        + ".a.test\n    }\n"
        + "    children {\n      net {\n"
        + "        local_ts = 203.0.113."
        + i
        + "/32\n"
        + "        remote_ts = 198.51.100."
        + i
        + "/32\n"
        + childExtra
        + "      }\n    }\n"
        + "  }\n"
        + "}\n"
        + "secrets {\n"
        + "  ike-peer"
        + i
        + " {\n"
        + "    id-local = gw"
        + i
        + ".b.test\n"
        + "    id-remote-0 = peer"
        + i
        + ".a.test\n"
        + "    secret = \"psk-"
        + i
        + "\"\n"
        + "  }\n"
        + "}\n";
  }
}
