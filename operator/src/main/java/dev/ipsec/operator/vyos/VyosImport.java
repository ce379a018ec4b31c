package dev.ipsec.operator.vyos;

import dev.ipsec.operator.api.v1alpha1.CloseAction;
import dev.ipsec.operator.api.v1alpha1.DeadPeerDetection;
import dev.ipsec.operator.api.v1alpha1.DpdAction;
import dev.ipsec.operator.api.v1alpha1.Encryption;
import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.EspGroupSpec;
import dev.ipsec.operator.api.v1alpha1.EspMode;
import dev.ipsec.operator.api.v1alpha1.EspProposal;
import dev.ipsec.operator.api.v1alpha1.GlobalOptions;
import dev.ipsec.operator.api.v1alpha1.Hash;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroupSpec;
import dev.ipsec.operator.api.v1alpha1.IkeMode;
import dev.ipsec.operator.api.v1alpha1.IkeProposal;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalSpec;
import dev.ipsec.operator.api.v1alpha1.KeyExchange;
import dev.ipsec.operator.api.v1alpha1.LogSettings;
import dev.ipsec.operator.api.v1alpha1.LogSubsystem;
import dev.ipsec.operator.api.v1alpha1.Pfs;
import dev.ipsec.operator.api.v1alpha1.Prf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The {@code vpn ipsec} tree of a VyOS configuration turned into IkeGroups, EspGroups, IpsecPeers,
 * one IpsecGlobal and the Secrets of the pre-shared keys, and of the {@code pki} certificates and
 * keys the x509 and rsa peers name ({@link PkiAuthentication}). Values the API shares with VyOS
 * (its keywords and ranges) are carried as they are; the API's defaults are VyOS's, so an option
 * left unset stays unset. Every line either sets something, is a warning (understood, no
 * equivalent) or an error (unknown or malformed); the CRD schema checks ranges and patterns
 * afterwards.
 */
public final class VyosImport {

  private final String namespace;
  private final String gateway;
  private final List<VyosProblem> problems = new ArrayList<>();
  private final Map<String, IkeDraft> ikeGroups = new LinkedHashMap<>();
  private final Map<String, EspDraft> espGroups = new LinkedHashMap<>();
  private final Map<String, PeerDraft> peers = new LinkedHashMap<>();
  private final Map<String, PskEntry> psks = new LinkedHashMap<>();
  private final IpsecGlobalSpec global = new IpsecGlobalSpec();
  private final Map<String, String> objectNames = new HashMap<>();

  private final VyosPki pki;

  private VyosImport(String namespace, String gateway, VyosPki pki) {
    this.namespace = namespace;
    this.gateway = gateway;
    this.pki = pki;
  }

  /** Imports {@code text}, the output of {@code show configuration commands}. */
  public static VyosImportResult fromText(String text, String namespace, String gateway) {
    VyosTokenizer.Tokenized tokens = VyosTokenizer.tokenize(text);
    VyosImport importer = new VyosImport(namespace, gateway, new VyosPki(tokens.pkiLines()));
    importer.problems.addAll(tokens.errors());
    for (VyosLine line : tokens.lines()) {
      importer.dispatch(line);
    }
    return importer.result();
  }

  private void dispatch(VyosLine line) {
    if (line.size() == 0) {
      return;
    }
    switch (line.word(0)) {
      case "ike-group" -> ikeGroup(line);
      case "esp-group" -> espGroup(line);
      case "site-to-site" -> siteToSite(line);
      case "authentication" -> globalAuthentication(line);
      case "interface" -> value(line, 1, v -> global.getInterfaces().add(v));
      case "options" -> options(line);
      case "log" -> log(line);
      case "disable-uniqreqids" ->
          warn(line, "disable-uniqreqids has no equivalent (the VyOS templates ignore it too)");
      case "remote-access" -> warn(line, "remote-access is not imported: no equivalent");
      case "profile" -> warn(line, "DMVPN profiles are not imported: no equivalent");
      default -> unknown(line, 0);
    }
  }

  // ---- ike-group -------------------------------------------------------------------------

