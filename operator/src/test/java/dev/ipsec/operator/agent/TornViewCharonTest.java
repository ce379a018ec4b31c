package dev.ipsec.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.GatewayVolumeSources.Source;
import dev.ipsec.operator.agent.apply.CountingViciChannel;
import dev.ipsec.operator.agent.apply.ViciChannel;
import dev.ipsec.operator.agent.swanctl.ConfigDirectory;
import dev.ipsec.operator.agent.volume.VerifiedView;
import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.testing.CharonInstance;
import dev.ipsec.operator.testing.NetnsLab;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Torn views against one real charon: the kubelet refreshes each object of a gateway's volume on
 * its own (root ConfigMap with the public root manifest, root Secret with the secret one, every
 * config and secret shard with its own manifest, which the roots list), so while the operator
 * publishes two or three revisions, the pod sees any mix of their objects, also while the number of
 * shards grows or shrinks and peers move between shards. After every refresh the agent's loader
 * looks at the volume, and
 *
 * <ul>
 *   <li>charon holds exactly one revision: its connections (with their settings), its shared
 *       secrets, and the agent's fingerprints of that revision, never a mix;
 *   <li>the loaded revision never goes back, and a connection that both the loaded and the newly
 *       loaded revision define is never unloaded (nor is anything touched while the view is torn);
 *   <li>once every object is refreshed, the newest revision is loaded.
 * </ul>
 *
 * The loader runs synchronously ({@link ConfigLoader}, as the agent loop drives it) for a
 * deterministic order of refreshes and looks.
 */
// jqwik reads its own tags, not JUnit Jupiter meta-annotations
@Tag(RequiresCharon.TAG)
class TornViewCharonTest {

  private static final List<String> PEERS = List.of("p1", "p2", "p3", "p4", "p5", "p6");

  /** The objects the kubelet refreshes one by one; shards 0..3 are enough for 1, 2 or 4. */
  private static final List<String> OBJECTS =
      Stream.concat(
              Stream.of(
                  "config:" + GatewayVolumeSources.ROOT, "secret:" + GatewayVolumeSources.ROOT),
              IntStream.range(0, 4)
                  .boxed()
                  .flatMap(
                      i ->
                          Stream.of(
                              "config:" + GatewayVolumeSources.configShard(i),
                              "secret:" + GatewayVolumeSources.secretShard(i))))
          .toList();

  /** A step that publishes the operator's next revision instead of refreshing an object. */
  private static final int PUBLISH = -1;

  private static Path tmp;
  private static NetnsLab lab;
  private static CharonInstance charon;
  private static ViciClient loaderClient;
  private static ViciClient probe;
  private static int tries;

  @BeforeContainer
  static void startCharon() throws IOException {
    tmp = Files.createTempDirectory("torn-view");
    lab = NetnsLab.create("tv");
    charon = CharonInstance.in(lab, lab.namespace("gw"), tmp.resolve("charon")).start();
    loaderClient = charon.newClient();
    probe = charon.newClient();
  }

