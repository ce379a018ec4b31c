package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** ESP encapsulation mode. */
public enum EspMode {
  @JsonProperty("tunnel")
  TUNNEL,
  @JsonProperty("transport")
  TRANSPORT;

  /** The keyword as written in YAML and in the CRD enum. */
  public String keyword() {
    return Keywords.of(this);
  }
}
