package dev.ipsec.operator.render;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A peer after validation: every default applied, every value checked and in the exact form it
 * takes in swanctl.conf. {@link ConnectionWriter} only lays it out; it decides nothing.
 */
record ConnectionModel(
    String name,
    String proposals,
    int version,
    List<String> vips,
    String localAddrs,
    String remoteAddrs,
    boolean sendCert,
    Dpd dpd,
    boolean aggressive,
    int rekeyTime,
    boolean mobike,
    Integer keyingtries,
    boolean encap,
    Auth local,
    Auth remote,
    List<Child> children,
    List<SecretSection> secrets,
    SortedMap<String, String> publicFiles,
    SortedMap<String, byte[]> privateFiles) {

  /**
   * DPD as rendered: {@code dpd_timeout}, {@code dpd_delay} and each child's {@code dpd_action}.
   */
  record Dpd(int timeout, int delay, String action) {}

  /** One auth round ({@code local {}} or {@code remote {}}); null members are left out. */
  record Auth(String auth, String id, String certs, String cacerts, String pubkeys) {}

  /** A CHILD_SA section; null members are left out. */
  record Child(
      String name,
      String espProposals,
      Long lifeBytes,
      Long rekeyBytes,
      Long lifePackets,
      Long rekeyPackets,
      Integer lifeTime,
      Integer rekeyTime,
      boolean disableRekey,
      String localTs,
      String remoteTs,
      Integer priority,
      Boolean ipcomp,
      String mode,
      String startAction,
      String dpdAction,
      String closeAction,
      Integer replayWindow,
      Vti vti) {

    /** A pass-through child for overlapping prefixes: only selectors, trap and mode pass. */
    static Child passthrough(String name, String ts) {
      return new Child(
          name, null, null, null, null, null, null, null, false, ts, ts, null, null, "pass", "trap",
          null, null, null, null);
    }
  }

  /** Route-based VPN lines of a child: {@code updown}, {@code if_id_in}, {@code if_id_out}. */
  record Vti(String interfaceName, long ifId) {}

  /** A {@code secrets} subsection: {@code ike-<conn>} or {@code private-<conn>}, keys in order. */
  record SecretSection(String name, List<Map.Entry<String, String>> entries) {
    @Override
    public String toString() {
      // the values are secret: only the keys
      return "SecretSection["
          + name
          + ", keys="
          + entries.stream().map(Map.Entry::getKey).toList()
          + "]";
    }
  }
}
