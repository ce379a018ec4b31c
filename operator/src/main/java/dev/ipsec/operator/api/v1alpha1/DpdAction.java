package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What to do when dead-peer detection declares the peer dead (strongSwan dpd_action). The legacy
 * keyword hold means trap.
 */
public enum DpdAction {
  @JsonProperty("trap")
  TRAP,
  @JsonProperty("clear")
  CLEAR,
  @JsonProperty("restart")
  RESTART,
  @JsonProperty("hold")
  HOLD;

  /** The keyword as written in YAML and in the CRD enum. */
  public String keyword() {
    return Keywords.of(this);
  }
}
