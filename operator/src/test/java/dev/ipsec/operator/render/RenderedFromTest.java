package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.settings.SettingsParser;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The provenance header of a peer's conf.d file: which generation and which Secrets (with their
 * uids) the rendering was made from, read back from the file alone, and invisible to the settings
 * parser.
 */
class RenderedFromTest {

  @Test
  void theConfFileStartsWithTheGenerationAndTheSecretsTheRenderingRead() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.peer().getMetadata().setGeneration(7L);
    RenderedGateway rendered =
        new GatewayRenderer()
            .render(
                new GatewayInput(
                    s.gateway,
                    s.peers,
                    s.ike,
                    s.esp,
                    ReferencedData.of(s.secrets, s.configMaps, Map.of("psk", "uid-1234"))));

    String conf = rendered.configFiles().get("conf.d/p1.conf");
    assertThat(conf)
        .startsWith("# ipsec.dev/generation: 7\n# ipsec.dev/secret: psk uid-1234\nconnections {\n");
    assertThat(RenderedFrom.read(conf))
        .contains(new RenderedFrom(7L, new TreeMap<>(Map.of("psk", "uid-1234"))));
  }

  @Test
  void theHeaderChangesNothingTheSettingsParserSees() throws Exception {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.peer().getMetadata().setGeneration(3L);
    String conf = s.render().configFiles().get("conf.d/p1.conf");
    String body = conf.substring(conf.indexOf("connections {"));

    assertThat(conf).isNotEqualTo(body);
    assertThat(SettingsParser.parseString(conf, Path.of("conf.d/p1.conf")))
        .isEqualTo(SettingsParser.parseString(body, Path.of("conf.d/p1.conf")));
  }

  @Test
  void withoutGenerationOrUidTheHeaderSaysWhatIsKnown() {
    RenderedFrom from = new RenderedFrom(null, new TreeMap<>(Map.of("psk", "")));
    assertThat(from.header()).isEqualTo("# ipsec.dev/secret: psk\n");
    assertThat(RenderedFrom.read(from.header() + "connections {\n}\n")).contains(from);
    assertThat(RenderedFrom.read("connections {\n}\n")).isEqualTo(Optional.empty());
  }

  @Test
  void aNameOrUidOutsideTheApisGrammarNeverEndsTheCommentLine() {
    RenderedFrom from =
        new RenderedFrom(
            1L,
            new TreeMap<>(
                Map.of(
                    "ok", "uid\nconnections { evil { } }", "bad\nconnections { x { } }", "uid")));
    assertThat(from.header()).isEqualTo("# ipsec.dev/generation: 1\n# ipsec.dev/secret: ok\n");
  }
}