  @AfterContainer
  static void stopCharon() throws IOException {
    for (AutoCloseable c : new AutoCloseable[] {probe, loaderClient, charon, lab}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // keep closing the rest
      }
    }
    try (Stream<Path> walk = Files.walk(tmp)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** One peer in one revision: which version of its files, and in which shard they are. */
  record PeerVersion(int version, int shard) {}

  /** One revision the operator publishes: its shard count and its peers. */
  record Revision(int shards, SortedMap<String, PeerVersion> peers) {}

  /**
   * @param revisions what the operator publishes, in order (the first is in the volume at start)
   * @param steps {@link #PUBLISH}, or the index in {@link #OBJECTS} of the object the kubelet
   *     refreshes to the newest published revision
   */
  record Scenario(List<Revision> revisions, List<Integer> steps) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<Revision> revision =
        Arbitraries.of(1, 2, 4)
            .flatMap(
                shards ->
                    Arbitraries.maps(
                            Arbitraries.of(PEERS),
                            Combinators.combine(
                                    Arbitraries.integers().between(0, 2),
                                    Arbitraries.integers().between(0, shards - 1))
                                .as(PeerVersion::new))
                        .ofMinSize(1)
                        .ofMaxSize(PEERS.size())
                        .map(peers -> new Revision(shards, new TreeMap<>(peers))));
    Arbitrary<Integer> step =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(PUBLISH)),
            Tuple.of(4, Arbitraries.integers().between(0, OBJECTS.size() - 1)));
    return Combinators.combine(
            revision.list().ofMinSize(2).ofMaxSize(3), step.list().ofMinSize(4).ofMaxSize(24))
        .as(Scenario::new);
  }

  @Property(tries = 40, seed = "20261206", shrinking = ShrinkingMode.OFF)
  void charonNeverHoldsAMixOfRevisionsAndReachesTheNewest(@ForAll("scenarios") Scenario scenario)
      throws IOException {
    Path dir = tmp.resolve("volume-" + ++tries);
    List<Expected> expected = new ArrayList<>();
    for (int i = 0; i < scenario.revisions().size(); i++) {
      expected.add(new Expected(dir, "r" + (i + 1), scenario.revisions().get(i)));
    }
    GatewayVolumeSources volume = new GatewayVolumeSources(dir);
    CountingViciChannel channel = new CountingViciChannel(ViciChannel.over(loaderClient));
    // the settle time only decides what the state reports, not what is loaded
    ConfigLoader loader = new ConfigLoader(dir, channel, Clock.systemUTC(), Duration.ofHours(1));

    volume.setAll(expected.get(0).objects());
    volume.project();
    loader.load(true); // the agent's start: also unloads what an earlier try left in charon
    int loaded = assertHoldsOneRevision(loader, expected);
    assertThat(loaded).isZero();

    int published = 1;
    int tornLooks = 0;
    for (int step : scenario.steps()) {
      if (step == PUBLISH) {
        published = Math.min(published + 1, expected.size());
        continue;
      }
      String object = OBJECTS.get(step);
      volume.set(object, expected.get(published - 1).objects().get(object));
      loaded = look(volume, loader, channel, expected, loaded);
      tornLooks +=
          loader.status().configRevision().equals(expected.get(published - 1).name) ? 0 : 1;
    }

    // the kubelet catches up: every object as in the newest revision
    Expected newest = expected.get(expected.size() - 1);
    for (String object : OBJECTS) {
      volume.set(object, newest.objects().get(object));
      loaded = look(volume, loader, channel, expected, loaded);
    }
    assertThat(loaded).as("revision loaded once the view settled").isEqualTo(expected.size() - 1);
    assertThat(loader.status().pending()).isNull();
    Statistics.label("looks at a torn or outdated view").collect(tornLooks > 0);
  }

  /** One kubelet swap and one look by the agent; returns the revision now loaded. */
  private static int look(
      GatewayVolumeSources volume,
      ConfigLoader loader,
      CountingViciChannel channel,
      List<Expected> expected,
      int loadedBefore)
      throws IOException {
    volume.project();
    int mark = channel.history().size();
    loader.load(false);
    List<String> sent = channel.historySince(mark);
    int loaded = assertHoldsOneRevision(loader, expected);
    assertThat(loaded)
        .as("the loaded revision never goes back")
        .isGreaterThanOrEqualTo(loadedBefore);
    if (loaded == loadedBefore) {
      assertThat(sent).as("commands while revision %d stays", loaded + 1).isEmpty();
    }
    Set<String> kept = new HashSet<>(expected.get(loadedBefore).revision.peers().keySet());
    kept.retainAll(expected.get(loaded).revision.peers().keySet());
    for (String conn : kept) {
      assertThat(sent)
          .as("%s is in r%d and r%d", conn, loadedBefore + 1, loaded + 1)
          .doesNotContain("unload-conn " + conn, "terminate " + conn);
    }
    return loaded;
  }

  /**
   * Asserts that charon and the agent hold exactly the revision the agent reports; returns its
   * index.
   */
  private static int assertHoldsOneRevision(ConfigLoader loader, List<Expected> expected) {
    LoaderStatus status = loader.status();
    int index =
        IntStream.range(0, expected.size())
            .filter(i -> expected.get(i).name.equals(status.configRevision()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("loaded: " + status.configRevision()));
    Expected revision = expected.get(index);

    Map<String, String> rekeyTimes = new TreeMap<>();
    for (ViciMessage event : probe.stream("list-conns", "list-conn", ViciMessage.empty())) {
      event
          .sections()
          .forEach(
              (name, conn) ->
                  rekeyTimes.put(
                      name,
                      conn.section("children")
                          .flatMap(c -> c.section("net"))
                          .flatMap(c -> c.string("rekey_time"))
                          .orElse("?")));
    }
    assertThat(rekeyTimes).as("connections in charon").isEqualTo(revision.rekeyTimes());
    assertThat(probe.call("get-shared", ViciMessage.empty()).list("keys"))
        .as("shared secrets in charon")
        .containsExactlyInAnyOrderElementsOf(revision.secretIds());
    Map<String, String> fingerprints = new TreeMap<>();
    status
        .connections()
        .forEach(c -> fingerprints.put(c.name(), c.loaded() ? c.fingerprint() : null));
    assertThat(fingerprints).as("the agent's fingerprints").isEqualTo(revision.fingerprints());
    return index;
  }

  /** A revision's objects and what charon holds once it is loaded. */
  private static final class Expected {
    final String name;
    final Revision revision;
    private final Map<String, String> files = new TreeMap<>();
    private final Map<String, Source> objects;
    private final Map<String, String> fingerprints = new TreeMap<>();

    Expected(Path dir, String name, Revision revision) {
      this.name = name;
      this.revision = revision;
      files.put("swanctl.conf", "include conf.d/*.conf\ninclude secrets.d/*.conf\n");
      revision
          .peers()
          .forEach(
              (peer, v) -> {
                files.put("conf.d/" + peer + ".conf", connection(peer, v.version()));
                files.put("secrets.d/" + peer + ".conf", secret(peer, v.version()));
              });
      this.objects =
          GatewayVolumeSources.render(
              name, files, path -> revision.peers().get(peerOf(path)).shard());
      SortedMap<String, byte[]> bytes = new TreeMap<>();
      files.forEach((path, text) -> bytes.put(path, text.getBytes(StandardCharsets.UTF_8)));
      new ConfigDirectory(dir)
          .read(new VerifiedView(name, bytes))
          .connections()
          .forEach((conn, spec) -> fingerprints.put(conn, spec.fingerprint()));
      assertThat(fingerprints).hasSameSizeAs(revision.peers());
    }

    Map<String, Source> objects() {
      return objects;
    }

    Map<String, String> rekeyTimes() {
      return revision.peers().entrySet().stream()
          .collect(
              Collectors.toMap(
                  Map.Entry::getKey,
                  e -> Integer.toString(rekeyTime(e.getKey(), e.getValue().version())),
                  (a, b) -> a,
                  TreeMap::new));
    }

    List<String> secretIds() {
      return revision.peers().keySet().stream().map(p -> "ike-" + p).toList();
    }

    Map<String, String> fingerprints() {
      return fingerprints;
    }

    private static String peerOf(String path) {
      String name = path.substring(path.indexOf('/') + 1);
      return name.substring(0, name.length() - ".conf".length());
    }
  }

  /** Every peer and version has its own child rekey_time: a mix shows in charon's list-conns. */
  private static int rekeyTime(String peer, int version) {
    return 1000 + 10 * PEERS.indexOf(peer) + version;
  }

  private static String connection(String peer, int version) {
    int n = PEERS.indexOf(peer) + 1;
    return """
    connections {
      %s {
        version = 2
        local_addrs = 192.0.2.1
        remote_addrs = 192.0.2.%d
        local {
          auth = psk
          id = gw.test
        }
        remote {
          auth = psk
          id = %s.test
        }
        children {
          net {
            local_ts = 198.51.100.0/24
            remote_ts = 203.0.113.%d/32
            rekey_time = %ds
          }
        }
      }
    }
    """
        .formatted(peer, 100 + n, peer, n, rekeyTime(peer, version));
  }

  private static String secret(String peer, int version) {
    return """
    secrets {
      ike-%s {
        id-local = gw.test
        id-remote-0 = %s.test
        secret = "psk-%s-%d"
      }
    }
    """
        .formatted(peer, peer, peer, version);
  }
}
