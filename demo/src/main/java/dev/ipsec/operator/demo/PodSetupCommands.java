package dev.ipsec.operator.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * What the pod runtime runs on the host to set up one pod, batched: a pod's network is two {@code
 * ip -batch} runs (the host's side, then the pod's namespace) and its volume mounts one shell in
 * its sandbox, where one process per step made a new pod wait for a dozen and a half process starts
 * (issue 17: a new gateway's start). The batch lines hold only the runtime's own names and
 * addresses; the paths of the pod spec are arguments of the shell, never part of its script.
 */
final class PodSetupCommands {

  /** One bind mount in the sandbox: a directory, or a single file (a volume's subPath). */
  record Mount(String source, String target, boolean file) {}

  /**
   * Mounts in order: {@code file}/{@code dir}, source, target as three arguments each. A file's
   * target is created empty first (a bind mount needs one of its kind), a directory's with its
   * parents.
   */
  private static final String MOUNT_SCRIPT =
      """
      set -eu
      while [ $# -gt 0 ]; do
        if [ "$1" = file ]; then mkdir -p "$(dirname "$3")" && touch "$3"; else mkdir -p "$3"; fi
        mount --bind "$2" "$3"
        shift 3
      done
      """;

  private PodSetupCommands() {}

  /**
   * {@code ip -batch} lines run in the caller's namespace: the pod's network namespace and the veth
   * pair whose host end joins the bridge ({@code netns add} returns to the caller's namespace).
   */
  static String hostSide(String netns, String hostEnd, String bridge) {
    return String.join(
        "\n",
        "netns add " + netns,
        "link add " + hostEnd + " type veth peer name eth0 netns " + netns,
        "link set " + hostEnd + " master " + bridge + " up",
        "");
  }

  /**
   * {@code ip -n <netns> -batch} lines: loopback up, the pod IP and any further addresses on {@code
   * eth0} (the pod IP once), {@code eth0} up, the extra CIDRs on {@code lo}.
   */
  static String podSide(
      String address, List<String> moreEth0Addresses, List<String> loopbackAddresses) {
    List<String> lines = new ArrayList<>();
    lines.add("link set lo up");
    lines.add("addr add " + address + "/24 dev eth0");
    for (String more : moreEth0Addresses) {
      if (!more.equals(address)) {
        lines.add("addr add " + more + "/24 dev eth0");
      }
    }
    lines.add("link set eth0 up");
    for (String cidr : loopbackAddresses) {
      lines.add("addr add " + cidr + " dev lo");
    }
    lines.add("");
    return String.join("\n", lines);
  }

  /** The command that makes every mount in one shell, or none when there is nothing to mount. */
  static List<String> mountAll(List<Mount> mounts) {
    if (mounts.isEmpty()) {
      return List.of();
    }
    List<String> command = new ArrayList<>(List.of("sh", "-c", MOUNT_SCRIPT, "mounts"));
    for (Mount mount : mounts) {
      command.add(mount.file() ? "file" : "dir");
      command.add(mount.source());
      command.add(mount.target());
    }
    return command;
  }
}
