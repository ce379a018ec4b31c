package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.testing.CharonInstance;
import dev.ipsec.operator.testing.NetnsLab;
import dev.ipsec.operator.testing.SwanctlLoad;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The render tests' oracle: a real charon alone in a network namespace of its own (only {@code lo},
 * so it reaches nobody), started from the renderer's own strongswan.conf, into which the tests load
 * rendered files and which must take them without an error.
 */
final class Charon implements AutoCloseable {

  private final NetnsLab lab;
  private final Path dir;
  private final CharonInstance instance;

  private Charon(NetnsLab lab, Path dir, CharonInstance instance) {
    this.lab = lab;
    this.dir = dir;
    this.instance = instance;
  }

  /** A charon configured by a rendered strongswan.conf (user-space ESP, as in the test kernel). */
  static Charon start() {
    return start(
        uri -> {
          Fixtures.Scenario s = Fixtures.Scenario.base();
          s.gateway = Fixtures.gateway("gateway: {userSpaceEsp: true}");
          return s.render(new RenderOptions(uri)).strongswanConf().orElseThrow();
        });
  }

  /** A charon started from the strongswan.conf {@code forViciUri} renders for its VICI socket. */
  static Charon start(Function<String, String> forViciUri) {
    NetnsLab lab = NetnsLab.create("rd");
    Path dir = null;
    try {
      dir = Files.createTempDirectory("rd-charon-");
      CharonInstance instance =
          CharonInstance.in(lab, lab.namespace("gw"), dir).strongswanConf(forViciUri).start();
      return new Charon(lab, dir, instance);
    } catch (IOException e) {
      cleanUp(lab, dir);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      cleanUp(lab, dir);
      throw e;
    }
  }

  CharonInstance instance() {
    return instance;
  }

  /**
   * Loads the rendered files with {@code swanctl --load-all} and asserts that charon took them
   * without a single error and lists exactly the connections and children the renderer announced.
   */
  SwanctlLoad.Result assertLoads(RenderedGateway rendered) {
    SwanctlLoad.Result result = instance.loadAll(rendered.configFiles(), rendered.secretFiles());
    assertThat(result.loadedCleanly())
        .as("swanctl --load-all output:\n%s\nfiles:\n%s", result.output(), rendered.configFiles())
        .isTrue();
    assertThat(sorted(result.connections())).as(result.output()).isEqualTo(expected(rendered));
    return result;
  }

  @Override
  public void close() {
    instance.close();
    cleanUp(lab, dir);
  }

  private static Map<String, List<String>> expected(RenderedGateway rendered) {
    Map<String, List<String>> expected = new TreeMap<>();
    rendered.connections().values().forEach(c -> expected.put(c.name(), c.children()));
    return sorted(expected);
  }

  private static Map<String, List<String>> sorted(Map<String, List<String>> map) {
    Map<String, List<String>> sorted = new TreeMap<>();
    map.forEach(
        (k, v) -> {
          List<String> children = new ArrayList<>(v);
          children.sort(null);
          sorted.put(k, children);
        });
    return sorted;
  }

  private static void cleanUp(NetnsLab lab, Path dir) {
    lab.close();
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory left behind is harmless
    }
  }
}
