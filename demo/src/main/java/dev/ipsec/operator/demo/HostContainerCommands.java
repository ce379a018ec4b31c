package dev.ipsec.operator.demo;

import io.fabric8.kubernetes.api.model.Container;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a gateway pod's container runs on this host: its command and args exactly as the pod spec
 * gives them, so the local cluster runs what a cluster would (charon's pin on strongswan.conf
 * included). Only what has no meaning on a host is mapped: an image's entry point, used when the
 * container sets no command. There are no images here, so
 *
 * <ul>
 *   <li>the strongSwan image's entry point, {@code /usr/lib/ipsec/charon}, is Debian's charon at
 *       the same path on the host ({@code bin/setup} installs it);
 *   <li>the operator image's entry point, {@code java -jar /opt/ipsec-operator/ipsec-operator.jar},
 *       is this JVM's java with this JVM's class path and the jar's main class, with the class-data
 *       archive of {@link AgentClassDataArchive} when there is one.
 * </ul>
 */
final class HostContainerCommands {

  /** The strongSwan image's ENTRYPOINT (images/strongswan/Dockerfile), Debian's path. */
  static final List<String> CHARON_ENTRYPOINT = List.of("/usr/lib/ipsec/charon");

  private HostContainerCommands() {}

  static List<String> of(Container container) {
    List<String> argv =
        new ArrayList<>(
            container.getCommand() == null || container.getCommand().isEmpty()
                ? entrypoint(container.getName())
                : container.getCommand());
    if (container.getArgs() != null) {
      argv.addAll(container.getArgs());
    }
    return argv;
  }

  /** The image's entry point of a gateway pod's container, as the host runs it. */
  private static List<String> entrypoint(String container) {
    return switch (container) {
      case "charon" -> CHARON_ENTRYPOINT;
      case "agent" -> {
        List<String> java = new ArrayList<>(List.of(javaBinary()));
        java.addAll(AgentClassDataArchive.AGENT_JVM_OPTIONS);
        java.addAll(AgentClassDataArchive.jvmOptions());
        java.addAll(List.of("-cp", agentClassPath(), "dev.ipsec.operator.cli.Main"));
        yield java;
      }
      default -> throw new IllegalArgumentException("unknown container " + container);
    };
  }

  /**
   * Names the class path of the agents instead of this JVM's: {@code GatewayStartBenchmark} runs
   * them from the demo's jar, as {@code bin/demo} does, since class-data sharing archives classes
   * from jars only (a test JVM has the modules' class directories).
   */
  static final String AGENT_CLASS_PATH_PROPERTY = "ipsec.demo.agentClassPath";

  /** What the agents run: {@link #AGENT_CLASS_PATH_PROPERTY} when set, else this JVM's. */
  static String agentClassPath() {
    String configured = System.getProperty(AGENT_CLASS_PATH_PROPERTY, "");
    return configured.isBlank() ? absoluteClassPath() : configured;
  }

  /**
   * This JVM's class path with every entry made absolute: the agent runs in the pod's own working
   * directory, where a relative entry ({@code java -jar demo/target/...}, as bin/demo starts the
   * demo) names nothing.
   */
  static String absoluteClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
