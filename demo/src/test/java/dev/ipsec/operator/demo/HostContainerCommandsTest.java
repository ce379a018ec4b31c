package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local cluster runs a container's command and args as given; only image entry points map. */
class HostContainerCommandsTest {

  @Test
  void aCommandAndItsArgsRunAsGiven() {
    Container charon =
        new ContainerBuilder()
            .withName("charon")
            .withCommand("/bin/sh", "-c", "check && exec /usr/lib/ipsec/charon", "charon")
            .withArgs("--debug")
            .build();
    assertThat(HostContainerCommands.of(charon))
        .containsExactly(
            "/bin/sh", "-c", "check && exec /usr/lib/ipsec/charon", "charon", "--debug");
  }

  @Test
  void withoutACommandTheImagesEntryPointRunsAsTheHostHasIt() {
    assertThat(HostContainerCommands.of(new ContainerBuilder().withName("charon").build()))
        .containsExactly("/usr/lib/ipsec/charon");
    List<String> agent =
        HostContainerCommands.of(
            new ContainerBuilder()
                .withName("agent")
                .withArgs("agent", "--config-dir", "/etc/swanctl")
                .build());
    assertThat(agent.get(0)).endsWith("java");
    assertThat(agent)
        .containsSequence("dev.ipsec.operator.cli.Main", "agent", "--config-dir", "/etc/swanctl")
        .endsWith("/etc/swanctl");
  }
}
