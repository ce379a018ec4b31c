package dev.ipsec.operator.volume;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.render.FieldError;

/**
 * Why a peer that renders was left out of its gateway's configuration volume. Each message is a
 * function of the peer and the limits alone (never of how full the gateway is), so it does not
 * change while the peer stays out: one Event, no status churn.
 */
public final class PlacementErrors {

  /** The peer's own files are larger than one ConfigMap or Secret may be. */
  public static final String TOO_LARGE = "TooLarge";

  /** The peer would fit, but its gateway has no room left for it. */
  public static final String GATEWAY_FULL = "GatewayFull";

  private static final String ADVICE_FULL =
      "; the peer is left out, the gateway's other peers are not affected: move peers to another"
          + " IpsecGlobal";

  private PlacementErrors() {}

  static FieldError tooLarge(Kind kind, long bytes, int maxBytes) {
    return new FieldError(
        "spec",
        "the peer's "
            + kind.files
            + " take "
            + bytes
            + " bytes in a "
            + kind.object
            + ", more than one "
            + kind.object
            + " of the gateway may hold ("
            + maxBytes
            + " bytes); the peer is left out, the gateway's other peers are not affected: "
            + kind.advice,
        TOO_LARGE);
  }

  static FieldError shardFull(Kind kind, int shard, int maxBytes) {
    return new FieldError(
        "spec.gateway",
        "the gateway has no room left for this peer: its "
            + kind.files
            + " belong in "
            + kind.object
            + " shard "
            + shard
            + " of "
            + ConfigShards.MAX_SHARDS
            + ", which would pass "
            + maxBytes
            + " bytes"
            + ADVICE_FULL,
        GATEWAY_FULL);
  }

  /**
   * One message for both manifests, so that which of them filled up first (it can change as other
   * peers come and go) does not change what the peer shows.
   */
  static FieldError listingFull(int maxBytes) {
    return new FieldError(
        "spec.gateway",
        "the gateway has no room left for this peer: the lists of the gateway's files ("
            + ConfigManifest.PUBLIC_FILE
            + " in its root ConfigMap, "
            + ConfigManifest.SECRET_FILE
            + " in its root Secret) would pass "
            + maxBytes
            + " bytes"
            + ADVICE_FULL,
        GATEWAY_FULL);
  }

  /** The two kinds of files, and what the user can do about a large one. */
  enum Kind {
    CONFIG(
        "configuration files (its conf.d file, certificates and public keys)",
        "ConfigMap",
        "give it fewer tunnels or a shorter CA bundle, or split it into several peers"),
    SECRETS(
        "secret files (its secrets.d file and private key)",
        "Secret",
        "use a smaller private key, or split the peer into several peers");

    final String files;
    final String object;
    final String advice;

    Kind(String files, String object, String advice) {
      this.files = files;
      this.object = object;
      this.advice = advice;
    }
  }
}
