package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.SwanctlLoad;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

@RequiresCharon
class OracleSmokeTest {

  @Test
  void theBaseScenarioLoadsIntoARealCharonAndABrokenFileDoesNot() {
    try (Charon charon = Charon.start()) {
      RenderedGateway rendered = Fixtures.Scenario.base().render();
      assertThat(rendered.peerErrors()).isEmpty();
      SwanctlLoad.Result result = charon.assertLoads(rendered);
      assertThat(result.output()).contains("loaded ike secret 'ike-p1'");

      // the oracle must be able to fail: an unknown key makes swanctl reject the connection
      Map<String, String> broken = new TreeMap<>(rendered.configFiles());
      broken.put("conf.d/p1.conf", broken.get("conf.d/p1.conf").replace("mobike", "mobikes"));
      SwanctlLoad.Result bad = charon.instance().loadAll(broken, rendered.secretFiles());
      assertThat(bad.loadedCleanly()).isFalse();
      assertThat(bad.connections()).isEmpty();
      assertThat(charon.instance().isRunning()).isTrue();
    }
  }
}
