package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Pseudo-random function of an IKE proposal. */
public enum Prf {
  @JsonProperty("prfmd5")
  PRFMD5,
  @JsonProperty("prfsha1")
  PRFSHA1,
  @JsonProperty("prfaesxcbc")
  PRFAESXCBC,
  @JsonProperty("prfaescmac")
  PRFAESCMAC,
  @JsonProperty("prfsha256")
  PRFSHA256,
  @JsonProperty("prfsha384")
  PRFSHA384,
  @JsonProperty("prfsha512")
  PRFSHA512;

  /** The keyword as written in YAML and in the CRD enum. */
  public String keyword() {
    return Keywords.of(this);
  }
}