  private void ikeGroup(VyosLine line) {
    if (line.size() < 2) {
      error(line, "ike-group needs a name");
      return;
    }
    IkeDraft group = ikeGroups.computeIfAbsent(line.word(1), n -> new IkeDraft(line.number()));
    IkeGroupSpec spec = group.spec;
    if (line.size() == 2) {
      return;
    }
    switch (line.word(2)) {
      case "close-action" -> keyword(line, 3, CloseAction.class, spec::setCloseAction);
      case "key-exchange" -> keyword(line, 3, KeyExchange.class, spec::setKeyExchange);
      case "mode" -> keyword(line, 3, IkeMode.class, spec::setMode);
      case "lifetime" -> integer(line, 3, spec::setLifetime);
      case "ikev2-reauth" -> flag(line, 3, () -> spec.setIkev2Reauth(true));
      case "disable-mobike" -> flag(line, 3, () -> spec.setDisableMobike(true));
      case "dead-peer-detection" -> deadPeerDetection(line, spec);
      case "proposal" -> ikeProposal(line, group);
      default -> unknown(line, 2);
    }
  }

  private void deadPeerDetection(VyosLine line, IkeGroupSpec spec) {
    if (spec.getDeadPeerDetection() == null) {
      spec.setDeadPeerDetection(new DeadPeerDetection());
    }
    DeadPeerDetection dpd = spec.getDeadPeerDetection();
    if (line.size() == 3) {
      return;
    }
    switch (line.word(3)) {
      case "action" -> keyword(line, 4, DpdAction.class, dpd::setAction);
      case "interval" -> integer(line, 4, dpd::setInterval);
      case "timeout" -> integer(line, 4, dpd::setTimeout);
      default -> unknown(line, 3);
    }
  }

  private void ikeProposal(VyosLine line, IkeDraft group) {
    Optional<Integer> number = proposalNumber(line);
    if (number.isEmpty()) {
      return;
    }
    IkeProposal proposal = group.proposals.computeIfAbsent(number.get(), n -> new IkeProposal());
    if (line.size() == 4) {
      return;
    }
    switch (line.word(4)) {
      case "encryption" -> keyword(line, 5, Encryption.class, proposal::setEncryption);
      case "hash" -> keyword(line, 5, Hash.class, proposal::setHash);
      case "prf" -> keyword(line, 5, Prf.class, proposal::setPrf);
      case "dh-group" -> integer(line, 5, proposal::setDhGroup);
      default -> unknown(line, 4);
    }
  }

  // ---- esp-group -------------------------------------------------------------------------

  private void espGroup(VyosLine line) {
    if (line.size() < 2) {
      error(line, "esp-group needs a name");
      return;
    }
    EspDraft group = espGroups.computeIfAbsent(line.word(1), n -> new EspDraft(line.number()));
    EspGroupSpec spec = group.spec;
    if (line.size() == 2) {
      return;
    }
    switch (line.word(2)) {
      case "mode" -> keyword(line, 3, EspMode.class, spec::setMode);
      case "pfs" -> keyword(line, 3, Pfs.class, spec::setPfs);
      case "lifetime" -> integer(line, 3, spec::setLifetime);
      case "life-bytes" -> longValue(line, 3, spec::setLifeBytes);
      case "life-packets" -> longValue(line, 3, spec::setLifePackets);
      case "compression" -> flag(line, 3, () -> spec.setCompression(true));
      case "disable-rekey" -> flag(line, 3, () -> spec.setDisableRekey(true));
      case "proposal" -> espProposal(line, group);
      default -> unknown(line, 2);
    }
  }

  private void espProposal(VyosLine line, EspDraft group) {
    Optional<Integer> number = proposalNumber(line);
    if (number.isEmpty()) {
      return;
    }
    EspProposal proposal = group.proposals.computeIfAbsent(number.get(), n -> new EspProposal());
    if (line.size() == 4) {
      return;
    }
    switch (line.word(4)) {
      case "encryption" -> keyword(line, 5, Encryption.class, proposal::setEncryption);
      case "hash" -> keyword(line, 5, Hash.class, proposal::setHash);
      default -> unknown(line, 4);
    }
  }

