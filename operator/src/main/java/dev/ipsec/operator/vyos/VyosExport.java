package dev.ipsec.operator.vyos;

import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.DeadPeerDetection;
import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.EspGroupSpec;
import dev.ipsec.operator.api.v1alpha1.EspProposal;
import dev.ipsec.operator.api.v1alpha1.GlobalOptions;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroupSpec;
import dev.ipsec.operator.api.v1alpha1.IkeProposal;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalSpec;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.Keywords;
import dev.ipsec.operator.api.v1alpha1.LogSettings;
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
 * Resources back to {@code set vpn ipsec ...} commands, in the quoting of {@code show configuration
 * commands}: the inverse of {@link VyosImport} for what the import carries over. Groups and peers
 * are sorted by name, proposals numbered 1..n in their order, tunnels by id. Pre-shared keys are
 * written as VyOS 1.4 keeps them, global {@code authentication psk NAME} entries with ids and the
 * value {@code secrets} gives for the reference ({@link PskExport}); so the text holds secrets and
 * is to be treated as such. The IpsecGlobal's VyOS options ({@code interface}, {@code log}, {@code
 * options}) are written too; its pod settings are Kubernetes' own and have no VyOS form. x509 and
 * rsa peers come with the {@code set pki} entries they name ({@link PkiExport}).
 */
public final class VyosExport {

  /** The commands, and what could not be written as VyOS 1.4 would (never a secret value). */
  public record Result(String text, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  private final List<String> lines = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final BiFunction<String, String, Optional<String>> secrets;
  private PskExport psks;
  private PkiExport pki;

  private VyosExport(BiFunction<String, String, Optional<String>> secrets) {
    this.secrets = secrets;
  }

  /** As {@link #export}, without a gateway, the text only. */
  public static String toText(
      List<IkeGroup> ikeGroups,
      List<EspGroup> espGroups,
      List<IpsecPeer> peers,
      BiFunction<String, String, Optional<String>> secrets) {
    return export(null, ikeGroups, espGroups, peers, secrets).text();
  }

  /**
   * @param secrets a Secret's value by name and key; empty when unknown (the key is then left out
   *     and the import of the text reports the peer's missing pre-shared key)
   */
  public static Result export(
      IpsecGlobal gateway,
      List<IkeGroup> ikeGroups,
      List<EspGroup> espGroups,
      List<IpsecPeer> peers,
      BiFunction<String, String, Optional<String>> secrets) {
    return export(gateway, ikeGroups, espGroups, peers, secrets, (n, k) -> Optional.empty());
  }

  /**
   * @param configMaps a ConfigMap's value by name and key (the CA certificates x509 peers may take
   *     from ConfigMaps)
   */
  public static Result export(
      IpsecGlobal gateway,
      List<IkeGroup> ikeGroups,
      List<EspGroup> espGroups,
      List<IpsecPeer> peers,
      BiFunction<String, String, Optional<String>> secrets,
      BiFunction<String, String, Optional<String>> configMaps) {
    VyosExport export = new VyosExport(secrets);
    export.pki = new PkiExport(export.warnings, secrets, configMaps);
    List<IpsecPeer> sorted =
        peers.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    export.psks = PskExport.of(sorted);
    export.psks.entries().forEach(export::psk);
    ikeGroups.stream()
        .sorted(Comparator.comparing(g -> g.getMetadata().getName()))
        .forEach(g -> export.ike(g.getMetadata().getName(), g.getSpec()));
    espGroups.stream()
        .sorted(Comparator.comparing(g -> g.getMetadata().getName()))
        .forEach(g -> export.esp(g.getMetadata().getName(), g.getSpec()));
    if (gateway != null && gateway.getSpec() != null) {
      export.global(gateway.getSpec());
    }
    sorted.forEach(p -> export.peer(p.getMetadata().getName(), p.getSpec()));
    // VyOS prints the pki tree before vpn
    List<String> all = new ArrayList<>(export.pki.lines());
    all.addAll(export.lines);
    return new Result(String.join("\n", all) + (all.isEmpty() ? "" : "\n"), export.warnings);
  }

  private void psk(PskExport.Entry entry) {
    String p = "authentication psk " + entry.name() + " ";
    entry.ids().forEach(id -> set(p + "id", id));
    secrets
        .apply(entry.secret().getName(), entry.secret().getKey())
        .ifPresent(v -> set(p + "secret", v));
  }

  /** The global options VyOS has: {@code interface}, {@code log}, {@code options}. */
  private void global(IpsecGlobalSpec spec) {
    spec.getInterfaces().forEach(i -> set("interface", i));
    LogSettings log = spec.getLog();
    if (log != null) {
      if (log.getLevel() == null && log.getSubsystems().isEmpty()) {
        lines.add("set vpn ipsec log");
      }
      set("log level", log.getLevel());
      log.getSubsystems().forEach(s -> set("log subsystem", s));
    }
    GlobalOptions options = spec.getOptions();
    if (options != null) {
      int before = lines.size();
      flag("options disable-route-autoinstall", options.getDisableRouteAutoinstall());
      flag("options flexvpn", options.getFlexvpn());
      set("options interface", options.getVirtualIpInterface());
      flag("options virtual-ip", options.getVirtualIp());
      if (lines.size() == before) {
        lines.add("set vpn ipsec options");
      }
      if (options.getRetransmit() != null) {
        warnings.add(
            "options.retransmit has no VyOS option (it is charon's own setting): left out");
      }
    }
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
      SecretKeyRef ref = PskExport.secretOf(spec);
      if (ref != null && psks.perPeer(name)) {
        warnings.add(
            "the pre-shared key of peer "
                + name
                + " is written in the older per-peer form (authentication pre-shared-secret): no"
                + " global `authentication psk` entry would be picked for it alone by its ids");
        secrets
            .apply(ref.getName(), ref.getKey())
            .ifPresent(v -> set(p + "authentication pre-shared-secret", v));
      }
      set(p + "authentication remote-id", auth.getRemoteId());
      if (auth.getMode() == AuthenticationMode.RSA && auth.getRsa() != null) {
        pki.rsa(name, auth.getRsa()).forEach(l -> set(p + "authentication " + l[0], l[1]));
      }
      flag(p + "authentication use-x509-id", auth.getUseX509Id());
      if (auth.getMode() == AuthenticationMode.X509 && auth.getX509() != null) {
        pki.x509(auth.getX509()).forEach(l -> set(p + "authentication " + l[0], l[1]));
      }
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
