package dev.ipsec.operator.testing;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away set of Linux network namespaces for tests with real strongSwan.
 *
 * <pre>{@code
 * try (NetnsLab lab = NetnsLab.create("vc")) {          // your team's prefix
 *   String a = lab.namespace("a");                       // e.g. "vc-3f9a-a"
 *   String b = lab.namespace("b");
 *   lab.link(a, "192.0.2.1/24", b, "192.0.2.2/24");      // veth pair, both ends up
 *   lab.addLoopbackAddress(a, "198.51.100.1/32");        // "inner" prefix for a tunnel
 *   lab.exec(a, Duration.ofSeconds(5), "ping", "-c1", "192.0.2.2").orThrow("ping");
 * }                                                      // every process killed, namespaces gone
 * }</pre>
 *
 * <p>Names are {@code <prefix>-<4 hex>-<role>}, unique per lab, so parallel test runs never
 * collide. Only the documentation ranges 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 are
 * accepted as addresses. Close removes everything (processes first, then namespaces); a JVM
 * shutdown hook does the same for labs left open by a crashed test. Every command is bounded by a
 * timeout.
 */
public final class NetnsLab implements AutoCloseable {

  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<NetnsLab> OPEN = new LinkedHashSet<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  List<NetnsLab> labs;
                  synchronized (OPEN) {
                    labs = new ArrayList<>(OPEN);
                  }
                  labs.forEach(NetnsLab::close);
                },
                "netns-lab-cleanup"));
  }

  private final String id;
  private final List<String> namespaces = new ArrayList<>();
  private int links;

  private NetnsLab(String id) {
    this.id = id;
  }

  /**
   * A new lab. {@code prefix} is the caller's namespace prefix (short: the namespace and interface
   * names derived from it must stay within 15 characters).
   */
  public static NetnsLab create(String prefix) {
    if (!prefix.matches("[a-z]{1,4}")) {
      throw new IllegalArgumentException("prefix must be 1-4 lower-case letters: " + prefix);
    }
    NetnsLab lab = new NetnsLab(prefix + "-" + String.format("%04x", RANDOM.nextInt(0x10000)));
    synchronized (OPEN) {
      OPEN.add(lab);
    }
    return lab;
  }

  /** The lab's unique id, {@code <prefix>-<4 hex>}; also usable to name files. */
  public String id() {
    return id;
  }

  /** Creates namespace {@code <id>-<role>} with {@code lo} up and returns its name. */
  public String namespace(String role) {
    String name = id + "-" + role;
    if (name.length() > 15 || !role.matches("[a-z0-9]+")) {
      throw new IllegalArgumentException("namespace name too long or role not [a-z0-9]+: " + name);
    }
    ip("netns", "add", name).orThrow("ip netns add " + name);
    synchronized (this) {
      namespaces.add(name);
    }
    ip("-n", name, "link", "set", "lo", "up").orThrow("lo up in " + name);
    return name;
  }

  /**
   * Connects two namespaces with a veth pair (interfaces {@code v<n>a} in {@code nsA} and {@code
   * v<n>b} in {@code nsB}), assigns the addresses and brings both ends up.
   *
   * @return the two interface names, A's first
   */
  public List<String> link(String nsA, String cidrA, String nsB, String cidrB) {
    checkDocumentationRange(cidrA);
    checkDocumentationRange(cidrB);
    int n;
    synchronized (this) {
      n = links++;
    }
    String ifA = "v" + n + "a";
    String ifB = "v" + n + "b";
    ip("link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB)
        .orThrow("veth " + nsA + " <-> " + nsB);
    ip("-n", nsA, "addr", "add", cidrA, "dev", ifA).orThrow("address " + cidrA);
    ip("-n", nsB, "addr", "add", cidrB, "dev", ifB).orThrow("address " + cidrB);
    ip("-n", nsA, "link", "set", ifA, "up").orThrow("link up " + ifA);
    ip("-n", nsB, "link", "set", ifB, "up").orThrow("link up " + ifB);
    return List.of(ifA, ifB);
  }

  /**
   * Adds an address (e.g. a tunnel's inner {@code 198.51.100.1/32}) to {@code lo} of a namespace.
   */
  public void addLoopbackAddress(String ns, String cidr) {
    checkDocumentationRange(cidr);
    ip("-n", ns, "addr", "add", cidr, "dev", "lo").orThrow("address " + cidr + " on lo");
  }

  /**
   * Runs a command inside a namespace ({@code ip netns exec}) and waits at most {@code timeout}.
   */
  public ExecResult exec(String ns, Duration timeout, String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(Arrays.asList(command));
    return Exec.run(timeout, full);
  }

  /** The PIDs of every process inside a namespace. */
  public List<Long> pids(String ns) {
    ExecResult r = ip("netns", "pids", ns);
    List<Long> pids = new ArrayList<>();
    for (String line : r.stdout().split("\\s+")) {
      if (!line.isBlank()) {
        pids.add(Long.parseLong(line.trim()));
      }
    }
    return pids;
  }

  /** Kills every process in the lab's namespaces and deletes them. Safe to call twice. */
  @Override
  public void close() {
    List<String> toDelete;
    synchronized (this) {
      toDelete = new ArrayList<>(namespaces);
      namespaces.clear();
    }
    for (String ns : toDelete) {
      for (long pid : pids(ns)) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    for (String ns : toDelete) {
      for (long pid : pids(ns)) {
        ProcessHandle.of(pid)
            .ifPresent(p -> p.onExit().completeOnTimeout(p, 5, TimeUnit.SECONDS).join());
      }
      ip("netns", "del", ns);
    }
    synchronized (OPEN) {
      OPEN.remove(this);
    }
  }

  private static ExecResult ip(String... args) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(Arrays.asList(args));
    return Exec.run(COMMAND_TIMEOUT, command);
  }

  static void checkDocumentationRange(String cidr) {
    if (!(cidr.startsWith("192.0.2.")
        || cidr.startsWith("198.51.100.")
        || cidr.startsWith("203.0.113."))) {
      throw new IllegalArgumentException(
          cidr
              + " is outside the documentation ranges tests may use (192.0.2.0/24, 198.51.100.0/24,"
              + " 203.0.113.0/24)");
    }
  }
}
