package dev.ipsec.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.swanctl.ConfigDirectory;
import dev.ipsec.operator.agent.swanctl.DesiredConfig;
import dev.ipsec.operator.agent.volume.VerifiedView;
import dev.ipsec.operator.render.RenderedGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Whether the agent takes all of what the renderer writes: a rendered gateway's files, read the way
 * the agent reads a complete revision, must give every rendered connection and not one error. The
 * agent passes to charon only the keys it knows the renderer writes ({@code
 * agent.swanctl.RenderedKeys}); this is how tests keep the two from drifting apart.
 */
public final class AgentAcceptance {

  private AgentAcceptance() {}

  /** What the agent reads from the rendered files (held in memory, as after verification). */
  public static DesiredConfig read(RenderedGateway rendered) {
    SortedMap<String, byte[]> files = new TreeMap<>(rendered.secretFiles());
    rendered
        .configFiles()
        .forEach((path, text) -> files.put(path, text.getBytes(StandardCharsets.UTF_8)));
    return new ConfigDirectory(Path.of("/etc/swanctl")).read(new VerifiedView("r1", files));
  }

  /** The agent reads every rendered connection and secret, and refuses nothing. */
  public static void assertAgentTakesAll(String what, RenderedGateway rendered) {
    DesiredConfig config = read(rendered);
    assertThat(config.connectionErrors()).as("connection errors of %s", what).isEmpty();
    assertThat(config.secretErrors()).as("secret errors of %s", what).isEmpty();
    assertThat(config.credentialErrors()).as("credential errors of %s", what).isEmpty();
    assertThat(config.fileErrors()).as("file errors of %s", what).isEmpty();
    assertThat(config.connections().keySet())
        .as("connections of %s", what)
        .containsExactlyInAnyOrderElementsOf(
            rendered.connections().values().stream()
                .map(RenderedGateway.RenderedConnection::name)
                .toList());
  }
}
