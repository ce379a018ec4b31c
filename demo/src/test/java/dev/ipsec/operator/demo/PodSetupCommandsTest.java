package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The batched host commands of a pod's start; {@code NetnsPodRuntimeTest} runs them for real. */
class PodSetupCommandsTest {

  @Test
  void theHostSideCreatesTheNamespaceAndAttachesTheVethToTheBridge() {
    assertThat(PodSetupCommands.hostSide("ipo1p1", "ipo1p1h", "ipo1br").lines())
        .containsExactly(
            "netns add ipo1p1",
            "link add ipo1p1h type veth peer name eth0 netns ipo1p1",
            "link set ipo1p1h master ipo1br up");
  }

  @Test
  void thePodSideHasThePodIpOnceThenTheOtherAddressesAndLoopbackPrefixes() {
    assertThat(
            PodSetupCommands.podSide(
                    "203.0.113.10",
                    List.of("203.0.113.10", "203.0.113.100"),
                    List.of("198.51.100.1/32"))
                .lines())
        .containsExactly(
            "link set lo up",
            "addr add 203.0.113.10/24 dev eth0",
            "addr add 203.0.113.100/24 dev eth0",
            "link set eth0 up",
            "addr add 198.51.100.1/32 dev lo");
  }

  @Test
  void everyMountIsOneShellOfArgumentsNeverScriptText() {
    String odd = "/etc/with space/$(reboot)";
    List<String> command =
        PodSetupCommands.mountAll(
            List.of(
                new PodSetupCommands.Mount("/pod/volumes/vici", "/run/vici", false),
                new PodSetupCommands.Mount("/pod/volumes/cfg/one.conf", odd, true)));

    assertThat(command.subList(0, 2)).containsExactly("sh", "-c");
    assertThat(command.get(2)).doesNotContain("/run/vici").doesNotContain("reboot");
    assertThat(command.subList(3, command.size()))
        .containsExactly(
            "mounts",
            "dir",
            "/pod/volumes/vici",
            "/run/vici",
            "file",
            "/pod/volumes/cfg/one.conf",
            odd);
  }

  @Test
  void nothingToMountRunsNothing() {
    assertThat(PodSetupCommands.mountAll(List.of())).isEmpty();
  }
}
