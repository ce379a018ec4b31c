package dev.ipsec.operator.agent;

import dev.ipsec.operator.testing.SiteToSite;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciMessage;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Configuration of many PSK peers between the two gateways of {@link SiteToSite}, one file per peer
 * ({@code conf.d/peer<i>.conf}, connection and secret). Peer {@code i} is told apart by its
 * identities ({@code peer<i>.a.test} / {@code gw<i>.b.test}) and uses the inner addresses
 * 198.51.100.i and 203.0.113.i.
 */
final class ManyPeers {

  static final String ENTRY = "include conf.d/*.conf\n";

  private ManyPeers() {}

  /** The files of gateway B (responder) for peers 1..count. */
  static Map<String, String> responderFiles(int count) {
    return responderFiles(count, i -> "peer" + i);
  }

  /**
   * The files of gateway B (responder) for peers 1..count, connection {@code i} named {@code
   * name.apply(i)} (its file {@code conf.d/<name>.conf}, its secret {@code ike-<name>}).
   */
  static Map<String, String> responderFiles(int count, IntFunction<String> name) {
    Map<String, String> files = new TreeMap<>();
    files.put("swanctl.conf", ENTRY);
    for (int i = 1; i <= count; i++) {
      files.put("conf.d/" + name.apply(i) + ".conf", responder(i, name.apply(i), ""));
    }
    return files;
  }

  /**
   * A connection name of exactly 100 characters, the longest the renderer gives a peer, ending in
   * {@code -<i>} so that every peer has its own.
   */
  static String longName(int i) {
    String suffix = "-" + i;
    return "p".repeat(100 - suffix.length()) + suffix;
  }

  static String file(int i) {
    return "conf.d/peer" + i + ".conf";
  }

  /** Responder side of peer {@code i}; {@code childExtra} adds lines to the child. */
  static String responder(int i, String childExtra) {
    return responder(i, "peer" + i, childExtra);
  }

  private static String responder(int i, String name, String childExtra) {
    return peer(
        i,
        name,
        SiteToSite.ADDR_B,
        SiteToSite.ADDR_A,
        "gw" + i + ".b.test",
        "peer" + i + ".a.test",
        "203.0.113." + host(i),
        "198.51.100." + host(i) + port(i),
        "",
        childExtra);
  }

  /** Peers beyond 254 reuse the addresses and are told apart by a UDP port in the selector. */
  private static int host(int i) {
    return (i - 1) % 254 + 1;
  }

  private static String port(int i) {
    return i <= 254 ? "" : "[udp/" + (10000 + i) + "]";
  }

  /** Initiator side of peer {@code i}: starts at once and restarts on DPD, retrying forever. */
  static String initiator(int i) {
    return peer(
        i,
        "peer" + i,
        SiteToSite.ADDR_A,
        SiteToSite.ADDR_B,
        "peer" + i + ".a.test",
        "gw" + i + ".b.test",
        "198.51.100." + i,
        "203.0.113." + i,
        "    dpd_delay = 2s\n    keyingtries = 0\n",
        "        start_action = start\n        dpd_action = restart\n");
  }

  private static String peer(
      int i,
      String name,
      String local,
      String remote,
      String localId,
      String remoteId,
      String localTs,
      String remoteTs,
      String connExtra,
      String childExtra) {
    return "connections {\n"
        + "  "
        + name
        + " {\n"
        + "    version = 2\n"
        + "    mobike = no\n"
        + "    local_addrs = "
        + local
        + "\n"
        + "    remote_addrs = "
        + remote
        + "\n"
        + connExtra
        + "    local {\n      auth = psk\n      id = "
        + localId
        + "\n    }\n"
        + "    remote {\n      auth = psk\n      id = "
        + remoteId
        + "\n    }\n"
        + "    children {\n"
        + "      net {\n"
        + "        local_ts = "
        + localTs
        + "/32\n"
        + "        remote_ts = "
        + withPrefix(remoteTs)
        + "\n"
        + childExtra
        + "      }\n"
        + "    }\n"
        + "  }\n"
        + "}\n"
        + "secrets {\n"
        + "  ike-"
        + name
        + " {\n"
        + "    id-local = "
        + localId
        + "\n"
        + "    id-remote-0 = "
        + remoteId
        + "\n"
        + "    secret = \"psk-"
        + i
        + "-"
        + Integer.toHexString(i * 7919)
        + "\"\n"
        + "  }\n"
        + "}\n";
  }

  /** {@code 198.51.100.9[udp/10300]} becomes {@code 198.51.100.9/32[udp/10300]}. */
  private static String withPrefix(String ts) {
    int bracket = ts.indexOf('[');
    return bracket < 0 ? ts + "/32" : ts.substring(0, bracket) + "/32" + ts.substring(bracket);
  }

  /** IKE SA unique id per connection name, of the SAs that are ESTABLISHED. */
  static Map<String, String> establishedIkeIds(ViciClient client) {
    return established(client, "uniqueid");
  }

  /**
   * Initiator SPI per connection name, of the SAs that are ESTABLISHED (unique ids restart with
   * charon).
   */
  static Map<String, String> establishedIkeSpis(ViciClient client) {
    return established(client, "initiator-spi");
  }

  private static Map<String, String> established(ViciClient client, String key) {
    Map<String, String> ids = new TreeMap<>();
    for (ViciMessage event :
        client.stream(
            "list-sas",
            "list-sa",
            ViciMessage.empty().put("noblock", "yes"),
            Duration.ofSeconds(10))) {
      event
          .sections()
          .forEach(
              (conn, sa) -> {
                if ("ESTABLISHED".equals(sa.string("state", ""))) {
                  ids.put(conn, sa.string(key, ""));
                }
              });
    }
    return ids;
  }

  /** Whether connection {@code conn} has an ESTABLISHED IKE SA with an INSTALLED child. */
  static boolean installed(ViciClient client, String conn) {
    for (ViciMessage event :
        client.stream(
            "list-sas",
            "list-sa",
            ViciMessage.empty().put("noblock", "yes").put("ike", conn),
            Duration.ofSeconds(10))) {
      for (ViciMessage sa : event.sections().values()) {
        if ("ESTABLISHED".equals(sa.string("state", ""))
            && sa.section("child-sas")
                .map(
                    c ->
                        c.sections().values().stream()
                            .anyMatch(ch -> "INSTALLED".equals(ch.string("state", ""))))
                .orElse(false)) {
          return true;
        }
      }
    }
    return false;
  }
}
