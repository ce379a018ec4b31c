package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What to do when the peer closes the CHILD SA (strongSwan close_action). The legacy VyOS keywords
 * hold and restart are accepted and mean trap and start.
 */
public enum CloseAction {
  @JsonProperty("none")
  NONE,
  @JsonProperty("trap")
  TRAP,
  @JsonProperty("start")
  START,
  @JsonProperty("hold")
  HOLD,
  @JsonProperty("restart")
  RESTART;

  /** The keyword as written in YAML and in the CRD enum. */
  public String keyword() {
    return Keywords.of(this);
  }
}
