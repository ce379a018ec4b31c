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

  /**
   * @param bytes what the peer's files take in a shard, their lines in its manifest included
   * @param room what a shard has for files: {@code maxBytes} less its manifest's header
   */
  static FieldError tooLarge(Kind kind, long bytes, long room, int maxBytes) {
    return new FieldError(
        "spec",
        "the peer's "
            + kind.files
            + " take "
            + bytes
            + " bytes in a "
            + kind.object
            + " (their lines in its manifest included), more than one "
            + kind.object
            + " of the gateway has room for ("
            + room
            + " bytes: "
            + maxBytes
            + " less its manifest's header); the peer is left out, the gateway's other peers are"
            + " not affected: "
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
            + " bytes with them (the shard's files and its manifest)"
            + ADVICE_FULL,
        GATEWAY_FULL);
  }

  /** The two kinds of files, and what the user can do about a large one. */
  enum Kind {
    CONFIG(
        ConfigManifest.Side.PUBLIC,
        "configuration files (its conf.d file, certificates and public keys)",
        "ConfigMap",
        "give it fewer tunnels or a shorter CA bundle, or split it into several peers"),
    SECRETS(
        ConfigManifest.Side.SECRET,
        "secret files (its secrets.d file and private key)",
        "Secret",
        "use a smaller private key, or split the peer into several peers");

    final ConfigManifest.Side side;
    final String files;
    final String object;
    final String advice;

    Kind(ConfigManifest.Side side, String files, String object, String advice) {
      this.side = side;
      this.files = files;
      this.object = object;
      this.advice = advice;
    }
  }
}
