package dev.ipsec.operator.e2e;

import dev.ipsec.operator.e2e.E2eCluster.Site;
import io.fabric8.kubernetes.api.model.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The two PSK sites of {@code examples/site-to-site} (site A initiates, site B responds) with the
 * knobs the DPD and rekey scenarios turn: the IkeGroup's extra settings, the EspGroup's lifetime
 * and charon's global options. On gateway site-a the peer is called {@code site-b}, and the other
 * way round.
 */
final class PskSitePair {

  static final Site SITE_A = new Site("site-a", "203.0.113.10", "198.51.100.1");
  static final Site SITE_B = new Site("site-b", "203.0.113.20", "198.51.100.129");

  /** The IpsecPeer on gateway site-a, the initiator. */
  static final String PEER_ON_SITE_A = "site-b";

  /** The IpsecPeer on gateway site-b, the responder. */
  static final String PEER_ON_SITE_B = "site-a";

  private PskSitePair() {}

  /**
   * Applies the groups and both sites at once, as a user's {@code kubectl apply -f} would: the
   * gateways come up in any order (the initiator's agent tries again until the responder has loaded
   * its side).
   *
   * @param ikeGroupExtra YAML lines added to the IkeGroup's spec, indented by two spaces
   * @param espLifetime the EspGroup's lifetime in seconds
   * @param globalOptions YAML lines for both IpsecGlobals' {@code spec.options}, indented by four
   *     spaces, or empty
   */
  static void apply(
      E2eCluster cluster, String ikeGroupExtra, int espLifetime, String globalOptions) {
    String options = globalOptions.isBlank() ? "" : "  options:\n" + globalOptions;
    apply(
        cluster,
        groups(ikeGroupExtra, espLifetime)
            + "---\n"
            + site(SITE_B, SITE_A, "respond", options)
            + "---\n"
            + site(SITE_A, SITE_B, "initiate", options));
  }

  private static String groups(String ikeGroupExtra, int espLifetime) {
    return """
    apiVersion: ipsec.dev/v1alpha1
    kind: IkeGroup
    metadata:
      name: ike
    spec:
      keyExchange: ikev2
      lifetime: 3600
    %s  proposals:
        - encryption: aes256
          hash: sha256
          dhGroup: 14
    ---
    apiVersion: ipsec.dev/v1alpha1
    kind: EspGroup
    metadata:
      name: esp
    spec:
      mode: tunnel
      pfs: enable
      lifetime: %d
      proposals:
        - encryption: aes256
          hash: sha256
    """
        .formatted(ikeGroupExtra, espLifetime);
  }

  private static String site(Site local, Site remote, String connectionType, String options) {
    return """
    apiVersion: ipsec.dev/v1alpha1
    kind: IpsecGlobal
    metadata:
      name: %1$s
    spec:
    %5$s  log:
        level: 1
      gateway:
        replicas: 1
        userSpaceEsp: true
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: %1$s-psk
    type: Opaque
    stringData:
      psk: e2e-only-shared-secret-4b7d
    ---
    apiVersion: ipsec.dev/v1alpha1
    kind: IpsecPeer
    metadata:
      name: %2$s
    spec:
      gateway: %1$s
      authentication:
        mode: pre-shared-secret
        localId: %1$s.example.org
        remoteId: %2$s.example.org
        preSharedSecret:
          secretRef:
            name: %1$s-psk
            key: psk
      ikeGroup: ike
      defaultEspGroup: esp
      connectionType: %6$s
      localAddress: %3$s
      remoteAddresses:
        - %4$s
      tunnels:
        - id: 1
          local:
            prefixes: [%7$s]
          remote:
            prefixes: [%8$s]
    """
        .formatted(
            local.gateway(),
            remote.gateway(),
            local.podAddress(),
            remote.podAddress(),
            options,
            connectionType,
            prefix(local),
            prefix(remote));
  }

  /** Site A holds the lower half of 198.51.100.0/24, site B the upper one. */
  private static String prefix(Site site) {
    return site == SITE_A ? "198.51.100.0/25" : "198.51.100.128/25";
  }

  /** Applies a manifest given as text, through a file as a user's {@code kubectl apply -f}. */
  private static void apply(E2eCluster cluster, String manifest) {
    try {
      Path file = Files.createTempFile("e2e-manifest-", ".yaml");
      try {
        Files.writeString(file, manifest);
        cluster.apply(file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Events recorded about an IpsecPeer with a reason. */
  static List<Event> events(E2eCluster cluster, String peer, String reason) {
    return cluster.eventsAbout("IpsecPeer", peer).stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
