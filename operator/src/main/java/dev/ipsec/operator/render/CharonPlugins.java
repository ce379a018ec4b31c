package dev.ipsec.operator.render;

import java.util.ArrayList;
import java.util.List;

/**
 * The plugins a gateway's charon loads, named one by one in {@code charon.load} rather than taken
 * from whatever the image happens to have installed: the gateway gets exactly the algorithms the
 * algorithm matrix test negotiated, and none of the plugins a site-to-site gateway has no use for
 * (dhcp, farp, ha, eap-*, stroke) and that would only widen what charon exposes. Each plugin comes
 * from a package on {@code images/strongswan/packages.txt}, which the image and {@code bin/setup}
 * both install ({@code GatewayPackagesTest} holds the two together).
 */
public final class CharonPlugins {

  /**
   * In load order, which is charon's order of preference when several plugins offer one algorithm:
   * openssl first (AES-NI, every ECP and Brainpool group, AES-GCM/CCM, 3DES, Blowfish, CAST), then
   * the portable implementations. No gcrypt: it would only add Serpent and Twofish, which the CRDs
   * refuse ({@code AlgorithmRules}).
   */
  static final List<String> CRYPTO =
      List.of(
          "random",
          "nonce",
          "openssl",
          "aes",
          "sha1",
          "sha2",
          "md5",
          "hmac",
          "xcbc",
          "cmac",
          "ctr",
          "ccm",
          "gcm",
          "chapoly",
          "curve25519",
          "gmp",
          "mgf1",
          "kdf",
          "drbg");

  /** Certificates, public and private keys in PEM, revocation lists. */
  static final List<String> CREDENTIALS =
      List.of("x509", "revocation", "constraints", "pubkey", "pkcs1", "pkcs8", "pem");

  /**
   * User-space ESP over /dev/net/tun. charon takes the first IPsec backend that registers, so it is
   * loaded before kernel-netlink, whose XFRM backend would otherwise win.
   */
  static final String USER_SPACE_ESP = "kernel-libipsec";

  /** The kernel interface, IKE sockets, the agent's VICI socket, the VTI up/down script. */
  static final List<String> DAEMON = List.of("kernel-netlink", "socket-default", "vici", "updown");

  private CharonPlugins() {}

  /** The {@code charon.load} list of a gateway, in load order. */
  public static List<String> forGateway(boolean userSpaceEsp) {
    List<String> plugins = new ArrayList<>(CRYPTO);
    plugins.addAll(CREDENTIALS);
    if (userSpaceEsp) {
      plugins.add(USER_SPACE_ESP);
    }
    plugins.addAll(DAEMON);
    return List.copyOf(plugins);
  }
}
