package dev.ipsec.operator.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What the demo needs from the machine, checked before anything is started so that a missing piece
 * is one clear sentence instead of a failure halfway through: root (network namespaces, a bridge,
 * charon), Debian's strongSwan with the kernel-libipsec plugin (the data path without kernel ESP),
 * a TUN device, and the iproute2/util-linux tools.
 */
public final class DemoPrerequisites {
  static final Path CHARON = Path.of("/usr/lib/ipsec/charon");
  static final Path LIBIPSEC = Path.of("/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so");
  static final Path TUN = Path.of("/dev/net/tun");
  private static final String INSTALL =
      "install strongswan-charon strongswan-swanctl"
          + " libcharon-extra-plugins (bin/setup does it on Debian 12)";

  private final long uid;
  private final Predicate<Path> exists;
  private final List<Path> path;

  DemoPrerequisites(long uid, Predicate<Path> exists, List<Path> path) {
    this.uid = uid;
    this.exists = exists;
    this.path = path;
  }

  /** The checks against this machine and this process. */
  public static DemoPrerequisites ofThisMachine() {
    List<Path> path =
        Stream.of(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
            .filter(s -> !s.isBlank())
            .map(Path::of)
            .toList();
    return new DemoPrerequisites(currentUid(), Files::exists, path);
  }

  /** Every problem found, each a sentence saying what to do; empty when the demo can run. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (uid != 0) {
      problems.add(
          "the demo must run as root (it creates network namespaces and a bridge and runs"
              + " charon): run it as root, for example `sudo bin/demo`");
    }
    if (!exists.test(CHARON)) {
      problems.add("strongSwan is missing (no " + CHARON + "): " + INSTALL);
    } else if (!exists.test(LIBIPSEC)) {
      problems.add(
          "strongSwan's kernel-libipsec plugin is missing (no "
              + LIBIPSEC
              + "), the"
              + " tunnels' data path without kernel ESP: "
              + INSTALL);
    }
    if (onPath("swanctl").isEmpty()) {
      problems.add("swanctl is missing: " + INSTALL);
    }
    for (String tool : List.of("ip", "nsenter", "unshare", "ping")) {
      if (onPath(tool).isEmpty()) {
        problems.add(tool + " is missing: install iproute2, util-linux and iputils-ping");
      }
    }
    if (!exists.test(TUN)) {
      problems.add("no TUN device " + TUN + " (kernel-libipsec needs it): bin/setup creates it");
    }
    return problems;
  }

  private Optional<Path> onPath(String tool) {
    return path.stream().map(dir -> dir.resolve(tool)).filter(exists).findFirst();
  }

  private static long currentUid() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("Uid:"))
          .map(line -> Long.parseLong(line.split("\\s+")[1]))
          .findFirst()
          .orElse(-1L);
    } catch (IOException | RuntimeException e) {
      return -1; // unknown: treated as not root
    }
  }
}
