package dev.ipsec.operator.vyos;

import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.CaCertificateRef;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.Patterns;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.PreSharedSecret;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import dev.ipsec.operator.api.v1alpha1.SecretNameRef;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.api.v1alpha1.X509Authentication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Peers after all lines are read: group names resolved to the imported objects, the pre-shared key
 * found (per peer, or matched among the global entries), the Secrets the peers refer to.
 */
final class PeerAssembly {

  static final String PSK_KEY = "psk";
  static final String PASSPHRASE_KEY = "passphrase";
  static final String CA_KEY = "ca.crt";

  private final VyosImport in;
  private final String namespace;
  private final String gateway;
  private final Map<String, String> ikeNames;
  private final Map<String, String> espNames;
  private final List<PskEntry> psks;
  private final List<IpsecPeer> peers = new ArrayList<>();
  private final Map<String, ImportedSecret> secrets = new LinkedHashMap<>();

  PeerAssembly(
      VyosImport in,
      String namespace,
      String gateway,
      Map<String, String> ikeNames,
      Map<String, String> espNames,
      List<PskEntry> psks) {
    this.in = in;
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
      auth.setX509(x509(draft, peerName));
    }
    return auth;
  }

  private SecretKeyRef psk(PeerDraft draft, String peerName) {
    if (draft.legacySecret != null) {
      String secretName = peerName + "-psk";
      secrets.put(secretName, new ImportedSecret(secretName, Map.of(PSK_KEY, draft.legacySecret)));
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
      secrets.put(secretName, new ImportedSecret(secretName, Map.of(PSK_KEY, entry.secret)));
    }
    return new SecretKeyRef(secretName, PSK_KEY);
  }

  private X509Authentication x509(PeerDraft draft, String peerName) {
    X509Authentication x509 = new X509Authentication();
    if (draft.x509Certificate == null || draft.caCertificates.isEmpty()) {
      in.error(
          lineOf(draft.authenticationLine),
          "missing x509 certificates on site-to-site peer " + draft.vyosName);
    }
    if (draft.x509Certificate != null) {
      String cert = VyosNames.objectName(draft.x509Certificate);
      x509.setCertificate(new SecretNameRef(cert));
      in.warn(
          lineOf(draft.authenticationLine),
          "create the kubernetes.io/tls Secret "
              + cert
              + " from VyOS `pki certificate "
              + draft.x509Certificate
              + "` (not part of vpn ipsec)");
    }
    for (String ca : draft.caCertificates) {
      CaCertificateRef ref = new CaCertificateRef();
      String caName = VyosNames.objectName(ca);
      ref.setSecretRef(new SecretKeyRef(caName, CA_KEY));
      x509.getCaCertificates().add(ref);
      in.warn(
          lineOf(draft.authenticationLine),
          "create the Secret " + caName + " (key ca.crt) from VyOS `pki ca " + ca + "`");
    }
    if (draft.x509Passphrase != null) {
      String secretName = peerName + "-x509";
      secrets.put(
          secretName, new ImportedSecret(secretName, Map.of(PASSPHRASE_KEY, draft.x509Passphrase)));
      x509.setPassphrase(new SecretKeyRef(secretName, PASSPHRASE_KEY));
    }
    return x509;
  }

  private static List<String> listOf(String value) {
    return value == null ? List.of() : List.of(value);
  }

  private static VyosLine lineOf(int number) {
    return new VyosLine(number, List.of());
  }
}
