package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.render.oracle.CharonOracle;
import dev.ipsec.operator.testing.RequiresCharon;
import org.junit.jupiter.api.Test;

@RequiresCharon
class OracleSmokeTest {

  @Test
  void theBaseScenarioLoadsIntoARealCharonAndABrokenFileDoesNot() {
    try (CharonOracle charon = Charon.start()) {
      RenderedGateway rendered = Fixtures.Scenario.base().render();
      assertThat(rendered.peerErrors()).isEmpty();
      CharonOracle.LoadResult result = Charon.assertLoads(charon, rendered);
      assertThat(result.output()).contains("loaded ike secret 'ike-p1'");

      // the oracle must be able to fail: an unknown key makes swanctl reject the connection
      var broken = new java.util.TreeMap<>(rendered.configFiles());
      broken.put("conf.d/p1.conf", broken.get("conf.d/p1.conf").replace("mobike", "mobikes"));
      CharonOracle.LoadResult bad = charon.load(broken, rendered.secretFiles());
      assertThat(bad.loadedCleanly()).isFalse();
      assertThat(bad.connections()).isEmpty();
      assertThat(charon.isAlive()).isTrue();
    }
  }
}
