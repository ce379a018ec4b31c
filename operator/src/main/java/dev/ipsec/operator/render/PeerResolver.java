package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.CloseAction;
import dev.ipsec.operator.api.v1alpha1.ConnectionType;
import dev.ipsec.operator.api.v1alpha1.DeadPeerDetection;
import dev.ipsec.operator.api.v1alpha1.DpdAction;
import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.EspGroupSpec;
import dev.ipsec.operator.api.v1alpha1.EspMode;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroupSpec;
import dev.ipsec.operator.api.v1alpha1.IkeMode;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.KeyExchange;
import dev.ipsec.operator.api.v1alpha1.TrafficSelector;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.api.v1alpha1.Vti;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Validates one IpsecPeer together with the groups and data it references (VyOS's {@code verify()}
 * plus the checks that keep strongSwan from rejecting the file) and, when it is valid, builds its
 * {@link ConnectionModel}. Every problem is collected, none stops the walk.
 */
final class PeerResolver {

  static final int DEFAULT_REPLAY_WINDOW = 32;
  private static final String ANY = "any";

  private final IpsecPeer peer;
  private final ReferencedData references;
  private final GroupCache groups;
  private final FieldErrors errors = new FieldErrors();
  private final FieldPath spec = FieldPath.of("spec");

  PeerResolver(IpsecPeer peer, GroupCache groups, ReferencedData references) {
    this.peer = peer;
    this.groups = groups;
    this.references = references;
  }

  /** The errors of this peer, or its model when there are none. */
  Result resolve() {
    String name = peer.getMetadata() == null ? null : peer.getMetadata().getName();
    if (!Grammar.isConnectionName(name)) {
      errors.add(
          FieldPath.of("metadata.name"),
          "incorrect peer name: the connection name may only contain letters, digits, hyphen and"
              + " underscore (no dot or colon), at most 100 characters");
    }
    IpsecPeerSpec s = peer.getSpec();
    if (s == null) {
      errors.add(spec, "missing spec");
      return new Result(errors.toList(), null, List.of());
    }
    IkeGroupSpec ike = ikeGroup(s);
    String localAddress = localAddress(s);
    List<String> remoteAddresses = remoteAddresses(s);
    AuthenticationResolver.AuthParts auth =
        new AuthenticationResolver(errors, references)
            .resolve(s, name, localAddress, remoteAddresses);
    List<String> vips = virtualAddresses(s);
    checkIdentity(
        spec.field("authentication").field("localId"),
        s.getAuthentication() == null ? null : s.getAuthentication().getLocalId());
    checkIdentity(
        spec.field("authentication").field("remoteId"),
        s.getAuthentication() == null ? null : s.getAuthentication().getRemoteId());
    int replayWindow = s.getReplayWindow() == null ? DEFAULT_REPLAY_WINDOW : s.getReplayWindow();
    CryptoGroups.checkRange(errors, spec.field("replayWindow"), s.getReplayWindow(), 0, 2040);
    EspGroupSpec defaultEsp =
        optionalEspGroup(spec.field("defaultEspGroup"), s.getDefaultEspGroup());
    ConnectionModel.Vti vti = vti(s);
    List<ChildPlan> plans = childPlans(s, defaultEsp, localAddress);
    if ((s.getTunnels() == null || s.getTunnels().isEmpty()) && s.getVti() == null) {
      errors.add(spec, "no VTI or tunnel specified: set tunnels or vti");
    }
    if (!errors.isEmpty() || name == null) {
      return new Result(errors.toList(), null, List.of());
    }
    return new Result(
        List.of(),
        model(name, s, ike, localAddress, remoteAddresses, vips, auth, replayWindow, vti, plans),
        algorithms(ike, plans));
  }

  /**
   * @param algorithms what the connection's IKE and ESP proposals need from charon
   */
  record Result(
      List<FieldError> errors, ConnectionModel model, List<ProposalAlgorithms.Needed> algorithms) {}

