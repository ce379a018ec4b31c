package dev.ipsec.operator.testing;

import dev.ipsec.operator.vici.ViciCommands;
import dev.ipsec.operator.vici.ViciMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The standard two-gateway test topology with real charon on both ends:
 *
 * <pre>
 *   namespace a                                         namespace b
 *   lo 198.51.100.1/32 (inner)                          lo 203.0.113.1/32 (inner)
 *   v0a 192.0.2.1/24  <--------- veth ------------->   v0b 192.0.2.2/24
 *   charon a (identity a.test)                          charon b (identity b.test)
 * </pre>
 *
 * <p>{@link #pskConnection} builds the {@code load-conn} body of a PSK tunnel between the inner
 * addresses, so a test can load it over VICI; {@link #swanctlConf} renders the same as swanctl.conf
 * text for {@code swanctl --load-all}. Closing stops both charons and removes the namespaces.
 */
public final class SiteToSite implements AutoCloseable {

  public static final String ADDR_A = "192.0.2.1";
  public static final String ADDR_B = "192.0.2.2";
  public static final String INNER_A = "198.51.100.1";
  public static final String INNER_B = "203.0.113.1";
  public static final String ID_A = "a.test";
  public static final String ID_B = "b.test";

  private final NetnsLab lab;
  private final CharonInstance a;
  private final CharonInstance b;

  private SiteToSite(NetnsLab lab, CharonInstance a, CharonInstance b) {
    this.lab = lab;
    this.a = a;
    this.b = b;
  }

  /**
   * Creates the namespaces and the link; the charons are configured (e.g. {@code fastRetransmit()})
   * by the caller and started with {@link #start()}.
   */
  public static SiteToSite create(String prefix, Path dir) {
    NetnsLab lab = NetnsLab.create(prefix);
    try {
      String nsA = lab.namespace("a");
      String nsB = lab.namespace("b");
      lab.link(nsA, ADDR_A + "/24", nsB, ADDR_B + "/24");
      lab.addLoopbackAddress(nsA, INNER_A + "/32");
      lab.addLoopbackAddress(nsB, INNER_B + "/32");
      Path base = dir.resolve(lab.id());
      return new SiteToSite(
          lab,
          CharonInstance.in(lab, nsA, base.resolve("a")),
          CharonInstance.in(lab, nsB, base.resolve("b")));
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  public SiteToSite start() {
    a.start();
    b.start();
    return this;
  }

  public NetnsLab lab() {
    return lab;
  }

  public CharonInstance a() {
    return a;
  }

  public CharonInstance b() {
    return b;
  }

  /** Which end a connection is rendered for. */
  public enum Side {
    A(ADDR_A, ADDR_B, ID_A, ID_B, INNER_A, INNER_B),
    B(ADDR_B, ADDR_A, ID_B, ID_A, INNER_B, INNER_A);

    final String local;
    final String remote;
    final String localId;
    final String remoteId;
    final String localTs;
    final String remoteTs;

    Side(
        String local,
        String remote,
        String localId,
        String remoteId,
        String localTs,
        String remoteTs) {
      this.local = local;
      this.remote = remote;
      this.localId = localId;
      this.remoteId = remoteId;
      this.localTs = localTs;
      this.remoteTs = remoteTs;
    }
  }

  /**
   * A PSK connection (IKEv2, {@code mobike = no} to avoid the DAD-triggered extra exchanges) with
   * one child {@code child} between the inner addresses. {@code connExtra} and {@code childExtra}
   * add or override keys (e.g. {@code dpd_delay}, {@code start_action}, {@code rekey_time}).
   */
  public static ViciMessage pskConnection(
      Side side, String child, Map<String, String> connExtra, Map<String, String> childExtra) {
    ViciMessage childSection =
        ViciMessage.empty()
            .putList("local_ts", List.of(side.localTs + "/32"))
            .putList("remote_ts", List.of(side.remoteTs + "/32"));
    childExtra.forEach(childSection::put);
    ViciMessage conn =
        ViciMessage.empty()
            .put("version", "2")
            .put("mobike", "no")
            .putList("local_addrs", List.of(side.local))
            .putList("remote_addrs", List.of(side.remote))
            .putSection("local", ViciMessage.empty().put("auth", "psk").put("id", side.localId))
            .putSection("remote", ViciMessage.empty().put("auth", "psk").put("id", side.remoteId));
    connExtra.forEach(conn::put);
    conn.putSection("children", ViciMessage.empty().putSection(child, childSection));
    return conn;
  }

  /** The PSK for both identities, as {@code load-shared} wants it. */
  public static ViciCommands.SharedSecret psk(String id, String secret) {
    return new ViciCommands.SharedSecret(id, "IKE", secret, List.of(ID_A, ID_B));
  }

  /** The same tunnel as swanctl.conf text, for {@code swanctl --load-all}. */
  public static String swanctlConf(
      Side side,
      String conn,
      String child,
      Map<String, String> connExtra,
      Map<String, String> childExtra,
      String secret) {
    StringBuilder s = new StringBuilder();
    s.append("connections {\n  ").append(conn).append(" {\n");
    s.append("    version = 2\n    mobike = no\n");
    s.append("    local_addrs = ").append(side.local).append('\n');
    s.append("    remote_addrs = ").append(side.remote).append('\n');
    connExtra.forEach((k, v) -> s.append("    ").append(k).append(" = ").append(v).append('\n'));
    s.append("    local {\n      auth = psk\n      id = ").append(side.localId).append("\n    }\n");
    s.append("    remote {\n      auth = psk\n      id = ")
        .append(side.remoteId)
        .append("\n    }\n");
    s.append("    children {\n      ").append(child).append(" {\n");
    s.append("        local_ts = ").append(side.localTs).append("/32\n");
    s.append("        remote_ts = ").append(side.remoteTs).append("/32\n");
    childExtra.forEach(
        (k, v) -> s.append("        ").append(k).append(" = ").append(v).append('\n'));
    s.append("      }\n    }\n  }\n}\n");
    s.append("secrets {\n  ike-").append(conn).append(" {\n");
    s.append("    id-local = ").append(side.localId).append('\n');
    s.append("    id-remote-0 = ").append(side.remoteId).append('\n');
    s.append("    secret = \"").append(secret).append("\"\n  }\n}\n");
    return s.toString();
  }

  /** Pings B's inner address from A's inner address through the tunnel. */
  public ExecResult pingBFromA(int count) {
    return a.exec(
        Duration.ofSeconds(5 + count),
        "ping",
        "-c",
        Integer.toString(count),
        "-i",
        "0.2",
        "-W",
        "2",
        "-I",
        INNER_A,
        INNER_B);
  }

  @Override
  public void close() {
    try {
      a.close();
      b.close();
    } finally {
      lab.close();
    }
  }
}
