package dev.ipsec.operator.vyos;

import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** One {@code site-to-site peer} while its lines are read; group names still VyOS's. */
final class PeerDraft {
  final String vyosName;
  final int line;
  final IpsecPeerSpec spec = new IpsecPeerSpec();
  final PeerAuthentication authentication = new PeerAuthentication();
  final TreeMap<Integer, Tunnel> tunnels = new TreeMap<>();
  final TreeMap<Integer, Integer> tunnelLines = new TreeMap<>();

  /** The older per-peer {@code authentication pre-shared-secret}, if given. */
  String legacySecret;

  int authenticationLine;
  int vtiLine;

  /** The x509 lines: the pki names, and each reference's line for the messages about it. */
  VyosLine x509Certificate;

  final List<VyosLine> caCertificates = new ArrayList<>();
  String x509Passphrase;

  /** The rsa lines: the pki key-pair names, and each reference's line. */
  VyosLine rsaLocalKey;

  VyosLine rsaRemoteKey;
  String rsaPassphrase;
  int rsaPassphraseLine;

  PeerDraft(String vyosName, int line) {
    this.vyosName = vyosName;
    this.line = line;
    this.authenticationLine = line;
  }
}
