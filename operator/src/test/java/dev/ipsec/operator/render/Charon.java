package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.render.oracle.CharonOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Starting the oracle with the renderer's own strongswan.conf, and the load assertion. */
final class Charon {

  private Charon() {}

  /** A charon configured by a rendered strongswan.conf (user-space ESP, as in the test kernel). */
  static CharonOracle start() {
    return CharonOracle.start(uri -> {
      Fixtures.Scenario s = Fixtures.Scenario.base();
      s.gateway = Fixtures.gateway("gateway: {userSpaceEsp: true}");
      return s.render(new RenderOptions(uri)).strongswanConf().orElseThrow();
    });
  }

  /**
   * Loads the rendered files with {@code swanctl --load-all} and asserts that charon took them
   * without a single error and lists exactly the connections and children the renderer announced.
   */
  static CharonOracle.LoadResult assertLoads(CharonOracle oracle, RenderedGateway rendered) {
    CharonOracle.LoadResult result = oracle.load(rendered.configFiles(), rendered.secretFiles());
    assertThat(result.loadedCleanly())
        .as("swanctl --load-all output:\n%s\nfiles:\n%s", result.output(), rendered.configFiles())
        .isTrue();
    assertThat(sorted(result.connections())).as(result.output()).isEqualTo(expected(rendered));
    return result;
  }

  static Map<String, List<String>> expected(RenderedGateway rendered) {
    Map<String, List<String>> expected = new TreeMap<>();
    rendered.connections().values().forEach(c -> expected.put(c.name(), c.children()));
    return sorted(expected);
  }

  static Map<String, List<String>> sorted(Map<String, List<String>> map) {
    Map<String, List<String>> sorted = new TreeMap<>();
    map.forEach((k, v) -> {
      List<String> children = new ArrayList<>(v);
      children.sort(null);
      sorted.put(k, children);
    });
    return sorted;
  }
}
