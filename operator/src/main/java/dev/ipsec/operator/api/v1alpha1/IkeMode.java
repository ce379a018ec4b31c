package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** IKEv1 phase 1 mode. */
public enum IkeMode {
  @JsonProperty("main")
  MAIN,
  @JsonProperty("aggressive")
  AGGRESSIVE;

  /** The keyword as written in YAML and in the CRD enum. */
  public String keyword() {
    return Keywords.of(this);
  }
}
