package dev.ipsec.operator.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.kubelet.HostCommands;
import dev.ipsec.operator.render.CharonPlugins;
import dev.ipsec.operator.testing.RequiresCharon;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod with a real charon in its own network and mount namespaces (needs root and charon). */
@RequiresCharon
class NetnsPodRuntimeTest {
  private static final String STRONGSWAN_CONF =
      """
      charon {
        install_routes = no
        load = %s
        plugins {
          vici {
            socket = unix:///run/vici/charon.vici
          }
        }
      }
      """
          .formatted(String.join(" ", CharonPlugins.forGateway(true)));

  @TempDir Path work;
  private NetnsPodRuntime runtime;

  @BeforeEach
  void create() {
    runtime =
        new NetnsPodRuntime(
            new NetnsPodRuntime.Options(
                work,
                "203.0.113.0/24",
                pod -> "203.0.113.31",
                pod -> List.of("198.51.100.1/32"),
                NetnsPodRuntimeTest::command));
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void refusesAPodNetworkTheHostAlreadyRoutes() {
    // The runtime of this test already routes 203.0.113.0/24 through its bridge.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new NetnsPodRuntime(
                    new NetnsPodRuntime.Options(
                        work, "203.0.113.0/24", pod -> "x", pod -> List.of(), c -> List.of())))
        .hasMessageContaining("already routes 203.0.113.0/24");
  }

  @Test
  void runsCharonWithThePodsVolumesMountedAndCleansUp() throws Exception {
    Pod pod = pod();
    String ip =
        runtime.start(
            pod,
            Map.of("charon-config", Map.of("strongswan.conf", STRONGSWAN_CONF.getBytes(UTF_8))));
    assertThat(ip).isEqualTo("203.0.113.31");
    String netns = runtime.networkNamespace("gw-0");
    Path socket = runtime.podDir("gw-0").resolve("volumes/vici/charon.vici");

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(
                        HostCommandsForTest.exitCode(
                            List.of("swanctl", "--stats", "--uri", "unix://" + socket)))
                    .isZero());
    assertThat(runtime.isReady(pod)).isTrue();
    assertThat(HostCommands.run(List.of("ip", "-n", netns, "-brief", "addr", "show", "eth0")))
        .contains("203.0.113.31/24");
    assertThat(HostCommands.run(List.of("ping", "-c", "1", "-W", "2", "203.0.113.31")))
        .contains("1 received");

    runtime.killContainer("gw-0", "charon");
    await().atMost(Duration.ofSeconds(10)).until(() -> !runtime.isReady(pod));
    assertThat(runtime.exitedContainers(pod)).containsExactly("charon");

    // a restart runs in the same sandbox: same network namespace, /run and volumes
    runtime.restartContainer(pod, "charon");
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(
                        HostCommandsForTest.exitCode(
                            List.of("swanctl", "--stats", "--uri", "unix://" + socket)))
                    .isZero());
    assertThat(runtime.exitedContainers(pod)).isEmpty();
    assertThat(runtime.isReady(pod)).isTrue();
    assertThat(runtime.networkNamespace("gw-0")).isEqualTo(netns);

    runtime.stop(pod);
    assertThat(HostCommands.run(List.of("ip", "netns", "list"))).doesNotContain(netns);
    assertThat(Files.exists(runtime.podDir("gw-0"))).isFalse();
  }

  private static List<String> command(Container container) {
    return List.of("/usr/lib/ipsec/charon");
  }

  private static Pod pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("gw-0")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("charon")
        .withImage("strongswan")
        .addNewEnv()
        .withName("STRONGSWAN_CONF")
        // a file of the volume mounted alone (subPath): charon starts only if that mount works
        .withValue("/etc/ipsec-gw-file/strongswan.conf")
        .endEnv()
        .addNewVolumeMount()
        .withName("charon-config")
        .withMountPath("/etc/ipsec-gw")
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("charon-config")
        .withMountPath("/etc/ipsec-gw-file/strongswan.conf")
        .withSubPath("strongswan.conf")
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("vici")
        .withMountPath("/run/vici")
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("charon-config")
        .withNewConfigMap()
        .withName("cfg")
        .endConfigMap()
        .endVolume()
        .addNewVolume()
        .withName("vici")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .build();
  }

  /** Exit code of a host command, for polling readiness. */
  static final class HostCommandsForTest {
    static int exitCode(List<String> command) throws Exception {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
  }
}
