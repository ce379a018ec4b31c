package dev.ipsec.operator.vyos;

import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.Patterns;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.PreSharedSecret;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Peers after all lines are read: group names resolved to the imported objects, the pre-shared key
 * found (per peer, or matched among the global entries), the Secrets the peers refer to.
 */
final class PeerAssembly {

  static final String PSK_KEY = "psk";

  private final VyosImport in;
  private final String namespace;
  private final String gateway;
  private final Map<String, String> ikeNames;
  private final Map<String, String> espNames;
  private final List<PskEntry> psks;
  private final PkiAuthentication pki;
  private int currentLine;
  private final List<IpsecPeer> peers = new ArrayList<>();
  private final Map<String, ImportedSecret> secrets = new LinkedHashMap<>();

  PeerAssembly(
      VyosImport in,
      String namespace,
      String gateway,
      Map<String, String> ikeNames,
      Map<String, String> espNames,
      List<PskEntry> psks,
      VyosPki pkiEntries) {
    this.in = in;
    this.pki = new PkiAuthentication(in, pkiEntries, s -> putSecret(s, currentLine));
    this.namespace = namespace;
    this.gateway = gateway;
    this.ikeNames = ikeNames;
    this.espNames = espNames;
    this.psks = psks;
  }

  List<IpsecPeer> peers() {
    return peers;
  }

  List<ImportedSecret> secrets() {
    return new ArrayList<>(secrets.values());
  }

  void add(PeerDraft draft) {
    String name = in.objectName("site-to-site peer", draft.vyosName, draft.line);
    if (name == null) {
      return;
    }
    IpsecPeerSpec spec = draft.spec;
    spec.setGateway(gateway);
    spec.setIkeGroup(group(ikeNames, spec.getIkeGroup(), "ike-group", draft));
    spec.setDefaultEspGroup(group(espNames, spec.getDefaultEspGroup(), "esp-group", draft));
    List<Tunnel> tunnels = new ArrayList<>(draft.tunnels.values());
    for (Tunnel tunnel : tunnels) {
      tunnel.setEspGroup(group(espNames, tunnel.getEspGroup(), "esp-group", draft));
    }
    spec.setTunnels(tunnels);
    if (spec.getVti() != null) {
      if (spec.getVti().getBind() == null
          || !spec.getVti().getBind().matches(Patterns.VTI_INTERFACE)) {
        in.warn(
            lineOf(draft.vtiLine),
            "vti bind '"
                + spec.getVti().getBind()
                + "' of peer "
                + draft.vyosName
                + " is not an interface the gateway can create (vtiN): the VTI is left out");
        spec.setVti(null);
      } else {
        spec.getVti().setEspGroup(group(espNames, spec.getVti().getEspGroup(), "esp-group", draft));
      }
    }
    currentLine = draft.authenticationLine;
    spec.setAuthentication(authentication(draft, name));
    IpsecPeer peer = new IpsecPeer();
    peer.setMetadata(VyosObjects.metadata(name, namespace));
    peer.setSpec(spec);
    peers.add(peer);
  }

  private String group(Map<String, String> names, String vyosName, String kind, PeerDraft draft) {
    if (vyosName == null) {
      return null;
    }
    String name = names.get(vyosName);
    if (name == null) {
      in.error(
          lineOf(draft.line),
          "invalid " + kind + " '" + vyosName + "' on site-to-site peer " + draft.vyosName);
      return VyosNames.objectName(vyosName);
    }
    return name;
  }

