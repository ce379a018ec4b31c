package dev.ipsec.operator.render;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * IP protocol names for traffic selectors. Selectors are rendered with the protocol <em>number</em>
 * ({@code [6/443]}): strongSwan resolves names with {@code getprotobyname()}, and a slim gateway
 * image may have no {@code /etc/protocols}, whereas numbers always work and mean the same thing.
 * The table is Debian's netbase list.
 */
public final class Protocols {

  private static final Map<String, Integer> NUMBERS =
      Map.ofEntries(
          Map.entry("ip", 0),
          Map.entry("hopopt", 0),
          Map.entry("icmp", 1),
          Map.entry("igmp", 2),
          Map.entry("ggp", 3),
          Map.entry("ipencap", 4),
          Map.entry("st", 5),
          Map.entry("tcp", 6),
          Map.entry("egp", 8),
          Map.entry("igp", 9),
          Map.entry("pup", 12),
          Map.entry("udp", 17),
          Map.entry("hmp", 20),
          Map.entry("xns-idp", 22),
          Map.entry("rdp", 27),
          Map.entry("iso-tp4", 29),
          Map.entry("dccp", 33),
          Map.entry("xtp", 36),
          Map.entry("ddp", 37),
          Map.entry("idpr-cmtp", 38),
          Map.entry("ipv6", 41),
          Map.entry("ipv6-route", 43),
          Map.entry("ipv6-frag", 44),
          Map.entry("idrp", 45),
          Map.entry("rsvp", 46),
          Map.entry("gre", 47),
          Map.entry("esp", 50),
          Map.entry("ah", 51),
          Map.entry("skip", 57),
          Map.entry("ipv6-icmp", 58),
          Map.entry("ipv6-nonxt", 59),
          Map.entry("ipv6-opts", 60),
          Map.entry("rspf", 73),
          Map.entry("vmtp", 81),
          Map.entry("eigrp", 88),
          Map.entry("ospf", 89),
          Map.entry("ax.25", 93),
          Map.entry("ipip", 94),
          Map.entry("etherip", 97),
          Map.entry("encap", 98),
          Map.entry("pim", 103),
          Map.entry("ipcomp", 108),
          Map.entry("vrrp", 112),
          Map.entry("l2tp", 115),
          Map.entry("isis", 124),
          Map.entry("sctp", 132),
          Map.entry("fc", 133),
          Map.entry("mobility-header", 135),
          Map.entry("udplite", 136),
          Map.entry("mpls-in-ip", 137),
          Map.entry("manet", 138),
          Map.entry("hip", 139),
          Map.entry("shim6", 140),
          Map.entry("wesp", 141),
          Map.entry("rohc", 142),
          Map.entry("ethernet", 143));

  private Protocols() {}

  /**
   * The protocol number of a name or decimal number, {@code 0} for "any" ({@code any}, {@code all},
   * {@code ip}), empty when it is neither.
   */
  public static OptionalInt number(String protocol) {
    if (protocol == null || protocol.isEmpty() || protocol.length() > 20) {
      return OptionalInt.empty();
    }
    if (protocol.chars().allMatch(c -> c >= '0' && c <= '9')) {
      if (protocol.length() > 1 && protocol.charAt(0) == '0') {
        return OptionalInt.empty();
      }
      int n = Integer.parseInt(protocol);
      return n <= 255 ? OptionalInt.of(n) : OptionalInt.empty();
    }
    String name = protocol.toLowerCase(Locale.ROOT);
    if (name.equals("any") || name.equals("all")) {
      return OptionalInt.of(0);
    }
    Integer n = NUMBERS.get(name);
    return n == null ? OptionalInt.empty() : OptionalInt.of(n);
  }
}
