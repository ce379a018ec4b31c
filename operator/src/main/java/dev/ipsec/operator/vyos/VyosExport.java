package dev.ipsec.operator.vyos;

import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.DeadPeerDetection;
import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.EspGroupSpec;
import dev.ipsec.operator.api.v1alpha1.EspProposal;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroupSpec;
import dev.ipsec.operator.api.v1alpha1.IkeProposal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.Keywords;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import dev.ipsec.operator.api.v1alpha1.TrafficSelector;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Resources back to {@code set vpn ipsec ...} commands, in the order and quoting of {@code show
 * configuration commands}: the inverse of {@link VyosImport} for what the import carries over.
 * Groups and peers are sorted by name, proposals numbered 1..n in their order, tunnels by id. A
 * pre-shared key is written in the per-peer form with the value {@code secrets} gives for its
 * reference; so the text holds secrets and is to be treated as such.
 */
public final class VyosExport {

  private final List<String> lines = new ArrayList<>();
  private final BiFunction<String, String, Optional<String>> secrets;

  private VyosExport(BiFunction<String, String, Optional<String>> secrets) {
    this.secrets = secrets;
  }

  /**
   * @param secrets a Secret's value by name and key; empty when unknown (the key is then left out
   *     and the import of the text reports the peer's missing pre-shared key)
   */
  public static String toText(
      List<IkeGroup> ikeGroups,
      List<EspGroup> espGroups,
      List<IpsecPeer> peers,
      BiFunction<String, String, Optional<String>> secrets) {
    VyosExport export = new VyosExport(secrets);
    ikeGroups.stream()
        .sorted(Comparator.comparing(g -> g.getMetadata().getName()))
        .forEach(g -> export.ike(g.getMetadata().getName(), g.getSpec()));
    espGroups.stream()
        .sorted(Comparator.comparing(g -> g.getMetadata().getName()))
        .forEach(g -> export.esp(g.getMetadata().getName(), g.getSpec()));
    peers.stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .forEach(p -> export.peer(p.getMetadata().getName(), p.getSpec()));
    return String.join("\n", export.lines) + (export.lines.isEmpty() ? "" : "\n");
  }

  private void ike(String name, IkeGroupSpec spec) {
    String p = "ike-group " + name + " ";
    set(p + "close-action", spec.getCloseAction());
    DeadPeerDetection dpd = spec.getDeadPeerDetection();
    if (dpd != null) {
      if (dpd.getAction() == null && dpd.getInterval() == null && dpd.getTimeout() == null) {
        lines.add("set vpn ipsec " + p + "dead-peer-detection");
      }
      set(p + "dead-peer-detection action", dpd.getAction());
      set(p + "dead-peer-detection interval", dpd.getInterval());
      set(p + "dead-peer-detection timeout", dpd.getTimeout());
    }
    flag(p + "disable-mobike", spec.getDisableMobike());
    flag(p + "ikev2-reauth", spec.getIkev2Reauth());
    set(p + "key-exchange", spec.getKeyExchange());
    set(p + "lifetime", spec.getLifetime());
    set(p + "mode", spec.getMode());
    for (int i = 0; i < spec.getProposals().size(); i++) {
      IkeProposal proposal = spec.getProposals().get(i);
      String q = p + "proposal " + (i + 1) + " ";
      if (proposal.getDhGroup() == null
          && proposal.getEncryption() == null
          && proposal.getHash() == null
          && proposal.getPrf() == null) {
        lines.add("set vpn ipsec " + q.strip());
      }
      set(q + "dh-group", proposal.getDhGroup());
      set(q + "encryption", proposal.getEncryption());
      set(q + "hash", proposal.getHash());
      set(q + "prf", proposal.getPrf());
    }
  }

