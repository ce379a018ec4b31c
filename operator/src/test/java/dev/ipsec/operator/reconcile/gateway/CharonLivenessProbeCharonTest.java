package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.kubelet.NetnsSandbox;
import dev.ipsec.operator.testing.NetnsLab;
import dev.ipsec.operator.testing.RequiresCharon;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * charon's liveness probe, as the rendered Deployment states it, tells a working charon from a hung
 * one: run the way a kubelet runs an exec probe (in the container, with its identity), it succeeds
 * while charon answers and fails, within its own bound, while charon is stopped (SIGSTOP: the
 * process and its VICI socket stay, as with a deadlock), then succeeds again once it goes on.
 */
@RequiresCharon
class CharonLivenessProbeCharonTest {

  /** The probe's own bound ({@code timeout 5}) plus room for a loaded machine. */
  private static final Duration PROBE_BOUND = Duration.ofSeconds(20);

  @Test
  void theProbeFailsWhileCharonHangsAndPassesWhileItAnswers(@TempDir Path tmp) throws Exception {
    String conf = CharonPinCharonTest.renderedStrongswanConf();
    PodSpec spec = CharonPinCharonTest.podSpec(conf);
    try (NetnsLab lab = NetnsLab.create("live");
        NetnsSandbox pod = NetnsSandbox.open(lab.namespace("gw"))) {
      Process charon = CharonPinCharonTest.startCharonContainer(pod, tmp, spec, conf);
      try {
        CharonPinCharonTest.awaitVici(charon, tmp);
        assertThat(probe(pod, spec, tmp, "answering")).as("charon answers").isZero();

        signal("STOP", charon);
        try {
          assertThat(probe(pod, spec, tmp, "hung")).as("charon stopped").isNotZero();
        } finally {
          signal("CONT", charon);
        }

        assertThat(probe(pod, spec, tmp, "resumed")).as("charon answers again").isZero();
      } finally {
        charon.destroy();
        charon.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Runs the charon container's liveness command in the pod; its exit code. */
  private static int probe(NetnsSandbox pod, PodSpec spec, Path tmp, String label)
      throws Exception {
    Container container = GatewayPodPrivilegesTest.container(spec, "charon");
    List<String> argv =
        CharonPinCharonTest.inContainer(
            spec, container, container.getLivenessProbe().getExec().getCommand());
    Path output = tmp.resolve("probe-" + label + ".out");
    Process probe = pod.start(argv, Map.of(), output);
    if (!probe.waitFor(PROBE_BOUND.toSeconds(), TimeUnit.SECONDS)) {
      probe.destroyForcibly();
      throw new AssertionError("the probe outlived its own bound of 5 s: " + argv);
    }
    return probe.exitValue() == 0 && Files.readString(output).contains("uptime") ? 0 : 1;
  }

  private static void signal(String signal, Process process) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }
}
