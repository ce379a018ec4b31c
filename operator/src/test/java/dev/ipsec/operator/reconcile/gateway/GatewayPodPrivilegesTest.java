package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.reconcile.TestResources;
import dev.ipsec.operator.render.GatewayInput;
import dev.ipsec.operator.render.GatewayRenderer;
import dev.ipsec.operator.render.ReferencedData;
import dev.ipsec.operator.render.RenderOptions;
import dev.ipsec.operator.testing.CharonInstance;
import dev.ipsec.operator.testing.Exec;
import dev.ipsec.operator.testing.ExecResult;
import dev.ipsec.operator.testing.NetnsLab;
import dev.ipsec.operator.testing.RequiresCharon;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway pod's privileges: what the Deployment says, and that it works. The second test runs
 * real charon with the charon container's identity and capabilities taken from the Deployment
 * (through {@code setpriv}, as a container runtime would apply them), on the strongswan.conf the
 * operator renders, with the socket directory prepared as the kubelet prepares an emptyDir under an
 * fsGroup; then a VICI client with the agent container's identity talks to it, and one without the
 * group cannot.
 */
@RequiresCharon
class GatewayPodPrivilegesTest {

  static final long VICI_GID = GatewayDeployment.VICI_GID;

  static IpsecGlobal gateway() {
    IpsecGlobal gw = TestResources.gateway("gw");
    gw.getMetadata().setUid("uid-1");
    gw.getSpec().getGateway().setUserSpaceEsp(true); // the test kernel has no ESP
    return gw;
  }