  private PeerAuthentication authentication(PeerDraft draft, String peerName) {
    PeerAuthentication auth = draft.authentication;
    if (auth.getMode() == null) {
      in.error(lineOf(draft.line), "missing authentication on site-to-site peer " + draft.vyosName);
      return auth;
    }
    if (auth.getMode() == AuthenticationMode.PRE_SHARED_SECRET) {
      auth.setPreSharedSecret(new PreSharedSecret(psk(draft, peerName)));
    } else if (draft.legacySecret != null) {
      in.warn(
          lineOf(draft.authenticationLine),
          "pre-shared-secret of peer "
              + draft.vyosName
              + " is not used: its authentication mode is "
              + auth.getMode().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (auth.getMode() == AuthenticationMode.X509) {
      auth.setX509(pki.x509(draft, peerName));
    } else if (draft.x509Certificate != null || !draft.caCertificates.isEmpty()) {
      notUsed(
          draft,
          "x509",
          draft.x509Certificate != null ? draft.x509Certificate : draft.caCertificates.get(0));
    }
    if (auth.getMode() == AuthenticationMode.RSA) {
      auth.setRsa(pki.rsa(draft));
    } else if (draft.rsaLocalKey != null || draft.rsaRemoteKey != null) {
      notUsed(draft, "rsa", draft.rsaLocalKey != null ? draft.rsaLocalKey : draft.rsaRemoteKey);
    }
    return auth;
  }

  private void notUsed(PeerDraft draft, String what, VyosLine line) {
    in.warn(
        line,
        what
            + " settings of peer "
            + draft.vyosName
            + " are not used: its authentication mode is "
            + draft
                .authentication
                .getMode()
                .name()
                .toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-'));
  }

  /**
   * Adds a Secret; the same name with other contents is an error, never a silent overwrite (a pki
   * entry and a PSK entry, or a CA and a certificate, can map to one name).
   */
  private void putSecret(ImportedSecret secret, int line) {
    ImportedSecret previous = secrets.putIfAbsent(secret.name(), secret);
    if (previous != null && !previous.equals(secret)) {
      Optional<ImportedSecret> merged =
          caIntoTls(previous, secret).or(() -> caIntoTls(secret, previous));
      if (merged.isPresent()) {
        secrets.put(secret.name(), merged.get());
        return;
      }
      in.error(
          lineOf(line),
          "two different Secrets would both be named "
              + secret.name()
              + " (keys "
              + new java.util.TreeSet<>(previous.data().keySet())
              + " and "
              + new java.util.TreeSet<>(secret.data().keySet())
              + "): rename one of their VyOS entries");
    }
  }

  /**
   * A CA and a certificate of one name share a Secret as cert-manager writes it ({@code tls.crt},
   * {@code tls.key} and {@code ca.crt} in one {@code kubernetes.io/tls} Secret), which is also what
   * {@code export-vyos} makes of such a Secret; anything else of one name is a clash.
   */
  private static Optional<ImportedSecret> caIntoTls(ImportedSecret tls, ImportedSecret ca) {
    if (!tls.type().equals(ImportedSecret.TLS)
        || !ca.type().equals(ImportedSecret.OPAQUE)
        || !ca.data().keySet().equals(java.util.Set.of(PkiAuthentication.CA_KEY))
        || tls.data().containsKey(PkiAuthentication.CA_KEY)) {
      return Optional.empty();
    }
    Map<String, String> data = new java.util.TreeMap<>(tls.data());
    data.putAll(ca.data());
    return Optional.of(new ImportedSecret(tls.name(), ImportedSecret.TLS, data));
  }

  private SecretKeyRef psk(PeerDraft draft, String peerName) {
    if (draft.legacySecret != null) {
      String secretName = peerName + "-psk";
      putSecret(new ImportedSecret(secretName, Map.of(PSK_KEY, draft.legacySecret)), draft.line);
      return new SecretKeyRef(secretName, PSK_KEY);
    }
    PeerAuthentication auth = draft.authentication;
    List<String> local =
        PskMatch.identities(auth.getLocalId(), listOf(draft.spec.getLocalAddress()));
    List<String> remote = PskMatch.identities(auth.getRemoteId(), draft.spec.getRemoteAddresses());
    List<PskEntry> best = PskMatch.best(psks, local, remote);
    if (best.size() != 1) {
      in.error(
          lineOf(draft.authenticationLine),
          best.isEmpty()
              ? "no authentication psk entry has an id of site-to-site peer "
                  + draft.vyosName
                  + " (its remote-id or remote-address: "
                  + remote
                  + ")"
              : "authentication psk entries "
                  + best.stream().map(e -> e.name).collect(Collectors.joining(", "))
                  + " match site-to-site peer "
                  + draft.vyosName
                  + " equally well");
      return new SecretKeyRef(peerName + "-psk", PSK_KEY);
    }
    PskEntry entry = best.get(0);
    String secretName = "psk-" + VyosNames.objectName(entry.name);
    if (entry.secret == null || entry.ids.isEmpty()) {
      in.error(
          lineOf(entry.line),
          "Authentication psk \"" + entry.name + "\" missing \"id\" or \"secret\"");
    } else {
      putSecret(new ImportedSecret(secretName, Map.of(PSK_KEY, entry.secret)), entry.line);
    }
    return new SecretKeyRef(secretName, PSK_KEY);
  }

  private static List<String> listOf(String value) {
    return value == null ? List.of() : List.of(value);
  }

  private static VyosLine lineOf(int number) {
    return new VyosLine(number, List.of());
  }
}
