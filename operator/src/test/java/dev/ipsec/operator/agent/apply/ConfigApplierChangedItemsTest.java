package dev.ipsec.operator.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.swanctl.ConfigDirectory;
import dev.ipsec.operator.agent.swanctl.DesiredChange;
import dev.ipsec.operator.agent.swanctl.DesiredConfig;
import dev.ipsec.operator.agent.volume.VerifiedView;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.vici.ViciMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An apply of a read that differs from the last in a few items ({@link DesiredChange}) looks at
 * those items alone, and does exactly what a pass over every item does: the same commands, the same
 * refusals remembered, the same status. Two appliers see the same sequence of reads, one with the
 * change, one without, each on a charon of its own that refuses the same connections.
 */
class ConfigApplierChangedItemsTest {

  private static final Path DIR = Path.of("/etc/swanctl");
  private static final int PEERS = 8;
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-06T17:00:00Z"), ZoneOffset.UTC);

  /** A charon that refuses to load the connections named in {@link #refused}. */
  private static final class Charon implements ViciChannel {
    final List<String> sent = new ArrayList<>();
    final Set<String> refused = new HashSet<>();

    @Override
    public ViciMessage call(String command, ViciMessage request) {
      String target = CountingViciChannel.targetOf(command, request);
      sent.add(target.isEmpty() ? command : command + " " + target);
      if (command.equals("load-conn") && refused.contains(target)) {
        return ViciMessage.empty().put("success", "no").put("errmsg", "refused by the test");
      }
      return ViciMessage.empty();
    }

    @Override
    public void stream(
        String command, String event, ViciMessage request, Consumer<ViciMessage> onEvent) {
      sent.add(command);
    }

    List<String> since(int mark) {
      return List.copyOf(sent.subList(mark, sent.size()));
    }
  }

  private final SortedMap<String, byte[]> files = new TreeMap<>();
  private final ConfigDirectory reader = new ConfigDirectory(DIR);
  private final Charon changedCharon = new Charon();
  private final Charon wholeCharon = new Charon();
  private final ConfigApplier byChange = new ConfigApplier(changedCharon, CLOCK);
  private final ConfigApplier whole = new ConfigApplier(wholeCharon, CLOCK);
  private int revision;

  @BeforeEach
  void fullLoad() {
    put("swanctl.conf", "include conf.d/*.conf\n");
    for (int i = 1; i <= PEERS; i++) {
      put("conf.d/peer" + i + ".conf", peer(i, "", "psk-" + i));
    }
    DesiredConfig first = read();
    byChange.apply(first, true, Optional.empty());
    whole.apply(first, true);
    assertThat(byChange.status()).isEqualTo(whole.status());
  }

  @Test
  void aChangedPeerIsAppliedAloneAsAWholePassWouldApplyIt() {
    put("conf.d/peer3.conf", peer(3, "        rekey_time = 3001s\n", "psk-3"));

    List<String> sent = step();

    assertThat(reader.lastChange()).isPresent();
    assertThat(reader.lastChange().get().connections()).containsExactly("peer3");
    assertThat(sent).containsExactly("load-conn peer3");
  }

  @Test
  void aChangedSecretIsLoadedAgainAlone() {
    put("conf.d/peer4.conf", peer(4, "", "a new key"));

    assertThat(step()).containsExactly("load-shared ike-peer4");
  }

  @Test
  void aPeerThatTurnsInvalidKeepsWhatCharonHasAndComesBack() {
    put("conf.d/peer5.conf", peer(5, "        no_such_key = 1\n", "psk-5"));
    assertThat(step()).isEmpty();
    assertThat(byChange.status().connections())
        .filteredOn(c -> c.name().equals("peer5"))
        .singleElement()
        .satisfies(c -> assertThat(c.error()).contains("no_such_key"))
        .satisfies(c -> assertThat(c.loaded()).isTrue());

    put("conf.d/peer5.conf", peer(5, "        rekey_time = 3005s\n", "psk-5"));
    assertThat(step()).containsExactly("load-conn peer5");
    assertThat(byChange.status().connections())
        .filteredOn(c -> c.name().equals("peer5"))
        .singleElement()
        .satisfies(c -> assertThat(c.error()).isNull());
  }