  private void esp(String name, EspGroupSpec spec) {
    String p = "esp-group " + name + " ";
    flag(p + "compression", spec.getCompression());
    flag(p + "disable-rekey", spec.getDisableRekey());
    set(p + "life-bytes", spec.getLifeBytes());
    set(p + "life-packets", spec.getLifePackets());
    set(p + "lifetime", spec.getLifetime());
    set(p + "mode", spec.getMode());
    set(p + "pfs", spec.getPfs());
    for (int i = 0; i < spec.getProposals().size(); i++) {
      EspProposal proposal = spec.getProposals().get(i);
      String q = p + "proposal " + (i + 1) + " ";
      if (proposal.getEncryption() == null && proposal.getHash() == null) {
        lines.add("set vpn ipsec " + q.strip());
      }
      set(q + "encryption", proposal.getEncryption());
      set(q + "hash", proposal.getHash());
    }
  }

  private void peer(String name, IpsecPeerSpec spec) {
    String p = "site-to-site peer " + name + " ";
    PeerAuthentication auth = spec.getAuthentication();
    if (auth != null) {
      set(p + "authentication local-id", auth.getLocalId());
      set(p + "authentication mode", auth.getMode());
      if (auth.getMode() == AuthenticationMode.PRE_SHARED_SECRET
          && auth.getPreSharedSecret() != null) {
        SecretKeyRef ref = auth.getPreSharedSecret().getSecretRef();
        secrets
            .apply(ref.getName(), ref.getKey())
            .ifPresent(v -> set(p + "authentication pre-shared-secret", v));
      }
      set(p + "authentication remote-id", auth.getRemoteId());
      flag(p + "authentication use-x509-id", auth.getUseX509Id());
    }
    set(p + "connection-type", spec.getConnectionType());
    set(p + "default-esp-group", spec.getDefaultEspGroup());
    set(p + "description", spec.getDescription());
    set(p + "dhcp-interface", spec.getDhcpInterface());
    flag(p + "disable", spec.getDisable());
    flag(p + "force-udp-encapsulation", spec.getForceUdpEncapsulation());
    set(p + "ike-group", spec.getIkeGroup());
    set(p + "ikev2-reauth", spec.getIkev2Reauth());
    set(p + "local-address", spec.getLocalAddress());
    spec.getRemoteAddresses().forEach(a -> set(p + "remote-address", a));
    set(p + "replay-window", spec.getReplayWindow());
    spec.getVirtualAddresses().forEach(a -> set(p + "virtual-address", a));
    spec.getTunnels().stream()
        .sorted(Comparator.comparing(Tunnel::getId))
        .forEach(t -> tunnel(p + "tunnel " + t.getId() + " ", t));
    if (spec.getVti() != null) {
      set(p + "vti bind", spec.getVti().getBind());
      set(p + "vti esp-group", spec.getVti().getEspGroup());
    }
  }

  private void tunnel(String p, Tunnel tunnel) {
    int before = lines.size();
    flag(p + "disable", tunnel.getDisable());
    set(p + "esp-group", tunnel.getEspGroup());
    selector(p + "local ", tunnel.getLocal());
    set(p + "priority", tunnel.getPriority());
    set(p + "protocol", tunnel.getProtocol());
    selector(p + "remote ", tunnel.getRemote());
    if (lines.size() == before) {
      lines.add("set vpn ipsec " + p.strip());
    }
  }

  private void selector(String p, TrafficSelector selector) {
    if (selector == null) {
      return;
    }
    set(p + "port", selector.getPort());
    selector.getPrefixes().forEach(prefix -> set(p + "prefix", prefix));
  }

  private void flag(String path, Boolean value) {
    if (Boolean.TRUE.equals(value)) {
      lines.add("set vpn ipsec " + path);
    }
  }

  private void set(String path, Object value) {
    if (value == null) {
      return;
    }
    String text = value instanceof Enum<?> e ? Keywords.of(e) : String.valueOf(value);
    lines.add("set vpn ipsec " + path + " " + VyosQuoting.quote(text));
  }
}