  private Optional<Integer> proposalNumber(VyosLine line) {
    if (line.size() < 4) {
      error(line, "proposal needs a number");
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(line.word(3));
      if (n >= 1 && n <= 65535) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    error(line, "proposal number '" + line.word(3) + "' is not 1-65535");
    return Optional.empty();
  }

  // ---- site-to-site ----------------------------------------------------------------------

  private void siteToSite(VyosLine line) {
    if (line.size() < 3 || !line.word(1).equals("peer")) {
      unknown(line, 1);
      return;
    }
    PeerDraft peer = peers.computeIfAbsent(line.word(2), n -> new PeerDraft(n, line.number()));
    if (line.size() == 3) {
      return;
    }
    new PeerLines(this, peer).apply(line);
  }

  // ---- global ----------------------------------------------------------------------------

  private void globalAuthentication(VyosLine line) {
    if (line.size() < 3 || !line.word(1).equals("psk")) {
      unknown(line, 1);
      return;
    }
    PskEntry entry = psks.computeIfAbsent(line.word(2), n -> new PskEntry(n, line.number()));
    if (line.size() == 3) {
      return;
    }
    switch (line.word(3)) {
      case "id" -> value(line, 4, entry.ids::add);
      case "secret" -> value(line, 4, v -> entry.secret = v);
      case "dhcp-interface" ->
          warn(
              line,
              "the addresses of a DHCP interface are not known to the import: add the peer's"
                  + " address as an id of psk "
                  + entry.name
                  + " if a peer relies on it");
      default -> unknown(line, 3);
    }
  }

  private void options(VyosLine line) {
    if (global.getOptions() == null) {
      global.setOptions(new GlobalOptions());
    }
    GlobalOptions options = global.getOptions();
    if (line.size() == 1) {
      return;
    }
    switch (line.word(1)) {
      case "disable-route-autoinstall" ->
          flag(line, 2, () -> options.setDisableRouteAutoinstall(true));
      case "flexvpn" -> flag(line, 2, () -> options.setFlexvpn(true));
      case "virtual-ip" -> flag(line, 2, () -> options.setVirtualIp(true));
      case "interface" -> value(line, 2, options::setVirtualIpInterface);
      default -> unknown(line, 1);
    }
  }

  private void log(VyosLine line) {
    if (global.getLog() == null) {
      global.setLog(new LogSettings());
    }
    LogSettings log = global.getLog();
    if (line.size() == 1) {
      return;
    }
    switch (line.word(1)) {
      case "level" -> integer(line, 2, log::setLevel);
      case "subsystem" -> keyword(line, 2, LogSubsystem.class, log.getSubsystems()::add);
      default -> unknown(line, 1);
    }
  }

  // ---- values ----------------------------------------------------------------------------

  void value(VyosLine line, int index, Consumer<String> setter) {
    if (line.size() != index + 1) {
      error(line, line.size() <= index ? "a value is missing" : "unexpected words after the value");
      return;
    }
    setter.accept(line.word(index));
  }

  void flag(VyosLine line, int index, Runnable setter) {
    if (line.size() != index) {
      error(line, "'" + line.word(index - 1) + "' takes no value");
      return;
    }
    setter.run();
  }

  void integer(VyosLine line, int index, Consumer<Integer> setter) {
    value(
        line,
        index,
        v -> {
          try {
            setter.accept(Integer.parseInt(v));
          } catch (NumberFormatException e) {
            error(line, "'" + v + "' is not a number");
          }
        });
  }

  void longValue(VyosLine line, int index, Consumer<Long> setter) {
    value(
        line,
        index,
        v -> {
          try {
            setter.accept(Long.parseLong(v));
          } catch (NumberFormatException e) {
            error(line, "'" + v + "' is not a number");
          }
        });
  }

  <E extends Enum<E>> void keyword(VyosLine line, int index, Class<E> type, Consumer<E> setter) {
    value(
        line,
        index,
        v ->
            VyosKeywords.parse(type, v)
                .ifPresentOrElse(
                    setter,
                    () ->
                        error(
                            line,
                            "'" + v + "' is not a valid " + line.word(index - 1) + " value")));
  }

  void unknown(VyosLine line, int index) {
    String word = index < line.size() ? line.word(index) : "(nothing)";
    error(line, "unknown option '" + word + "' in: " + line.text());
  }

  void error(VyosLine line, String message) {
    problems.add(VyosProblem.error(line.number(), message));
  }

  void warn(VyosLine line, String message) {
    problems.add(VyosProblem.warning(line.number(), message));
  }

  // ---- result ----------------------------------------------------------------------------

  /** The Kubernetes name for a VyOS name of a kind; an error when it cannot be made or clashes. */
  String objectName(String kind, String vyosName, int line) {
    String name = VyosNames.objectName(vyosName);
    if (name.isEmpty()) {
      problems.add(
          VyosProblem.error(line, kind + " '" + vyosName + "' has no usable Kubernetes name"));
      return null;
    }
    String previous = objectNames.putIfAbsent(kind + "/" + name, vyosName);
    if (previous != null && !previous.equals(vyosName)) {
      problems.add(
          VyosProblem.error(
              line,
              kind
                  + " '"
                  + vyosName
                  + "' and '"
                  + previous
                  + "' would both be named "
                  + name
                  + ": rename one in VyOS first"));
      return null;
    }
    if (!name.equals(vyosName)) {
      problems.add(
          VyosProblem.warning(line, kind + " '" + vyosName + "' is imported as '" + name + "'"));
    }
    return name;
  }

  private VyosImportResult result() {
    List<IkeGroup> ikes = new ArrayList<>();
    Map<String, String> ikeNames = new HashMap<>();
    ikeGroups.forEach(
        (vyosName, draft) -> {
          String name = objectName("ike-group", vyosName, draft.line);
          if (name != null) {
            ikeNames.put(vyosName, name);
            draft.spec.setProposals(new ArrayList<>(draft.proposals.values()));
            IkeGroup group = new IkeGroup();
            group.setMetadata(VyosObjects.metadata(name, namespace));
            group.setSpec(draft.spec);
            ikes.add(group);
          }
        });
    List<EspGroup> esps = new ArrayList<>();
    Map<String, String> espNames = new HashMap<>();
    espGroups.forEach(
        (vyosName, draft) -> {
          String name = objectName("esp-group", vyosName, draft.line);
          if (name != null) {
            espNames.put(vyosName, name);
            draft.spec.setProposals(new ArrayList<>(draft.proposals.values()));
            EspGroup group = new EspGroup();
            group.setMetadata(VyosObjects.metadata(name, namespace));
            group.setSpec(draft.spec);
            esps.add(group);
          }
        });
    PeerAssembly assembly =
        new PeerAssembly(
            this, namespace, gateway, ikeNames, espNames, List.copyOf(psks.values()), pki);
    peers.values().forEach(assembly::add);
    IpsecGlobal ipsecGlobal = new IpsecGlobal();
    ipsecGlobal.setMetadata(VyosObjects.metadata(gateway, namespace));
    ipsecGlobal.setSpec(global);
    List<VyosProblem> ordered = new ArrayList<>(problems);
    ordered.sort(java.util.Comparator.comparingInt(VyosProblem::line));
    return new VyosImportResult(
        ipsecGlobal, ikes, esps, assembly.peers(), assembly.secrets(), ordered);
  }

  private static final class IkeDraft {
    final int line;
    final IkeGroupSpec spec = new IkeGroupSpec();
    final TreeMap<Integer, IkeProposal> proposals = new TreeMap<>();

    IkeDraft(int line) {
      this.line = line;
    }
  }

  private static final class EspDraft {
    final int line;
    final EspGroupSpec spec = new EspGroupSpec();
    final TreeMap<Integer, EspProposal> proposals = new TreeMap<>();

    EspDraft(int line) {
      this.line = line;
    }
  }
}
