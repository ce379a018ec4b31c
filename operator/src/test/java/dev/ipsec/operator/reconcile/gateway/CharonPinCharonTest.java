package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.kubelet.NetnsSandbox;
import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.render.GatewayInput;
import dev.ipsec.operator.render.GatewayRenderer;
import dev.ipsec.operator.render.ReferencedData;
import dev.ipsec.operator.testing.NetnsLab;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciCommands;
import dev.ipsec.operator.vici.ViciException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * charon runs only the strongswan.conf the operator rendered: the charon container's command, taken
 * as it stands in the rendered Deployment, with the container's environment and identity, refuses
 * to start charon on a tampered file and starts it on the intact one.
 *
 * <p>Each run is what a container runtime does with the container: a pod sandbox ({@link
 * NetnsSandbox}: a network namespace, a private mount namespace with a tmpfs on {@code /run}) with
 * the VICI emptyDir at {@code /run/vici} and the strongswan ConfigMap's files at the container's
 * mount path, then {@code env -i} with the container's variables (and the image's {@code PATH}),
 * {@code setpriv} with its uid, groups and capabilities ({@link
 * GatewayPodPrivilegesTest#identity}), and its command. The mount point is created on the host's
 * {@code /etc} (as the demo's pods create theirs); the mount stays in the sandbox. Not {@code
 * CharonInstance}: it runs charon with a strongswan.conf of its own choosing, and the point here is
 * the container's own command.
 */
@RequiresCharon
class CharonPinCharonTest {

  /** The PATH of the Debian image's configuration, which the runtime gives the container. */
  static final String IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  static final Duration START = Duration.ofSeconds(15);

  static IpsecGlobal gateway() {
    return GatewayPodPrivilegesTest.gateway(); // user-space ESP: the test kernel has no ESP
  }

  static String renderedStrongswanConf() {
    return new GatewayRenderer()
        .render(new GatewayInput(gateway(), List.of(), Map.of(), Map.of(), ReferencedData.none()))
        .strongswanConf()
        .orElseThrow();
  }

  /** The pod spec exactly as the operator writes it for the rendered file. */
  static PodSpec podSpec(String strongswanConf) {
    String digest = ConfigManifest.sha256(strongswanConf.getBytes(StandardCharsets.UTF_8));
    return GatewayDeployment.deployment(gateway(), GatewayDefaults.defaults(), digest)
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  @Test
  void anIntactStrongswanConfStartsCharonAsTheContainersProcess(@TempDir Path tmp)
      throws Exception {
    String conf = renderedStrongswanConf();
    try (NetnsLab lab = NetnsLab.create("pin");
        NetnsSandbox pod = NetnsSandbox.open(lab.namespace("gw"))) {
      Process charon = startCharonContainer(pod, tmp, podSpec(conf), conf);
      try {
        awaitVici(charon, tmp);
        // the script exec'd charon: the container's process is charon itself, on the checked copy
        assertThat(Files.readString(Path.of("/proc", charon.pid() + "", "cmdline")))
            .startsWith(CharonCommand.CHARON);
        assertThat(Files.readString(Path.of("/proc", charon.pid() + "", "environ")))
            .contains("STRONGSWAN_CONF=" + CharonCommand.PINNED_CONF + "\0");
      } finally {
        // SIGTERM reaches charon, which stops
        charon.destroy();
        assertThat(charon.waitFor(10, TimeUnit.SECONDS)).as("charon stopped on SIGTERM").isTrue();
      }
      // read once charon has exited (its stdout is block-buffered): it ran the rendered settings
      assertThat(output(tmp))
          .doesNotContain("refusing")
          .containsPattern("loaded plugins: .*kernel-libipsec kernel-netlink .*vici ");
    }
  }

  @Test
  void aTamperedStrongswanConfIsRefusedWithAClearMessage(@TempDir Path tmp) throws Exception {
    String conf = renderedStrongswanConf();
    String tampered =
        conf
            + "charon {\n  start-scripts {\n    own = /bin/touch "
            + tmp.resolve("ran")
            + "\n  }\n}\n";
    try (NetnsLab lab = NetnsLab.create("pin");
        NetnsSandbox pod = NetnsSandbox.open(lab.namespace("gw"))) {
      // the template carries the digest of what the operator rendered, the volume the tampered file
      Process charon = startCharonContainer(pod, tmp, podSpec(conf), tampered);
      assertThat(charon.waitFor(START.toSeconds(), TimeUnit.SECONDS))
          .as("the container exits")
          .isTrue();
      assertThat(charon.exitValue()).isEqualTo(1);
      assertThat(output(tmp))
          .contains(
              "refusing to start charon: /etc/ipsec-operator/strongswan/strongswan.conf is not the"
                  + " strongswan.conf the operator rendered for this pod")
          .contains("expected " + ConfigManifest.sha256(conf.getBytes(StandardCharsets.UTF_8)));
      assertThat(tmp.resolve("vici/charon.vici")).doesNotExist();
      assertThat(tmp.resolve("ran")).doesNotExist();
    }
  }

  /**
   * Runs the charon container of {@code spec} in the pod sandbox, with {@code strongswanConf} as
   * the content of its strongswan ConfigMap; its output goes to {@code <tmp>/charon.out}.
   */
  static Process startCharonContainer(
      NetnsSandbox pod, Path tmp, PodSpec spec, String strongswanConf) throws IOException {
    Container container = GatewayPodPrivilegesTest.container(spec, "charon");
    Path confDir = Files.createDirectory(tmp.resolve("strongswan"));
    Files.writeString(
        confDir.resolve(GatewayObjects.STRONGSWAN_CONF), strongswanConf, StandardCharsets.UTF_8);
    Path viciDir =
        GatewayPodPrivilegesTest.kubeletEmptyDir(
            tmp.resolve("vici"), spec.getSecurityContext().getFsGroup());
    pod.run(List.of("mkdir", GatewayDeployment.VICI_DIR));
    pod.run(List.of("mount", "--bind", viciDir.toString(), GatewayDeployment.VICI_DIR));
    pod.run(List.of("mkdir", "-p", GatewayDeployment.STRONGSWAN_DIR));
    pod.run(List.of("mount", "--bind", confDir.toString(), GatewayDeployment.STRONGSWAN_DIR));

    List<String> command = new ArrayList<>(container.getCommand());
    if (container.getArgs() != null) {
      command.addAll(container.getArgs());
    }
    return pod.start(inContainer(spec, container, command), Map.of(), tmp.resolve("charon.out"));
  }

  /**
   * {@code command} as the runtime runs a process in {@code container} (its main process, or an
   * exec probe): {@code env -i} with the container's variables and the image's {@code PATH}, then
   * {@code setpriv} with its uid, groups and capabilities.
   */
  static List<String> inContainer(PodSpec spec, Container container, List<String> command) {
    List<String> argv = new ArrayList<>(List.of("env", "-i", "PATH=" + IMAGE_PATH));
    for (EnvVar env : container.getEnv()) {
      argv.add(env.getName() + "=" + env.getValue());
    }
    argv.addAll(GatewayPodPrivilegesTest.identity(container, spec));
    argv.addAll(command);
    return argv;
  }

  static void awaitVici(Process charon, Path tmp) throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    ViciException last = null;
    while (System.nanoTime() < deadline) {
      assertThat(charon.isAlive()).as("charon runs; its output:\n%s", output(tmp)).isTrue();
      try (ViciClient client =
          new ViciClient(tmp.resolve("vici/charon.vici"), Duration.ofSeconds(2))) {
        new ViciCommands(client).version();
        return;
      } catch (ViciException e) {
        last = e;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("charon did not answer VICI: " + last + "\n" + output(tmp));
  }

  static String output(Path tmp) throws IOException {
    Path out = tmp.resolve("charon.out");
    return Files.exists(out) ? Files.readString(out) : "";
  }
}
