package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Who starts the connection: initiate (keep it up from this side), respond (wait for the peer) or
 * none (load only).
 */
public enum ConnectionType {
  @JsonProperty("initiate")
  INITIATE,
  @JsonProperty("respond")
  RESPOND,
  @JsonProperty("none")
  NONE;

  /** The keyword as written in YAML and in the CRD enum. */
  public String keyword() {
    return Keywords.of(this);
  }
}