  @Test
  void aRefusedConnectionIsNotSentAgainUntilItChanges() {
    changedCharon.refused.add("peer6");
    wholeCharon.refused.add("peer6");
    put("conf.d/peer6.conf", peer(6, "        rekey_time = 3006s\n", "psk-6"));
    assertThat(step()).containsExactly("load-conn peer6");
    assertThat(byChange.status().connections())
        .filteredOn(c -> c.name().equals("peer6"))
        .singleElement()
        .satisfies(c -> assertThat(c.error()).contains("refused by the test"))
        .satisfies(c -> assertThat(c.current()).isFalse());

    put("conf.d/peer7.conf", peer(7, "        rekey_time = 3007s\n", "psk-7"));
    assertThat(step()).containsExactly("load-conn peer7");

    changedCharon.refused.clear();
    wholeCharon.refused.clear();
    put("conf.d/peer6.conf", peer(6, "        rekey_time = 3016s\n", "psk-6"));
    assertThat(step()).containsExactly("load-conn peer6");
  }

  @Test
  void anUnchangedViewSendsNothing() {
    assertThat(step()).isEmpty();
    assertThat(reader.lastChange().get().connections()).isEmpty();
  }

  @Test
  void aRemovedFileIsReadAndAppliedInFull() {
    files.remove("conf.d/peer2.conf");

    assertThat(step())
        .containsExactly("unload-conn peer2", "terminate peer2", "unload-shared ike-peer2");
    assertThat(reader.lastChange()).isEmpty();
  }

  @Test
  void onlyTheItemsTheChangeNamesAreLookedAt() {
    DesiredConfig base = read();
    byChange.apply(base, false, Optional.empty());
    put("conf.d/peer1.conf", peer(1, "        rekey_time = 3101s\n", "psk-1"));
    put("conf.d/peer2.conf", peer(2, "        rekey_time = 3102s\n", "psk-2"));
    DesiredConfig next = read();
    int mark = changedCharon.sent.size();

    // a change that names peer1 alone: peer2 is not looked at
    byChange.apply(next, false, Optional.of(new DesiredChange(base, Set.of("peer1"), Set.of())));

    assertThat(changedCharon.since(mark)).containsExactly("load-conn peer1");
  }

  @Test
  void aChangeOfAnotherReadThanTheLastAppliedIsAppliedAsAWholePass() {
    DesiredConfig base = read();
    put("conf.d/peer1.conf", peer(1, "        rekey_time = 3101s\n", "psk-1"));
    put("conf.d/peer2.conf", peer(2, "        rekey_time = 3102s\n", "psk-2"));
    DesiredConfig next = read();
    int mark = changedCharon.sent.size();

    // base was read but never applied: the change cannot be trusted to say what differs
    byChange.apply(next, false, Optional.of(new DesiredChange(base, Set.of("peer1"), Set.of())));

    assertThat(changedCharon.since(mark)).containsExactly("load-conn peer1", "load-conn peer2");
  }

  /**
   * Reads the files, applies them by change and as a whole pass, and requires the same commands and
   * the same status of both.
   *
   * @return the commands sent
   */
  private List<String> step() {
    int changedMark = changedCharon.sent.size();
    int wholeMark = wholeCharon.sent.size();
    DesiredConfig desired = read();
    ApplyResult byChangeResult = byChange.apply(desired, false, reader.lastChange());
    ApplyResult wholeResult = whole.apply(desired, false);
    assertThat(changedCharon.since(changedMark))
        .containsExactlyInAnyOrderElementsOf(wholeCharon.since(wholeMark));
    assertThat(byChangeResult.actions()).containsExactlyInAnyOrderElementsOf(wholeResult.actions());
    assertThat(byChangeResult.failures()).isEqualTo(wholeResult.failures());
    LoaderStatus status = byChange.status();
    assertThat(status).isEqualTo(whole.status());
    assertThat(status).isEqualTo(byChange.status()); // asking again changes nothing
    return changedCharon.since(changedMark);
  }

  private DesiredConfig read() {
    revision++;
    return reader.read(new VerifiedView("r" + revision, files));
  }

  private void put(String path, String text) {
    files.put(path, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String peer(int i, String childExtra, String psk) {
    return "connections {\n  peer"
        + i
        + " {\n    version = 2\n    local_addrs = 192.0.2.2\n    remote_addrs = 192.0.2.1\n"
        + "    local {\n      auth = psk\n      id = gw"
        + i
        + ".b.test\n    }\n    remote {\n      auth = psk\n      id = peer"
        + i
        + ".a.test\n    }\n    children {\n      net {\n        local_ts = 203.0.113."
        + i
        + "/32\n        remote_ts = 198.51.100."
        + i
        + "/32\n"
        + childExtra
        + "      }\n    }\n  }\n}\nsecrets {\n  ike-peer"
        + i
        + " {\n    id-local = gw"
        + i
        + ".b.test\n    id-remote-0 = peer"
        + i
        + ".a.test\n    secret = \""
        + psk
        + "\"\n  }\n}\n";
  }
}
