package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.ConnectionType;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import dev.ipsec.operator.api.v1alpha1.Vti;
import dev.ipsec.operator.testing.AgentAcceptance;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent passes to charon only the keys the renderer writes (agent.swanctl.RenderedKeys, which
 * cannot see {@code render}); here every option of the VyOS table, each authentication mode with a
 * passphrase, and everything at once render to files that the agent takes whole. A key the renderer
 * starts writing fails here until the agent knows it. The examples are checked the same way in
 * {@code cli.ExamplesInTheAgentTest}.
 */
class RenderedKeysTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.ipsec.operator.render.VyosOptionsTableTest#rows")
  void everyOptionOfTheVyosTableRendersOnlyKeysTheAgentPasses(
      String option, Consumer<Fixtures.Scenario> change, List<?> expectations) {
    Fixtures.Scenario scenario = Fixtures.Scenario.base();
    change.accept(scenario);
    RenderedGateway rendered = scenario.render();
    assertThat(rendered.peerErrors()).as(option).isEmpty();
    AgentAcceptance.assertAgentTakesAll(option, rendered);
  }

  @ParameterizedTest(name = "{0} with a passphrase")
  @MethodSource("keyModes")
  void aPrivateKeyWithItsPassphrasePasses(String mode, Consumer<Fixtures.Scenario> keyMode) {
    Fixtures.Scenario scenario = Fixtures.Scenario.base();
    keyMode.accept(scenario);
    scenario.secrets.put("pass", Map.of("phrase", "pass phrase".getBytes(StandardCharsets.UTF_8)));
    SecretKeyRef passphrase = new SecretKeyRef("pass", "phrase");
    var auth = scenario.peer().getSpec().getAuthentication();
    if (auth.getX509() != null) {
      auth.getX509().setPassphrase(passphrase);
    } else {
      auth.getRsa().setPassphrase(passphrase);
    }
    RenderedGateway rendered = scenario.render();
    assertThat(rendered.peerErrors()).isEmpty();
    assertThat(new String(rendered.secretFiles().get("secrets.d/p1.conf"), StandardCharsets.UTF_8))
        .contains("private-p1", "secret =");
    AgentAcceptance.assertAgentTakesAll(mode, rendered);
  }

  static List<Object[]> keyModes() {
    return List.of(
        new Object[] {"x509", (Consumer<Fixtures.Scenario>) VyosOptionsTableTest::x509},
        new Object[] {"rsa", (Consumer<Fixtures.Scenario>) VyosOptionsTableTest::rsa});
  }

  @Test
  void everythingAtOnceRendersOnlyKeysTheAgentPasses() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    VyosOptionsTableTest.x509(s);
    VyosOptionsTableTest.ikeSpec(
        s, "keyExchange: ikev1\nmode: aggressive\ncloseAction: trap\ndeadPeerDetection: {}");
    VyosOptionsTableTest.espSpec(
        s, "lifeBytes: 2200000\nlifePackets: 22000\ncompression: true\npfs: dh-group19");
    s.peer().getSpec().setVirtualAddresses(List.of("192.0.2.200"));
    s.peer().getSpec().setConnectionType(ConnectionType.INITIATE);
    s.peer().getSpec().setForceUdpEncapsulation(true);
    s.peer().getSpec().setReplayWindow(64);
    VyosOptionsTableTest.tunnel(s).setPriority(3);
    VyosOptionsTableTest.tunnel(s).setProtocol("tcp");
    VyosOptionsTableTest.tunnel(s).getRemote().setPort(443);
    Vti vti = new Vti();
    vti.setBind("vti2");
    s.peer().getSpec().setVti(vti);

    RenderedGateway rendered = s.render();

    assertThat(rendered.peerErrors()).isEmpty();
    assertThat(rendered.configFiles().get("conf.d/p1.conf"))
        .contains("updown", "vips", "dpd_delay", "aggressive", "encap", "priority", "ipcomp");
    AgentAcceptance.assertAgentTakesAll("everything on", rendered);
  }
}
