package dev.ipsec.operator.vyos;

import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.ConnectionType;
import dev.ipsec.operator.api.v1alpha1.Ikev2Reauth;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.TrafficSelector;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.api.v1alpha1.Vti;

/** The lines under {@code site-to-site peer NAME}: words from index 3 on. */
final class PeerLines {

  private final VyosImport in;
  private final PeerDraft peer;
  private final IpsecPeerSpec spec;

  PeerLines(VyosImport in, PeerDraft peer) {
    this.in = in;
    this.peer = peer;
    this.spec = peer.spec;
  }

  void apply(VyosLine line) {
    switch (line.word(3)) {
      case "disable" -> in.flag(line, 4, () -> spec.setDisable(true));
      case "description" -> in.value(line, 4, spec::setDescription);
      case "authentication" -> authentication(line);
      case "connection-type" -> in.keyword(line, 4, ConnectionType.class, spec::setConnectionType);
      case "default-esp-group" -> in.value(line, 4, spec::setDefaultEspGroup);
      case "dhcp-interface" -> in.value(line, 4, spec::setDhcpInterface);
      case "force-udp-encapsulation" -> in.flag(line, 4, () -> spec.setForceUdpEncapsulation(true));
      case "ike-group" -> in.value(line, 4, spec::setIkeGroup);
      case "ikev2-reauth" -> in.keyword(line, 4, Ikev2Reauth.class, spec::setIkev2Reauth);
      case "local-address" -> in.value(line, 4, spec::setLocalAddress);
      case "remote-address" -> in.value(line, 4, spec.getRemoteAddresses()::add);
      case "replay-window" -> in.integer(line, 4, spec::setReplayWindow);
      case "virtual-address" -> in.value(line, 4, spec.getVirtualAddresses()::add);
      case "tunnel" -> tunnel(line);
      case "vti" -> vti(line);
      default -> in.unknown(line, 3);
    }
  }

  private void authentication(VyosLine line) {
    PeerAuthentication auth = peer.authentication;
    if (line.size() == 4) {
      return;
    }
    switch (line.word(4)) {
      case "mode" -> {
        peer.authenticationLine = line.number();
        in.keyword(line, 5, AuthenticationMode.class, auth::setMode);
      }
      case "local-id" -> in.value(line, 5, auth::setLocalId);
      case "remote-id" -> in.value(line, 5, auth::setRemoteId);
      case "use-x509-id" -> in.flag(line, 5, () -> auth.setUseX509Id(true));
      case "pre-shared-secret" -> in.value(line, 5, v -> peer.legacySecret = v);
      case "x509" -> x509(line);
      case "rsa" -> rsa(line);
      default -> in.unknown(line, 4);
    }
  }

  private void x509(VyosLine line) {
    if (line.size() == 5) {
      return;
    }
    switch (line.word(5)) {
      case "certificate" -> in.value(line, 6, v -> peer.x509Certificate = line);
      case "ca-certificate" -> in.value(line, 6, v -> peer.caCertificates.add(line));
      case "passphrase" -> in.value(line, 6, v -> peer.x509Passphrase = v);
      default -> in.unknown(line, 5);
    }
  }

  /** VyOS 1.4 and later: {@code rsa local-key}, {@code remote-key} name pki key-pairs. */
  private void rsa(VyosLine line) {
    if (line.size() == 5) {
      return;
    }
    switch (line.word(5)) {
      case "local-key" -> in.value(line, 6, v -> peer.rsaLocalKey = line);
      case "remote-key" -> in.value(line, 6, v -> peer.rsaRemoteKey = line);
      case "passphrase" ->
          in.value(
              line,
              6,
              v -> {
                peer.rsaPassphrase = v;
                peer.rsaPassphraseLine = line.number();
              });
      default -> in.unknown(line, 5);
    }
  }

  private void tunnel(VyosLine line) {
    if (line.size() < 5) {
      in.error(line, "tunnel needs a number");
      return;
    }
    int id;
    try {
      id = Integer.parseInt(line.word(4));
    } catch (NumberFormatException e) {
      in.error(line, "tunnel number '" + line.word(4) + "' is not a number");
      return;
    }
    Tunnel tunnel =
        peer.tunnels.computeIfAbsent(
            id,
            n -> {
              Tunnel t = new Tunnel();
              t.setId(n);
              return t;
            });
    peer.tunnelLines.putIfAbsent(id, line.number());
    if (line.size() == 5) {
      return;
    }
    switch (line.word(5)) {
      case "disable" -> in.flag(line, 6, () -> tunnel.setDisable(true));
      case "esp-group" -> in.value(line, 6, tunnel::setEspGroup);
      case "protocol" -> in.value(line, 6, tunnel::setProtocol);
      case "priority" -> in.integer(line, 6, tunnel::setPriority);
      case "local" -> selector(line, tunnel.getLocal(), tunnel::setLocal);
      case "remote" -> selector(line, tunnel.getRemote(), tunnel::setRemote);
      default -> in.unknown(line, 5);
    }
  }

  private void selector(
      VyosLine line,
      TrafficSelector existing,
      java.util.function.Consumer<TrafficSelector> setter) {
    TrafficSelector selector = existing == null ? new TrafficSelector() : existing;
    setter.accept(selector);
    if (line.size() == 6) {
      return;
    }
    switch (line.word(6)) {
      case "prefix" -> in.value(line, 7, selector.getPrefixes()::add);
      case "port" -> in.integer(line, 7, selector::setPort);
      default -> in.unknown(line, 6);
    }
  }

  private void vti(VyosLine line) {
    if (spec.getVti() == null) {
      spec.setVti(new Vti());
      peer.vtiLine = line.number();
    }
    Vti vti = spec.getVti();
    if (line.size() == 4) {
      return;
    }
    switch (line.word(4)) {
      case "bind" -> in.value(line, 5, vti::setBind);
      case "esp-group" -> in.value(line, 5, vti::setEspGroup);
      default -> in.unknown(line, 4);
    }
  }
}