  private static List<ProposalAlgorithms.Needed> algorithms(
      IkeGroupSpec ike, List<ChildPlan> plans) {
    Set<ProposalAlgorithms.Needed> needed = new LinkedHashSet<>(ProposalAlgorithms.ike(ike));
    Set<EspGroupSpec> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ChildPlan plan : plans) {
      if (plan.esp() != null && seen.add(plan.esp())) {
        needed.addAll(ProposalAlgorithms.esp(plan.esp(), ike));
      }
    }
    return List.copyOf(needed);
  }

  // ---------------------------------------------------------------- groups

  private IkeGroupSpec ikeGroup(IpsecPeerSpec s) {
    FieldPath at = spec.field("ikeGroup");
    if (s.getIkeGroup() == null || s.getIkeGroup().isEmpty()) {
      errors.add(at, "missing ikeGroup");
      return null;
    }
    IkeGroup group = groups.ikeGroup(s.getIkeGroup());
    if (group == null) {
      errors.add(at, "IkeGroup \"" + s.getIkeGroup() + "\" not found");
      return null;
    }
    List<FieldError> groupErrors = groups.errors(group.getSpec());
    for (FieldError e : groupErrors) {
      errors.add(at, "IkeGroup \"" + s.getIkeGroup() + "\" is invalid: " + e);
    }
    return groupErrors.isEmpty() ? group.getSpec() : null;
  }

  private EspGroupSpec optionalEspGroup(FieldPath at, String name) {
    if (name == null) {
      return null;
    }
    EspGroup group = groups.espGroup(name);
    if (group == null) {
      errors.add(at, "EspGroup \"" + name + "\" not found");
      return null;
    }
    List<FieldError> groupErrors = groups.errors(group.getSpec());
    for (FieldError e : groupErrors) {
      errors.add(at, "EspGroup \"" + name + "\" is invalid: " + e);
    }
    return groupErrors.isEmpty() ? group.getSpec() : null;
  }

  // ---------------------------------------------------------------- addresses

  private String localAddress(IpsecPeerSpec s) {
    String local = s.getLocalAddress();
    if (s.getDhcpInterface() != null && !Grammar.isInterfaceName(s.getDhcpInterface())) {
      errors.add(spec.field("dhcpInterface"), "not a valid interface name");
    }
    if (local == null) {
      if (s.getDhcpInterface() == null) {
        errors.add(spec.field("localAddress"), "missing localAddress or dhcpInterface");
      }
      // dhcp-interface: the address is only known inside the pod, so charon picks it (%any)
      return ANY;
    }
    if (!local.equals(ANY) && !Grammar.isIpAddress(local)) {
      errors.add(spec.field("localAddress"), "must be an IPv4 or IPv6 address or \"any\"");
    }
    if (s.getVti() != null && s.getDhcpInterface() != null) {
      errors.add(
          spec.field("vti"), "a single localAddress or dhcpInterface is required when using vti");
    }
    return local;
  }

  private List<String> remoteAddresses(IpsecPeerSpec s) {
    List<String> result = new ArrayList<>();
    List<String> remote = s.getRemoteAddresses() == null ? List.of() : s.getRemoteAddresses();
    for (int i = 0; i < remote.size(); i++) {
      String address = remote.get(i);
      if (address == null || !(address.equals(ANY) || Grammar.isHost(address))) {
        errors.add(
            spec.field("remoteAddresses").index(i),
            "must be an IPv4 or IPv6 address, a host name or \"any\"");
      } else {
        result.add(address);
      }
    }
    return result;
  }

  private List<String> virtualAddresses(IpsecPeerSpec s) {
    List<String> vips = s.getVirtualAddresses() == null ? List.of() : s.getVirtualAddresses();
    for (int i = 0; i < vips.size(); i++) {
      if (!Grammar.isIpAddress(vips.get(i))) {
        errors.add(spec.field("virtualAddresses").index(i), "must be an IPv4 or IPv6 address");
      }
    }
    return vips;
  }

  private void checkIdentity(FieldPath at, String id) {
    if (id != null && !Grammar.isIdentity(id)) {
      errors.add(
          at,
          "not a valid IKE identity: use an IP address, FQDN, user@fqdn, a distinguished name"
              + " such as \"C=CH, O=Example, CN=gw\", %any, or a prefixed form like"
              + " \"fqdn:...\" or \"keyid:#hex\" (printable ASCII only, no quotes or braces)");
    }
  }

  // ---------------------------------------------------------------- children

  /** A child before rendering: its ESP group and selectors are known and valid. */
  private record ChildPlan(
      String suffix,
      EspGroupSpec esp,
      String localTs,
      String remoteTs,
      Integer priority,
      String passthroughTs) {}

  private ConnectionModel.Vti vti(IpsecPeerSpec s) {
    Vti v = s.getVti();
    if (v == null) {
      return null;
    }
    if (!Grammar.isVtiName(v.getBind())) {
      errors.add(
          spec.field("vti").field("bind"), "must name a VTI interface: vti followed by a number");
      return null;
    }
    long number = Long.parseLong(v.getBind().substring(3));
    // VyOS creates vtiN as an XFRM interface with if_id N+1: 0 would match policies without one
    return new ConnectionModel.Vti(v.getBind(), number + 1);
  }

  private List<ChildPlan> childPlans(
      IpsecPeerSpec s, EspGroupSpec defaultEsp, String localAddress) {
    List<ChildPlan> plans = new ArrayList<>();
    List<Tunnel> tunnels = s.getTunnels() == null ? List.of() : s.getTunnels();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < tunnels.size(); i++) {
      Tunnel t = tunnels.get(i);
      FieldPath at = spec.field("tunnels").index(i);
      if (t == null) {
        errors.add(at, "empty tunnel");
        continue;
      }
      if (t.getId() == null) {
        errors.add(at.field("id"), "missing tunnel id");
        continue;
      }
      if (t.getId() < 0 || t.getId() > 65535) {
        errors.add(at.field("id"), "must be between 0 and 65535");
        continue;
      }
      if (!seen.add(t.getId())) {
        errors.add(at.field("id"), "duplicate tunnel id " + t.getId());
        continue;
      }
      EspGroupSpec esp = tunnelEspGroup(at, t, defaultEsp, s);
      ChildPlan plan = tunnelPlan(at, t, esp, s, localAddress);
      if (plan != null && !Boolean.TRUE.equals(t.getDisable())) {
        plans.add(plan);
      }
    }
    if (s.getVti() != null && tunnels.isEmpty()) {
      FieldPath at = spec.field("vti").field("espGroup");
      EspGroupSpec esp;
      if (s.getVti().getEspGroup() != null) {
        esp = optionalEspGroup(at, s.getVti().getEspGroup());
      } else if (s.getDefaultEspGroup() != null) {
        esp = defaultEsp;
      } else {
        errors.add(at, "missing espGroup on vti: set vti.espGroup or defaultEspGroup");
        esp = null;
      }
      if (esp != null) {
        plans.add(new ChildPlan("vti", esp, "0.0.0.0/0,::/0", "0.0.0.0/0,::/0", null, null));
      }
    }
    return plans;
  }

  private EspGroupSpec tunnelEspGroup(
      FieldPath at, Tunnel t, EspGroupSpec defaultEsp, IpsecPeerSpec s) {
    if (t.getEspGroup() != null) {
      return optionalEspGroup(at.field("espGroup"), t.getEspGroup());
    }
    if (s.getDefaultEspGroup() == null) {
      errors.add(
          at.field("espGroup"),
          "missing esp-group on tunnel " + t.getId() + ": set espGroup or defaultEspGroup");
    }
    return defaultEsp;
  }

  private ChildPlan tunnelPlan(
      FieldPath at, Tunnel t, EspGroupSpec esp, IpsecPeerSpec s, String localAddress) {
    int before = errors.size();
    String protocol = selectorProtocol(at, t);
    List<Prefix> localPrefixes = new ArrayList<>();
    List<Prefix> remotePrefixes = new ArrayList<>();
    List<String> localTexts = new ArrayList<>();
    String localTs = prefixes(at.field("local"), t.getLocal(), localPrefixes, localTexts);
    String remoteTs =
        prefixes(at.field("remote"), t.getRemote(), remotePrefixes, new ArrayList<>());
    port(at.field("local").field("port"), t.getLocal());
    port(at.field("remote").field("port"), t.getRemote());
    CryptoGroups.checkRange(errors, at.field("priority"), t.getPriority(), 1, 100);
    if (esp == null || protocol == null || errors.size() > before) {
      return null;
    }
    String localSuffix = suffix(protocol, t.getLocal());
    String remoteSuffix = suffix(protocol, t.getRemote());
    boolean transport = esp.getMode() == EspMode.TRANSPORT;
    if (transport) {
      if (t.getProtocol() != null && (ANY.equals(localAddress) || "0.0.0.0".equals(localAddress))) {
        errors.add(
            at.field("protocol"),
            "fixed localAddress required when a protocol is defined with ESP transport mode on"
                + " tunnel "
                + t.getId());
      }
      if (hasPrefixes(t.getLocal()) || hasPrefixes(t.getRemote())) {
        errors.add(
            at,
            "local/remote prefix cannot be used with ESP transport mode on tunnel " + t.getId());
      }
      if (errors.size() > before) {
        return null;
      }
      return new ChildPlan(
          "tunnel-" + t.getId(),
          esp,
          transportSelector(List.of(localAddress), localSuffix),
          transportSelector(s.getRemoteAddresses(), remoteSuffix),
          null,
          null);
    }
    String passthrough = overlap(localPrefixes, localTexts, remotePrefixes);
    return new ChildPlan(
        "tunnel-" + t.getId(),
        esp,
        withSuffix(localTs, localSuffix),
        withSuffix(remoteTs, remoteSuffix),
        t.getPriority(),
        passthrough);
  }

  /**
   * The protocol part of the selector suffix: its number, "" when unset or "any", null when it is
   * not a protocol.
   */
  private String selectorProtocol(FieldPath at, Tunnel t) {
    if (t.getProtocol() == null) {
      return "";
    }
    OptionalInt number = Protocols.number(t.getProtocol());
    if (number.isEmpty()) {
      errors.add(
          at.field("protocol"),
          "unknown IP protocol: use a name such as tcp, udp, gre or a number from 0 to 255");
      return null;
    }
    return number.getAsInt() == 0 ? "" : Integer.toString(number.getAsInt());
  }

  /** VyOS's {@code [proto/port]} for one side, or "" when neither is set. */
  private static String suffix(String protocol, TrafficSelector side) {
    Integer port = side == null ? null : side.getPort();
    if (protocol.isEmpty() && port == null) {
      return "";
    }
    return "[" + protocol + "/" + (port == null ? "" : port) + "]";
  }

  /**
   * The selector text of one side; {@code parsed} and {@code texts} receive each prefix and its
   * text in the same order ({@code any} counts as both address families).
   */
  private String prefixes(
      FieldPath at, TrafficSelector side, List<Prefix> parsed, List<String> texts) {
    if (!hasPrefixes(side)) {
      return null;
    }
    List<String> list = side.getPrefixes();
    boolean any = false;
    for (int i = 0; i < list.size(); i++) {
      String p = list.get(i);
      if (ANY.equals(p)) {
        any = true;
        parsed.add(Prefix.parse("0.0.0.0/0"));
        texts.add("0.0.0.0/0");
        parsed.add(Prefix.parse("::/0"));
        texts.add("::/0");
      } else {
        Prefix prefix = Prefix.parse(p);
        if (prefix == null) {
          errors.add(at.field("prefixes").index(i), "must be a prefix in CIDR notation or \"any\"");
        } else {
          parsed.add(prefix);
          texts.add(p);
        }
      }
    }
    return any ? "0.0.0.0/0,::/0" : String.join(",", list);
  }

  private void port(FieldPath at, TrafficSelector side) {
    if (side != null) {
      CryptoGroups.checkRange(errors, at, side.getPort(), 1, 65535);
    }
  }

  private static boolean hasPrefixes(TrafficSelector side) {
    return side != null && side.getPrefixes() != null && !side.getPrefixes().isEmpty();
  }

  /**
   * Adds the suffix to every selector. Without prefixes there is no selector line, as in VyOS,
   * unless a protocol or port is set: then {@code dynamic[proto/port]} keeps the restriction
   * instead of silently dropping it.
   */
  private static String withSuffix(String selectors, String suffix) {
    if (selectors == null) {
      return suffix.isEmpty() ? null : "dynamic" + suffix;
    }
    if (suffix.isEmpty()) {
      return selectors;
    }
    StringJoiner joined = new StringJoiner(",");
    for (String s : selectors.split(",")) {
      joined.add(s + suffix);
    }
    return joined.toString();
  }

  /**
   * Transport mode selects the tunnel endpoints themselves. Where an endpoint is not a fixed
   * address ({@code any}, a host name) it is strongSwan's {@code dynamic}, which is the address the
   * IKE SA actually uses.
   */
  private static String transportSelector(List<String> addresses, String suffix) {
    List<String> fixed = addresses == null ? List.of() : addresses;
    boolean allAddresses = !fixed.isEmpty() && fixed.stream().allMatch(Grammar::isIpAddress);
    return withSuffix(allAddresses ? String.join(",", fixed) : "dynamic", suffix);
  }

  /** The local prefixes that overlap a remote prefix, for VyOS's passthrough child. */
  private static String overlap(List<Prefix> local, List<String> texts, List<Prefix> remote) {
    if (local.isEmpty() || remote.isEmpty()) {
      return null;
    }
    StringJoiner overlapping = new StringJoiner(",");
    for (int i = 0; i < local.size(); i++) {
      Prefix l = local.get(i);
      if (remote.stream().anyMatch(l::overlaps)) {
        overlapping.add(texts.get(i));
      }
    }
    return overlapping.length() == 0 ? null : overlapping.toString();
  }

  // ---------------------------------------------------------------- model

  private ConnectionModel model(
      String conn,
      IpsecPeerSpec s,
      IkeGroupSpec ike,
      String localAddress,
      List<String> remoteAddresses,
      List<String> vips,
      AuthenticationResolver.AuthParts auth,
      int replayWindow,
      ConnectionModel.Vti vti,
      List<ChildPlan> plans) {
    ConnectionType type =
        s.getConnectionType() == null ? ConnectionType.INITIATE : s.getConnectionType();
    String startAction =
        switch (type) {
          case INITIATE -> "start";
          case RESPOND -> "trap";
          case NONE -> "none";
        };
    Integer keyingtries =
        switch (type) {
          case INITIATE -> 0;
          case RESPOND -> 1;
          case NONE -> null;
        };
    DeadPeerDetection dpdSpec = ike.getDeadPeerDetection();
    ConnectionModel.Dpd dpd =
        dpdSpec == null
            ? null
            : new ConnectionModel.Dpd(
                dpdSpec.getTimeout() == null
                    ? CryptoGroups.DEFAULT_DPD_TIMEOUT
                    : dpdSpec.getTimeout(),
                dpdSpec.getInterval() == null
                    ? CryptoGroups.DEFAULT_DPD_INTERVAL
                    : dpdSpec.getInterval(),
                dpdAction(dpdSpec.getAction()));
    String closeAction = closeAction(ike.getCloseAction());
    List<ConnectionModel.Child> children = new ArrayList<>();
    for (ChildPlan plan : plans) {
      children.add(
          child(
              conn + "-" + plan.suffix(),
              plan,
              groups.espProposals(plan.esp(), ike),
              startAction,
              dpd,
              closeAction,
              replayWindow,
              vti));
      if (plan.passthroughTs() != null) {
        children.add(
            ConnectionModel.Child.passthrough(
                conn + "-" + plan.suffix() + "-passthrough", plan.passthroughTs()));
      }
    }
    boolean anyRemote = remoteAddresses.isEmpty() || remoteAddresses.contains(ANY);
    int version =
        ike.getKeyExchange() == null ? 0 : ike.getKeyExchange() == KeyExchange.IKEV1 ? 1 : 2;
    return new ConnectionModel(
        conn,
        groups.ikeProposals(ike),
        version,
        vips,
        ANY.equals(localAddress) ? "%any" : localAddress,
        anyRemote ? "%any" : String.join(",", remoteAddresses),
        auth.sendCert(),
        dpd,
        ike.getKeyExchange() == KeyExchange.IKEV1 && ike.getMode() == IkeMode.AGGRESSIVE,
        ike.getLifetime() == null ? CryptoGroups.DEFAULT_IKE_LIFETIME : ike.getLifetime(),
        !Boolean.TRUE.equals(ike.getDisableMobike()),
        keyingtries,
        Boolean.TRUE.equals(s.getForceUdpEncapsulation()),
        auth.local(),
        auth.remote(),
        children,
        auth.secrets(),
        auth.publicFiles(),
        auth.privateFiles());
  }

  /**
   * One CHILD_SA. The ESP lifetime is VyOS's hard limit ({@code life_time}, as since T6599); the
   * soft limit is written explicitly as {@code rekey_time = life_time / 1.1} (rounded down), which
   * is what strongSwan 5.9.9+ derives by itself (commit a2b1e06f). strongSwan 5.9.8 in Debian 12
   * does not derive it and would keep its 1 h default, so rekeying could coincide with expiry. The
   * same rule gives {@code rekey_bytes} and {@code rekey_packets} for the byte and packet limits.
   */
  private static ConnectionModel.Child child(
      String name,
      ChildPlan plan,
      String espProposals,
      String startAction,
      ConnectionModel.Dpd dpd,
      String closeAction,
      int replayWindow,
      ConnectionModel.Vti vti) {
    EspGroupSpec esp = plan.esp();
    boolean disableRekey = Boolean.TRUE.equals(esp.getDisableRekey());
    int life = esp.getLifetime() == null ? CryptoGroups.DEFAULT_ESP_LIFETIME : esp.getLifetime();
    Long lifeBytes = esp.getLifeBytes();
    Long lifePackets = esp.getLifePackets();
    return new ConnectionModel.Child(
        name,
        espProposals,
        lifeBytes,
        lifeBytes == null || disableRekey ? null : softLimit(lifeBytes),
        lifePackets,
        lifePackets == null || disableRekey ? null : softLimit(lifePackets),
        life,
        disableRekey ? null : (int) softLimit(life),
        disableRekey,
        plan.localTs(),
        plan.remoteTs(),
        plan.priority(),
        Boolean.TRUE.equals(esp.getCompression()),
        esp.getMode() == EspMode.TRANSPORT ? "transport" : "tunnel",
        startAction,
        dpd == null ? null : dpd.action(),
        closeAction,
        replayWindow,
        vti);
  }

  /** strongSwan's own derivation: {@code rekey = life / 1.1}, in integer arithmetic. */
  static long softLimit(long life) {
    return life * 10 / 11;
  }

  /** VyOS migration 12-to-13: {@code hold} became {@code trap}; swanctl never accepts hold. */
  private static String dpdAction(DpdAction action) {
    if (action == null) {
      return "clear";
    }
    return switch (action) {
      case TRAP, HOLD -> "trap";
      case CLEAR -> "clear";
      case RESTART -> "restart";
    };
  }

  private static String closeAction(CloseAction action) {
    if (action == null) {
      return "none";
    }
    return switch (action) {
      case NONE -> "none";
      case TRAP, HOLD -> "trap";
      case START, RESTART -> "start";
    };
  }
}
