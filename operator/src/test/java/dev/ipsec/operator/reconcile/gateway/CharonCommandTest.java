package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The charon container is pinned to the strongswan.conf the operator rendered: its command checks
 * the mounted file against the digest in the pod template ({@code CharonPinCharonTest} runs it).
 */
class CharonCommandTest {

  static final String DIGEST = "ab".repeat(32);

  static Deployment deployment() {
    return GatewayDeployment.deployment(
        GatewayObjectsTest.gateway(), GatewayDefaults.defaults(), DIGEST);
  }

  static Container charon(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("charon"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void charonStartsThroughTheCheckWithTheDigestOfTheRenderedFile() {
    Container charon = charon(deployment());
    assertThat(charon.getCommand()).containsExactlyElementsOf(CharonCommand.command());
    assertThat(charon.getCommand().subList(0, 2)).containsExactly("/bin/sh", "-c");
    assertThat(charon.getArgs()).isNullOrEmpty();
    Map<String, String> env =
        charon.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env)
        .containsEntry(CharonCommand.DIGEST_ENV, DIGEST)
        .containsEntry("STRONGSWAN_CONF", "/etc/ipsec-operator/strongswan/strongswan.conf");
    // the template annotation changes with the file as well, so a new file rolls the pods
    assertThat(deployment().getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(Labels.STRONGSWAN_CONF_HASH, DIGEST);
  }

  @Test
  void theScriptChecksACopyAndExecsCharonOnIt() {
    String script = CharonCommand.command().get(2);
    assertThat(script)
        .startsWith("set -eu\n")
        .contains("cp \"$STRONGSWAN_CONF\" " + CharonCommand.PINNED_CONF)
        .contains("sha256sum -c")
        .contains("refusing to start charon")
        .contains("STRONGSWAN_CONF=" + CharonCommand.PINNED_CONF)
        .endsWith("exec " + CharonCommand.CHARON + "\n");
  }
}