  static PodSpec podSpec() {
    return GatewayDeployment.deployment(gateway(), GatewayDefaults.defaults(), "hash")
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  static Container container(PodSpec pod, String name) {
    return pod.getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void charonIsRootInTheViciGroupAndTheAgentIsNonRootInTheSameGroup() {
    PodSpec pod = podSpec();
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(VICI_GID);

    SecurityContext charon = container(pod, "charon").getSecurityContext();
    assertThat(charon.getRunAsUser()).isZero();
    assertThat(charon.getRunAsGroup()).isEqualTo(VICI_GID);
    assertThat(charon.getAllowPrivilegeEscalation()).isFalse();
    assertThat(charon.getPrivileged()).isNull();
    assertThat(charon.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(charon.getCapabilities().getAdd())
        .containsExactlyInAnyOrder("NET_ADMIN", "NET_BIND_SERVICE");

    SecurityContext agent = container(pod, "agent").getSecurityContext();
    assertThat(agent.getRunAsNonRoot()).isTrue();
    assertThat(agent.getRunAsUser()).isEqualTo(GatewayDeployment.AGENT_UID).isNotZero();
    assertThat(agent.getRunAsGroup()).isEqualTo(VICI_GID);
    assertThat(agent.getReadOnlyRootFilesystem()).isTrue();
    assertThat(agent.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(agent.getCapabilities().getAdd()).isNullOrEmpty();

    // both mount the one emptyDir that holds the socket
    var vici =
        pod.getVolumes().stream().filter(v -> v.getName().equals("vici")).findFirst().orElseThrow();
    assertThat(vici.getEmptyDir()).isNotNull();
    for (String name : List.of("charon", "agent")) {
      assertThat(container(pod, name).getVolumeMounts())
          .anySatisfy(
              m -> {
                assertThat(m.getName()).isEqualTo("vici");
                assertThat(m.getMountPath()).isEqualTo(GatewayDeployment.VICI_DIR);
              });
    }
  }

  @Test
  void theAgentsIdentityReachesCharonsSocketAndNoOtherDoes(@TempDir Path tmp) throws Exception {
    PodSpec pod = podSpec();
    // the temporary directory is root's alone; the agent's uid must be able to walk through it
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path viciDir = kubeletEmptyDir(tmp.resolve("vici"), pod.getSecurityContext().getFsGroup());
    Path socket = viciDir.resolve("charon.vici");

    try (NetnsLab lab = NetnsLab.create("ofv")) {
      String ns = lab.namespace("gw");
      // charon's files in the emptyDir too: its socket is created where the pod's would be
      CharonInstance charon =
          CharonInstance.in(lab, ns, viciDir)
              .strongswanConf(
                  uri ->
                      new GatewayRenderer(new RenderOptions(uri))
                          .render(
                              new GatewayInput(
                                  gateway(), List.of(), Map.of(), Map.of(), ReferencedData.none()))
                          .strongswanConf()
                          .orElseThrow())
              .runAs(identity(container(pod, "charon"), pod))
              .start();
      try {
        List<String> agent = identity(container(pod, "agent"), pod);
        awaitAnswer(lab, ns, agent, socket);

        assertThat(Files.getAttribute(socket, "unix:uid")).isEqualTo(0);
        assertThat(((Number) Files.getAttribute(socket, "unix:gid")).longValue())
            .isEqualTo(VICI_GID);
        assertThat(Files.getPosixFilePermissions(socket))
            .doesNotContain(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
        // with these capabilities charon bound the IKE ports
        assertThat(lab.exec(ns, Duration.ofSeconds(5), "ss", "-Hulnp").orThrow("ss").stdout())
            .contains(":500 ")
            .contains(":4500 ");

        // the same uid without the group: refused by the socket's mode
        List<String> stranger =
            List.of(
                "setpriv",
                "--reuid",
                String.valueOf(GatewayDeployment.AGENT_UID),
                "--regid",
                String.valueOf(GatewayDeployment.AGENT_UID + 1),
                "--clear-groups",
                "--bounding-set",
                "-all",
                "--inh-caps",
                "-all",
                "--no-new-privs");
        ExecResult refused = swanctlStats(lab, ns, stranger, socket);
        assertThat(refused.ok()).as(refused.toString()).isFalse();
        assertThat(refused.stdout() + refused.stderr()).containsIgnoringCase("permission denied");
      } finally {
        charon.stop();
      }
      // charon kept the group it was started with, and the plugins the gateway needs loaded.
      // Read once charon has exited: its stdout is block-buffered in a file
      assertThat(charon.output())
          .contains("running as uid 0, gid " + VICI_GID)
          .containsPattern(
              "loaded plugins: .* kernel-libipsec kernel-netlink .*socket-default .*vici ")
          .doesNotContain("socket-default plugin requires");
    }
  }

  /**
   * An emptyDir as the kubelet leaves it under an fsGroup: mode 0777 plus setgid, group fsGroup.
   */
  static Path kubeletEmptyDir(Path dir, long fsGroup) throws IOException {
    Files.createDirectory(dir);
    Files.setAttribute(dir, "unix:gid", (int) fsGroup);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    // setgid (new files inherit the group) has no PosixFilePermission
    Exec.run(Duration.ofSeconds(5), List.of("chmod", "g+s", dir.toString())).orThrow("chmod g+s");
    return dir;
  }

  /**
   * {@code setpriv} arguments that give a process what a container runtime gives a container: uid,
   * primary group, fsGroup and supplementalGroups as supplementary groups, the bounding set from
   * the capabilities (all dropped but those added), no_new_privs.
   */
  static List<String> identity(Container container, PodSpec pod) {
    SecurityContext sc = container.getSecurityContext();
    Set<Long> groups = new TreeSet<>();
    if (pod.getSecurityContext().getFsGroup() != null) {
      groups.add(pod.getSecurityContext().getFsGroup());
    }
    if (pod.getSecurityContext().getSupplementalGroups() != null) {
      groups.addAll(pod.getSecurityContext().getSupplementalGroups());
    }
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    StringBuilder bounding = new StringBuilder("-all");
    if (sc.getCapabilities().getAdd() != null) {
      sc.getCapabilities().getAdd().forEach(c -> bounding.append(",+").append(c.toLowerCase()));
    }
    // unset: the image's user and group, root for the strongSwan image
    long uid = sc.getRunAsUser() == null ? 0 : sc.getRunAsUser();
    long gid = sc.getRunAsGroup() == null ? 0 : sc.getRunAsGroup();
    List<String> args =
        new ArrayList<>(
            List.of("setpriv", "--reuid", String.valueOf(uid), "--regid", String.valueOf(gid)));
    if (groups.isEmpty()) {
      args.add("--clear-groups");
    } else {
      args.add("--groups");
      args.add(String.join(",", groups.stream().map(String::valueOf).toList()));
    }
    args.addAll(List.of("--bounding-set", bounding.toString(), "--inh-caps", "-all"));
    if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
      args.add("--no-new-privs");
    }
    return args;
  }

  /**
   * Waits (at most 15 s) until swanctl with the agent's identity gets an answer from charon, which
   * is running (CharonInstance.start waited for it as root).
   */
  static void awaitAnswer(NetnsLab lab, String ns, List<String> agent, Path socket)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    ExecResult last = null;
    while (System.nanoTime() < deadline) {
      last = swanctlStats(lab, ns, agent, socket);
      if (last.ok()) {
        assertThat(last.stdout()).contains("uptime");
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no answer on " + socket + " for the agent's identity: " + last);
  }

  static ExecResult swanctlStats(NetnsLab lab, String ns, List<String> identity, Path socket) {
    List<String> command = new ArrayList<>(identity);
    command.addAll(List.of("swanctl", "--stats", "--uri", "unix://" + socket));
    return lab.exec(ns, Duration.ofSeconds(10), command.toArray(String[]::new));
  }
}
