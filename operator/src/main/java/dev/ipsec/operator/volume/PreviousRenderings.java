package dev.ipsec.operator.volume;

import java.util.Optional;
import java.util.Set;

/**
 * The renderings of peers that a gateway's volume holds now, which the planner keeps running where
 * a peer's new rendering cannot take their place: a peer whose spec no longer renders ({@link
 * #carried}), and a peer whose new files are left out for want of room ({@link
 * PlacementErrors#TOO_LARGE}, {@link PlacementErrors#GATEWAY_FULL}). The last valid configuration
 * keeps running, as a failed commit leaves a VyOS router's running configuration alone.
 */
public interface PreviousRenderings {

  /** Peers that do not render now and whose previous rendering is to be kept. */
  Set<String> carried();

  /**
   * The files of {@code peer} in the volume as it is, if it holds any. Asked only for carried peers
   * and peers whose new rendering is left out, so a reader may work lazily.
   */
  Optional<PeerRendering> of(String peer);

  static PreviousRenderings none() {
    return new PreviousRenderings() {
      @Override
      public Set<String> carried() {
        return Set.of();
      }

      @Override
      public Optional<PeerRendering> of(String peer) {
        return Optional.empty();
      }
    };
  }
}
