package dev.ipsec.operator.demo;

import dev.ipsec.operator.cli.Main;
import dev.ipsec.operator.kubelet.ProjectedVolumeWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The configuration volume of {@link AgentClassDataArchive}'s training agent: the gateway of {@code
 * training/gateway.yaml} (one initiating and one responding PSK peer, as in {@code
 * examples/site-to-site}) rendered by the operator's own {@code render --volume-dir}, so its files
 * and manifests are what the operator writes, then projected the way the kubelet projects a pod's
 * volume ({@code ..data} and all). The agent accepts it and runs its first load from it.
 *
 * <p>The pre-shared key is random for each run and stays in the training's own directory, which is
 * this user's alone and deleted after the run.
 */
final class TrainingVolume {

  /** The connections the training agent loads from it. */
  static final int CONNECTIONS = 2;

  /** The connection of its initiating peer, by the peer's name in {@code training/gateway.yaml}. */
  static final String INITIATING_CONNECTION = "initiating";

  private static final String RESOURCE = "/training/gateway.yaml";

  private TrainingVolume() {}

  /**
   * Renders the training gateway into {@code work/rendered} and projects it into {@code configDir};
   * fails with the render's own message when it does not render.
   */
  static void writeTo(Path work, Path configDir) throws IOException {
    Path manifests = work.resolve("training-gateway.yaml");
    Files.writeString(manifests, resource().replace("PSK_PLACEHOLDER", randomKey()));
    Path rendered = work.resolve("rendered");
    StringWriter output = new StringWriter();
    CommandLine cli =
        new CommandLine(new Main()).setOut(new PrintWriter(output)).setErr(new PrintWriter(output));
    int exit =
        cli.execute("render", "-f", manifests.toString(), "--volume-dir", rendered.toString());
    Files.delete(manifests); // the key stays only in the rendered files, deleted with the run
    if (exit != 0) {
      throw new IOException("the training gateway does not render: " + output.toString().strip());
    }
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(rendered)) {
      for (Path file : entries.toList()) {
        files.put(file.getFileName().toString(), Files.readAllBytes(file));
      }
    }
    new ProjectedVolumeWriter(configDir).write(files);
  }

  private static String resource() throws IOException {
    try (InputStream in = TrainingVolume.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("no " + RESOURCE + " in the demo's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
